"""Pools of candidate releases for relevance judging, and a reading view of them for the assessor.

``pool`` runs every judged query of a JSON Lines file through several systems (our service as it is, our
service with OR semantics, SQLite FTS5 bm25 with AND and with OR semantics; for Russian also FTS5 over word
prefixes), takes the top ``--depth`` of each (twice as deep for the prefixes), and prints one line per
query: ``{"qid", "docs": [...], "systems": {name: [...]}}``. The ``docs`` are the union, shuffled by a hash
of (query id, document id), so the assessor never sees which system ranked a release where.

``show`` prints, for the pooled releases of some queries, what the assessor reads: the release's id, date
and issuer, its opening lines, and every passage where a query word (or a form of it) stands. It prints
corpus text to the terminal only; nothing of it goes into the repository. Usage::

    .venv/bin/python benchmarks/pool_judging.py pool --data-dir TROVE_DATA --ru-data-dir RU_DATA \\
        --fts-dir FTS_TROVE --ru-fts-dir FTS_RU > /tmp/pools.jsonl
    .venv/bin/python benchmarks/pool_judging.py show /tmp/pools.jsonl --qid n01 n02
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_core import CORPUS  # noqa: E402
from evaluate_ranking import JUDGMENTS_V2, RU_CORPUS, Fts5, Ours, load_judgments, trove_ids  # noqa: E402


@contextlib.contextmanager
def or_semantics() -> Iterator[None]:
    """Our query parser with OR instead of AND between plain words, for one block."""
    from whoosh.qparser import OrGroup

    import index.engine.query as squery

    saved = squery.AndGroup
    squery.AndGroup = OrGroup.factory(0.0)
    try:
        yield
    finally:
        squery.AndGroup = saved


def fts5_or(text: str) -> str:
    """An FTS5 MATCH expression with OR between the query's words (phrases kept)."""
    parts = re.findall(r'"([^"]+)"|(\S+)', text)
    terms = []
    for phrase, word in parts:
        words = re.findall(r"\w+", phrase or word)
        if words:
            terms.append('"' + " ".join(words) + '"')
    return " OR ".join(terms)


def fts5_prefixes(text: str) -> str:
    """An FTS5 MATCH expression with each word cut to a prefix (``беженец`` -> ``беже*``), AND-ed.

    Used for the Russian queries only: FTS5's porter stemmer leaves Cyrillic alone, and without this no
    pooled system finds the other forms of a word, which is what those queries test.
    """
    words = re.findall(r"\w+", text)
    return " ".join(f'"{w[: max(4, len(w) - 3)]}"*' for w in words)


def shuffled(qid: str, docs: set[str]) -> list[str]:
    """Pooled documents in an order fixed by a hash, unrelated to any system's ranking."""
    return sorted(docs, key=lambda doc: hashlib.sha1(f"{qid}\t{doc}".encode()).hexdigest())


def pool(args: argparse.Namespace) -> None:
    """Print the pool of every judged query (JSON Lines)."""
    judgments = load_judgments(args.judgments)
    systems_by_corpus = {}
    sources = (("trove", args.data_dir, args.fts_dir), ("ru", args.ru_data_dir, args.ru_fts_dir))
    for corpus, data_dir, fts_dir in sources:
        if data_dir is None:
            continue
        ids = trove_ids(data_dir)
        fts = Fts5(fts_dir / "fts.sqlite3")
        ours = Ours(data_dir, ids)
        with or_semantics():
            ours_or = Ours(data_dir, ids)
        systems_by_corpus[corpus] = (ours, ours_or, fts)
    for judged in judgments:
        corpus = judged.get("corpus", "trove")
        if corpus not in systems_by_corpus:
            continue
        ours, ours_or, fts = systems_by_corpus[corpus]
        runs = {"ours": ours.ranked(judged, args.depth)}
        with or_semantics():
            runs["ours_or"] = ours_or.ranked(judged, args.depth)
        runs["fts5"] = fts.ranked(judged, args.depth)
        runs["fts5_or"] = fts.ranked(judged, args.depth, match=fts5_or(judged["q"]))
        if corpus == "ru":
            runs["fts5_prefix"] = fts.ranked(judged, 2 * args.depth, match=fts5_prefixes(judged["q"]))
        docs = set().union(*runs.values())
        print(json.dumps({"qid": judged["qid"], "docs": shuffled(judged["qid"], docs), "systems": runs}))


