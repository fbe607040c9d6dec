"""Release dates found in the text, measured on the shared development corpora.

    .venv/bin/python benchmarks/evaluate_dates.py [--all] [--show N]

Trove releases: each record goes through ``index.inputs.records.normalize_record`` with its ``date`` field
removed, so the date can only come from the text (``find_release_date``); the share whose date equals
the record's ``date`` is printed, with the share where a date was found at all.

article-extraction-benchmark pages: the ground truth has no dates, so a page "states a date" when our
``normalize_html`` finds one, and that date is checked two ways: against a date in the URL path
(/2019/11/18/, 2019-11-18, 20191118: independent of the page's markup), and against the page's own
published-time markup read here with plain regexes (article:published_time, datePublished, pubdate...).
``normalize_html`` reads the same markup first, so the second check measures parsing, not an
independent truth; ``verified`` counts pages that agree with either source.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import logging
import re
import sys
from collections.abc import Callable
from pathlib import Path

# Appended, not put first: PYTHONPATH can point at another checkout to score its code with this script.
sys.path.append(str(Path(__file__).resolve().parents[1]))

from index.extraction.dates import parse_date  # noqa: E402
from index.inputs.records import normalize_record  # noqa: E402
from index.normalize.html import normalize_html  # noqa: E402

LOGGER = logging.getLogger(__name__)
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
TROVE = SHARED / "trove-refugee-releases" / "docs.jsonl.gz"
ARTICLES = SHARED / "article-extraction-benchmark"
UNGD = SHARED / "un-general-debate" / "speeches_2015_2024.jsonl.gz"

_URL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)(?:[/_-]?)(0[1-9]|1[0-2])(?:[/_-]?)(0[1-9]|[12]\d|3[01])(?!\d)"
)
_URL_DATE_SEPARATED = re.compile(r"(?<!\d)((?:19|20)\d\d)[/_-](0?[1-9]|1[0-2])[/_-](0?[1-9]|[12]\d|3[01])(?!\d)")
_META_DATE = re.compile(
    r"""(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|og:published_time|datePublished|"""
    r"""pubdate|publishdate|date|dc\.date|DC\.date\.issued|sailthru\.date|parsely-pub-date)["'][^>]*?"""
    r"""content\s*=\s*["']([^"']{6,40})["']|"datePublished"\s*:\s*"([^"]{6,40})\"""",
    re.IGNORECASE,
)


def _held_out(doc_id: str) -> bool:
    return int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest(), 16) % 10 < 3


def evaluate_trove_dates(docs: list[dict], show: int = 0) -> dict:
    """Share of releases whose date, found in the text alone, equals the record's ``date``."""
    found = correct = 0
    misses: list[str] = []
    for doc in docs:
        record = {key: value for key, value in doc.items() if key != "date"}
        value = normalize_record(record).date
        if value is None:
            continue
        found += 1
        if value.isoformat() == doc["date"]:
            correct += 1
        elif len(misses) < show:
            misses.append(f"  {doc['id']}: found {value} want {doc['date']}")
    for line in misses:
        print(line)
    return {
        "docs": len(docs),
        "found": found / len(docs) if docs else 0.0,
        "equal": correct / len(docs) if docs else 0.0,
        "equal_when_found": correct / found if found else 0.0,
    }


def url_date(url: str) -> dt.date | None:
    """A date written in a URL's path ("/2019/11/18/", "-20191118-"), or None."""
    path = url.split("://", 1)[-1].partition("/")[2]
    for pattern in (_URL_DATE_SEPARATED, _URL_DATE):
        for match in pattern.finditer(path):
            try:
                return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                continue
    return None


def meta_dates(html: str) -> set[dt.date]:
    """Dates in the page's published-time markup, each parsed on its own."""
    dates: set[dt.date] = set()
    for match in _META_DATE.finditer(html[:300_000]):
        value = parse_date(match.group(1) or match.group(2))
        if value:
            dates.add(value)
    return dates


