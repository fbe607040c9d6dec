"""Measure extraction on the shared development corpora and print figures.

    .venv/bin/python benchmarks/evaluate_extraction.py            # 2,000 trove docs, all PolNeAR train
    .venv/bin/python benchmarks/evaluate_extraction.py --all      # every trove doc

First the hand-annotated speaker set (``speaker_set.py``, both halves with bootstrap 95 % intervals).
PolNeAR quotes: the held-out half is the pseudo held-out 30 % below (never tuned on), the tuning half the
rest; both with bootstrap intervals over articles.

Every document goes through the ingest path: ``index.inputs.records.normalize_record`` (trove) or
``index.normalize.text.normalize_text`` (PolNeAR), then ``extract``. Each corpus is scored twice: the
documents a hash puts in a pseudo held-out 30 % (``sha1(id) % 10 < 3``, never looked at while tuning) and
the rest ("dev"); ``--show`` prints misses from the dev part only.

Speakers (trove-refugee-releases): share of person-issued releases whose issuing person (``contributor_slug``,
"surname-given") is among the extracted speakers, matched by surname plus given name or initial (a speaker
known only by a surname matches on the surname); and the mean number of speakers per release.

Quotes (PolNeAR train): precision and recall of (speaker, quote) pairs for direct quotes, i.e. annotated
contents inside quotation marks whose source names someone (not a pronoun). A predicted quote overlapping
a gold content with a pronoun or common-noun source cannot be judged and is left out of precision.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import logging
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

# Appended, not put first: PYTHONPATH can point at another checkout to score its code with this script.
sys.path.append(str(Path(__file__).resolve().parents[1]))

from index.document import Extraction  # noqa: E402
from index.extraction import extract  # noqa: E402
from index.extraction.names import canonical_person_key  # noqa: E402
from index.inputs.records import normalize_record  # noqa: E402
from index.normalize.text import normalize_text  # noqa: E402
from index.text import fold_name  # noqa: E402

LOGGER = logging.getLogger(__name__)
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
TROVE = SHARED / "trove-refugee-releases" / "docs.jsonl.gz"
POLNEAR = SHARED / "polnear" / "train"

_PARTY_WORDS = frozenset(
    "party greens democrats labor liberal nationals national coalition nation association council network "
    "union society committee centre center institute foundation commission department office australia "
    "australian amnesty federation chamber".split()
)
_QUOTE_MARKS = "\"“”«»'‘’"
_INDEFINITE = frozenset({"a", "an", "one", "another", "some", "several", "many", "two", "three"})
_UNNAMED = frozenset(
    "he she they it i we you his her their its the a an this that these those one some many someone "
    "who which officials official sources source critics aides aide".split()
)


def issuer_from_slug(slug: str) -> tuple[str, str] | None:
    """("hanson young", "sarah") from "hanson-young-sarah"; None for parties and organisations."""
    words = [w for w in slug.split("-") if not w.isdigit()]
    if len(words) < 2 or _PARTY_WORDS & set(words):
        return None
    return " ".join(words[:-1]), words[-1]


#: Formal given names in slugs and the short forms releases use ("street-anthony" signs "Tony Street").
NICKNAMES = {
    "anthony": ("tony",), "william": ("bill",), "robert": ("bob", "rob"), "james": ("jim",),
    "michael": ("mick", "mike"), "christopher": ("chris",), "frederick": ("fred",), "douglas": ("doug",),
    "richard": ("dick",), "edward": ("ted",), "thomas": ("tom",), "joseph": ("joe",), "peter": ("pete",),
    "stephen": ("steve",), "andrew": ("andy",), "daniel": ("dan",), "kenneth": ("ken",),
    "elizabeth": ("liz",), "catherine": ("kate",), "margaret": ("maggie",), "nicholas": ("nick",),
    "alexander": ("alex",), "philip": ("phillip", "phil"), "phillip": ("philip", "phil"),
}


def speaker_matches(name: str, surname: str, given: str) -> bool:
    """True when a speaker's name has the issuer's surname and given name (or its initial, or a common
    short form: Tony for Anthony); a speaker known by the surname alone matches on the surname.

    Slugs are "surname-given" for politicians but "given-surname" for many interviewers ("barrie-cassidy",
    "peter-van-onselen"), so the slug is also read with its first word as the given name."""
    words = f"{surname} {given}".split()
    readings = [(surname, given), (" ".join(words[1:]), words[0])]
    return any(
        _matches(name, family, first) or any(_matches(name, family, short) for short in NICKNAMES.get(first, ()))
        for family, first in readings
    )


def _matches(name: str, surname: str, given: str) -> bool:
    words = canonical_person_key(name).split()
    if not words:
        return False
    joined = "".join(words)
    if not joined.endswith(surname.replace(" ", "")):
        return False
    if len(words) == 1 or joined == surname.replace(" ", ""):
        return True  # a surname alone ("Hanson-Young"): no given name to disagree with
    first = words[0]
    return (
        first == given
        or (len(first) == 1 and first == given[0])
        or (len(first) >= 3 and (given.startswith(first) or first.startswith(given)))
    )


def held_out(doc_id: str) -> bool:
    """True for the pseudo held-out 30 %: documents whose ``sha1(id) % 10 < 3``."""
    return int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest(), 16) % 10 < 3


def split(items: list, key: Callable[[object], str]) -> dict[str, list]:
    """``{"dev": [...], "held": [...]}`` by ``held_out(key(item))``."""
    parts: dict[str, list] = {"dev": [], "held": []}
    for item in items:
        parts["held" if held_out(key(item)) else "dev"].append(item)
    return parts


def pipeline_extract(record: dict) -> tuple[Extraction, float]:
    """Normalize a record as ingest does, then extract; returns the extraction and extract's seconds."""
    normalized = normalize_record(record)
    started = time.perf_counter()
    extraction = extract(normalized.title, normalized.body, metadata=normalized.metadata)
    return extraction, time.perf_counter() - started