# -- the assessor's view ---------------------------------------------------------------------------


def _records(path: Path, wanted: set[str]) -> dict[str, dict]:
    found = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                if record["id"] in wanted:
                    found[record["id"]] = record
    return found


def _stems(query: str) -> list[str]:
    """Crude prefixes of the query's longer words, to find their forms in the text."""
    words = [w.lower() for w in re.findall(r"\w+", query) if len(w) > 2]
    return sorted({w[: max(4, len(w) - 3)] if len(w) > 4 else w for w in words})


def passages(text: str, query: str, width: int, limit: int) -> list[str]:
    """Up to ``limit`` windows of ``width`` characters around the query's words, merged when close."""
    lowered = text.lower()
    spans: list[list[int]] = []
    for stem in _stems(query):
        for match in re.finditer(r"\b" + re.escape(stem), lowered):
            spans.append([max(0, match.start() - width // 2), match.end() + width // 2])
    spans.sort()
    merged: list[list[int]] = []
    for span in spans:
        if merged and span[0] <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], span[1])
        else:
            merged.append(span)
    # prefer windows holding several query words
    scored = sorted(merged, key=lambda s: -sum(lowered.count(stem, s[0], s[1]) > 0 for stem in _stems(query)))
    return [" ".join(text[a:b].split()) for a, b in sorted(scored[:limit])]


def show(args: argparse.Namespace) -> None:
    """Print the reading view of the pooled releases of the chosen queries."""
    judged = {j["qid"]: j for j in load_judgments(args.judgments)}
    pools = [json.loads(line) for line in args.pools.read_text().splitlines() if line.strip()]
    pools = [p for p in pools if not args.qid or p["qid"] in args.qid]
    by_corpus: dict[str, set[str]] = {}
    for p in pools:
        by_corpus.setdefault(judged[p["qid"]].get("corpus", "trove"), set()).update(p["docs"])
    records = {}
    if "trove" in by_corpus:
        records.update(_records(CORPUS, by_corpus["trove"]))
    if "ru" in by_corpus:
        records.update(_records(RU_CORPUS, by_corpus["ru"]))
    for p in pools:
        j = judged[p["qid"]]
        print(f"=== {p['qid']} [{j['kind']}] q={j['q']!r} speaker={j.get('speaker', '')!r} "
              f"{j.get('from', '')}..{j.get('to', '')}\nNEED: {j['need']}")
        for doc in p["docs"]:
            r = records[doc]
            text = r.get("text", "")
            head = " ".join((r.get("title", "") + " " + text[: args.head]).split())
            issuer = r.get("contributor_slug") or r.get("source", "")
            print(f"--- {doc} {r.get('date') or r.get('date_raw', '')} {issuer} ({len(text)} ch)\n  HEAD: {head}")
            for passage in passages(text, j["q"] + " " + j.get("speaker", ""), args.width, args.passages):
                print(f"  .. {passage}")


def main(argv: list[str] | None = None) -> None:
    """Pool or show."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--judgments", type=Path, default=JUDGMENTS_V2)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("pool")
    p.add_argument("--data-dir", type=Path)
    p.add_argument("--fts-dir", type=Path)
    p.add_argument("--ru-data-dir", type=Path)
    p.add_argument("--ru-fts-dir", type=Path)
    p.add_argument("--depth", type=int, default=10)
    s = sub.add_parser("show")
    s.add_argument("pools", type=Path)
    s.add_argument("--qid", nargs="*")
    s.add_argument("--head", type=int, default=300)
    s.add_argument("--width", type=int, default=220)
    s.add_argument("--passages", type=int, default=3)
    args = parser.parse_args(argv)
    {"pool": pool, "show": show}[args.command](args)


if __name__ == "__main__":
    main()