def _near(value: dt.date, others: set[dt.date]) -> bool:
    return any(abs((value - other).days) <= 1 for other in others)


def evaluate_article_dates(held: Callable[[str], bool] = _held_out, show: int = 0) -> dict[str, dict]:
    """Per part (dev, held): pages where a date is found, and how many agree with URL or markup dates."""
    if not (ARTICLES / "ground-truth.json").exists():
        print(f"article-extraction-benchmark not found at {ARTICLES}: skipped")
        return {}
    truth = json.loads((ARTICLES / "ground-truth.json").read_text(encoding="utf-8"))
    tallies: dict[str, dict[str, int]] = {}
    for page_id, item in sorted(truth.items()):
        path = ARTICLES / "html" / f"{page_id}.html.gz"
        if not path.exists():
            continue
        html = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        part = "held" if held(page_id) else "dev"
        tally = tallies.setdefault(part, dict.fromkeys(
            ("pages", "found", "url_dated", "url_equal", "meta_dated", "meta_equal", "verifiable", "verified",
             "verified_1day"), 0))
        tally["pages"] += 1
        found = normalize_html(html, url=item.get("url")).date
        if found is None:
            continue
        tally["found"] += 1
        from_url = url_date(item.get("url") or "")
        from_meta = meta_dates(html)
        tally["url_dated"] += from_url is not None
        tally["url_equal"] += from_url == found
        tally["meta_dated"] += bool(from_meta)
        tally["meta_equal"] += found in from_meta
        references = from_meta | ({from_url} if from_url else set())
        if references:
            tally["verifiable"] += 1
            tally["verified"] += found in references
            tally["verified_1day"] += _near(found, references)
            if found not in references and show and part == "dev":
                print(f"  {page_id[:12]} {item.get('url')}: found {found}, page says {sorted(references)}")
    return {part: _shares(tally) for part, tally in sorted(tallies.items())}


def _shares(tally: dict[str, int]) -> dict:
    return {
        "pages": tally["pages"],
        "found": tally["found"],
        "url_equal": f"{tally['url_equal']}/{tally['url_dated']}",
        "meta_equal": f"{tally['meta_equal']}/{tally['meta_dated']}",
        "verified": tally["verified"] / tally["verifiable"] if tally["verifiable"] else 0.0,
        "verified_of": tally["verifiable"],
        "verified_1day": tally["verified_1day"] / tally["verifiable"] if tally["verifiable"] else 0.0,
    }


def evaluate_un_years() -> dict:
    """UN General Debate records ingested with ``--map date=year``: share dated with their own year, dated
    from the text instead, and undated."""
    from index.inputs.records import parse_mapping

    with gzip.open(UNGD, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    tally = {"year": 0, "other": 0, "undated": 0}
    for record in records:
        found = normalize_record(record, parse_mapping(["date=year"])).date
        if found is None:
            tally["undated"] += 1
        elif found.year == int(record["year"]):
            tally["year"] += 1
        else:
            tally["other"] += 1
    return {"records": len(records), **{k: round(v / len(records), 3) for k, v in tally.items()}}


def main(argv: list[str] | None = None) -> int:
    """Print date figures for trove releases and article-extraction-benchmark pages."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="every trove document, not the first 3,000")
    parser.add_argument("--show", type=int, default=0, help="print this many dev misses")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if TROVE.exists():
        with gzip.open(TROVE, "rt", encoding="utf-8") as handle:
            docs = [json.loads(line) for line in handle]
        if not args.all:
            docs = docs[::3]
        for part in ("dev", "held"):
            chosen = [d for d in docs if _held_out(d["id"]) == (part == "held")]
            figures = evaluate_trove_dates(chosen, args.show if part == "dev" else 0)
            print(f"trove dates from the text [{part}]: {figures}")
    for part, figures in evaluate_article_dates(show=args.show).items():
        print(f"article-extraction-benchmark dates [{part}]: {figures}")
    if UNGD.exists():
        print(f"un-general-debate with --map date=year: {evaluate_un_years()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