def read_trove(sample: int | None, seed: int = 7) -> list[dict]:
    """The trove releases, or a reproducible random sample of them."""
    with gzip.open(TROVE, "rt", encoding="utf-8") as handle:
        docs = [json.loads(line) for line in handle]
    if sample and sample < len(docs):
        docs = random.Random(seed).sample(docs, sample)
    return docs


def evaluate_speakers(docs: list[dict], show_misses: int = 0) -> dict:
    """Issuer recall and speakers per release on trove documents."""
    hits = judged = total_speakers = 0
    timings: list[float] = []
    misses: list[tuple[str, list[str]]] = []
    for doc in docs:
        extraction, seconds = pipeline_extract(doc)
        timings.append(seconds)
        total_speakers += len(extraction.speakers)
        issuer = issuer_from_slug(doc["contributor_slug"])
        if issuer is None:
            continue
        judged += 1
        names = [s.name for s in extraction.speakers]
        if any(speaker_matches(n, *issuer) for n in names):
            hits += 1
        elif len(misses) < show_misses:
            misses.append((f"{doc['id']} {doc['contributor_slug']}", names))
    for label, names in misses:
        print(f"  miss {label}: {names}")
    return {
        "docs": len(docs),
        "person_issued": judged,
        "issuer_share": hits / judged if judged else 0.0,
        "mean_speakers": total_speakers / len(docs) if docs else 0.0,
        "median_ms": statistics.median(timings) * 1000 if timings else 0.0,
        "p95_ms": sorted(timings)[int(0.95 * (len(timings) - 1))] * 1000 if timings else 0.0,
    }


def _spans(field: str) -> list[tuple[int, int]]:
    return [tuple(int(x) for x in part.split()) for part in field.split(";")]  # type: ignore[misc]


def read_polnear() -> Iterator[tuple[str, str, list[tuple[int, int, str, bool]]]]:
    """(name, text, [(content start, end, source text, direct)]) for the attributions of each train article.

    ``direct`` marks contents that open with a quotation mark."""
    annotations = sorted((POLNEAR / "attributions").glob("*.ann"))
    seen: set[str] = set()
    for ann in annotations:
        stem = ann.stem.rsplit("_", 1)[0]
        if stem in seen:
            continue
        seen.add(stem)
        text_path = POLNEAR / "text" / f"{stem}.txt"
        if not text_path.exists():
            continue
        text = text_path.read_text(encoding="utf-8")
        spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
        gold: list[tuple[int, int, str, bool]] = []
        events: list[dict[str, str]] = []
        for line in ann.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if line.startswith("T") and len(parts) >= 2:
                label, _, offsets = parts[1].partition(" ")
                spans[parts[0]] = (label, _spans(offsets))
            elif line.startswith("E") and len(parts) >= 2:
                events.append(dict(item.split(":", 1) for item in parts[1].split() if ":" in item))
        for event in events:
            content, source = spans.get(event.get("Content", "")), spans.get(event.get("Source", ""))
            if not content or not source:
                continue
            start, end = content[1][0][0], content[1][-1][1]
            quoted = text[start:end].strip()
            source_text = " ".join(text[s:e] for s, e in source[1])
            gold.append((start, end, source_text, bool(quoted) and quoted[0] in _QUOTE_MARKS))
        yield stem, text, gold


def _named(source: str) -> bool:
    """True when a source names someone: "Sen. Bernie Sanders", "Trump"; not "he", "a Nevada Democrat"."""
    words = re.findall(r"[A-Za-z][\w'’.-]*", source)
    if not words or words[0].lower() in _INDEFINITE:
        return False
    caps = [w[0].isupper() and w.lower().rstrip(".") not in _UNNAMED for w in words]
    if any(a and b for a, b in zip(caps, caps[1:], strict=False)):
        return True
    return len(words) <= 3 and any(caps) and words[0].lower() not in {"the", "a", "an"}


def _locate(text: str, quote: str) -> tuple[int, int] | None:
    words = quote.split()[:8]
    pattern = r"\s+".join(re.escape(w) for w in words)
    match = re.search(pattern, text)
    if not match:
        return None
    return match.start(), match.start() + len(quote)


def quote_rows(articles_in: list[tuple[str, str, list]], show_errors: int = 0) -> list[tuple[int, int, int, int]]:
    """(correct, predicted, gold found, gold) of (speaker, direct quote) pairs for each PolNeAR article."""
    rows: list[tuple[int, int, int, int]] = []
    errors: list[str] = []
    for name, text, gold in articles_in:
        normalized = normalize_text(text)
        extraction = extract(normalized.title, normalized.body)
        named = [g for g in gold if g[3] and _named(g[2])]
        matched: set[int] = set()
        correct = predicted = 0
        for quote in extraction.quotes:
            span = _locate(text, quote.text)
            if span is None:
                continue
            overlapping = [
                i
                for i, g in enumerate(gold)
                if min(span[1], g[1]) - max(span[0], g[0]) > 0.5 * (span[1] - span[0])
            ]
            if overlapping and not any(_named(gold[i][2]) for i in overlapping):
                continue  # the gold source is a pronoun or a common noun: cannot be judged
            predicted += 1
            surname = canonical_person_key(quote.speaker).split()[-1:]
            good = [i for i in overlapping if surname and surname[0] in fold_name(gold[i][2]).replace("’", "'")]
            if good:
                correct += 1
                matched.update(good)
            elif len(errors) < show_errors:
                wanted = [gold[i][2] for i in overlapping] or ["(no gold quote)"]
                errors.append(f"  {name}: {quote.speaker!r} for {wanted} :: {quote.text[:70]!r}")
        found = sum(1 for i in matched if gold[i][3] and _named(gold[i][2]))
        rows.append((correct, predicted, found, len(named)))
    for line in errors:
        print(line)
    return rows


def quote_figures(rows: list[tuple[int, int, int, int]]) -> dict[str, float]:
    """Micro precision and recall of quote rows."""
    correct, predicted, found, gold = (sum(column) for column in zip(*rows, strict=True)) if rows else (0, 0, 0, 0)
    return {"precision": correct / predicted if predicted else 0.0, "recall": found / gold if gold else 0.0}


def evaluate_quotes(articles_in: list[tuple[str, str, list]], show_errors: int = 0) -> dict:
    """Precision and recall of (speaker, direct quote) pairs on PolNeAR train articles, with bootstrap
    95 % intervals over articles."""
    from speaker_set import bootstrap

    rows = quote_rows(articles_in, show_errors)
    figures = quote_figures(rows)
    intervals = bootstrap(rows, quote_figures) if rows else {}
    return {
        "articles": len(rows),
        "gold_direct_named": sum(r[3] for r in rows),
        "predicted_judged": sum(r[1] for r in rows),
        **{f"{k}": v for k, v in figures.items()},
        **{f"{k}_95": f"{lo:.3f}-{hi:.3f}" for k, (lo, hi) in intervals.items()},
    }


def evaluate_main_text_split() -> dict[str, dict]:
    """The benchmark's shingle F1 for our ``normalize_html`` and trafilatura, dev and held-out parts
    (scoring from ``evaluate_main_text``)."""
    from evaluate_main_text import DEFAULT_DATA, _ours, _trafilatura, page_scores, summarize

    truth_path = DEFAULT_DATA / "ground-truth.json"
    if not truth_path.exists():
        return {}
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    extractors = {"ours": _ours, "trafilatura": _trafilatura()}
    rows: dict[tuple[str, str], list] = {}
    for page_id in sorted(truth):
        html = gzip.decompress((DEFAULT_DATA / "html" / f"{page_id}.html.gz").read_bytes())
        part = "held" if held_out(page_id) else "dev"
        for name, run in extractors.items():
            if run is not None:
                pred = run(html, truth[page_id].get("url", ""))
                rows.setdefault((part, name), []).append(page_scores(truth[page_id].get("articleBody", ""), pred))
    figures: dict[str, dict] = {}
    for (part, name), scored in sorted(rows.items()):
        summary = summarize(scored)
        figures.setdefault(part, {"pages": len(scored)})[f"{name}_f1"] = summary["f1"]
        figures[part][f"{name}_precision"] = summary["precision"]
        figures[part][f"{name}_recall"] = summary["recall"]
    return figures


def _line(label: str, figures: dict) -> str:
    return f"{label}: " + ", ".join(
        f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in figures.items()
    )


def print_speaker_set(show: int = 0, path: Path | None = None, show_held_out: bool = False) -> None:
    """Speaker precision, recall, role accuracy and real-speaker share on an annotated set (the first set
    unless ``path`` names another, such as the fresh blind one), every half with bootstrap 95 % intervals;
    then, for the first set, the agreement of the blind second pass."""
    from speaker_set import ANNOTATIONS, agreement, evaluate, read_annotations

    path = path or ANNOTATIONS
    if not path.exists() or not TROVE.exists():
        print(f"speaker annotation set {path} or corpora not found: skipped")
        return
    halves = list(dict.fromkeys(a["half"] for a in read_annotations(path)))
    if not show_held_out:  # errors are printed for the tuning halves only, never to tune on held-out ones
        halves = [half for half in halves if half.startswith("tuning")]
    for half, figures in evaluate(show, path, halves).items():
        parts = [f"releases={figures['releases']}", f"annotated={figures['annotated']}",
                 f"predicted={figures['predicted']}"]
        for key in ("precision", "recall", "role_right"):
            value, (low, high) = figures[key]
            parts.append(f"{key}={value:.3f} [{low:.3f}-{high:.3f}]")
        value, (low, high) = figures["precision"]
        parts.append(f"real_speaking_pairs={value:.3f} [{low:.3f}-{high:.3f}]")
        print(f"speaker set [{half}]: " + ", ".join(parts))
    if path == ANNOTATIONS:
        print(_line("speaker set agreement (blind second pass)", agreement()))


def main(argv: list[str] | None = None) -> int:
    """Print speaker, quote and date figures for the development corpora, dev and pseudo held-out."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="use every trove document, not a sample")
    parser.add_argument("--sample", type=int, default=2000, help="trove sample size (default 2000)")
    parser.add_argument("--show", type=int, default=0, help="print this many dev misses and quote errors")
    parser.add_argument("--skip-quotes", action="store_true")
    parser.add_argument("--skip-speakers", action="store_true")
    parser.add_argument("--skip-dates", action="store_true")
    parser.add_argument("--skip-main-text", action="store_true")
    parser.add_argument("--skip-speaker-set", action="store_true", help="skip the hand-annotated speaker set")
    parser.add_argument("--speaker-set", action="store_true",
                        help="only the hand-annotated speaker set (no trove sample, quotes, main text or dates)")
    parser.add_argument("--speaker-set-file", type=Path, default=None,
                        help="score this annotation file instead of the first set, e.g. "
                             "benchmarks/speaker_annotations_fresh.jsonl (the fresh blind set)")
    parser.add_argument("--show-held-out", action="store_true",
                        help="with --show, list errors of every half too (for reports only, never for tuning)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.speaker_set or args.speaker_set_file:
        args.skip_speakers = args.skip_quotes = args.skip_main_text = args.skip_dates = True
    if not args.skip_speaker_set:
        print_speaker_set(args.show, args.speaker_set_file, args.show_held_out)
    if not args.skip_speakers:
        if TROVE.exists():
            parts = split(read_trove(None if args.all else args.sample), lambda doc: doc["id"])
            for part in ("dev", "held"):
                figures = evaluate_speakers(parts[part], args.show if part == "dev" else 0)
                print(_line(f"trove-refugee-releases speakers [{part}]", figures))
        else:
            print(f"trove corpus not found at {TROVE}: skipped")
    if not args.skip_quotes:
        if POLNEAR.exists():
            parts = split(list(read_polnear()), lambda article: article[0])
            for part, half in (("dev", "tuning"), ("held", "held-out")):
                figures = evaluate_quotes(parts[part], args.show if part == "dev" else 0)
                print(_line(f"polnear train quotes with speaker [{half}]", figures))
        else:
            print(f"PolNeAR not found at {POLNEAR}: skipped")
    if not args.skip_main_text:
        for part, figures in evaluate_main_text_split().items():
            print(_line(f"article-extraction-benchmark main text [{part}]", figures))
    if not args.skip_dates:
        from evaluate_dates import evaluate_article_dates, evaluate_trove_dates

        if TROVE.exists():
            parts = split(read_trove(None if args.all else args.sample), lambda doc: doc["id"])
            for part in ("dev", "held"):
                print(_line(f"trove dates from the text [{part}]", evaluate_trove_dates(parts[part])))
        for part, figures in evaluate_article_dates(held_out).items():
            print(_line(f"article-extraction-benchmark dates [{part}]", figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
