"""Ranking evaluation on judged queries over the trove corpus: our service beside SQLite FTS5 bm25.

Judgments (``benchmarks/judged_queries.jsonl``) name documents by the trove ``id`` field, so they survive
re-ingest; our document ids are mapped back through the raw record kept in the store. Prints nDCG@10,
P@5 (grade >= 2 counts as relevant) and whether an exact duplicate (same text, whitespace aside) appears
twice in the top 10, per query and on average. A later copy of a duplicate earns no gain: a reader has
already seen it.

``--sweep`` re-runs the queries with ranking constants monkeypatched (``index.engine.query.FIELD_BOOSTS``,
``PROXIMITY_*``, the BM25F parameters) and prints the mean figures of each setting. ``--pool N`` prints
the top N of both systems per query as JSON Lines, for judging. Usage::

    .venv/bin/python benchmarks/evaluate_ranking.py --data-dir /path/to/ingested/trove [--sweep]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import logging
import math
import sqlite3
import statistics
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_core import CORPUS, MAPPING_ARGS, build_fts5, fts5_match, load_records  # noqa: E402

LOGGER = logging.getLogger("benchmarks.evaluate_ranking")

JUDGMENTS = Path(__file__).resolve().parent / "judged_queries.jsonl"
K = 10
RELEVANT = 2


# -- corpus and data --------------------------------------------------------------------------


def duplicate_groups(records: list[dict]) -> dict[str, str]:
    """Trove id -> a hash of the whitespace-normalized text (exact duplicates share it)."""
    return {r["id"]: hashlib.sha1(" ".join(r["text"].split()).encode("utf-8")).hexdigest()[:16] for r in records}


def trove_ids(data_dir: Path) -> dict[str, str]:
    """Our document id -> the trove ``id`` of the record it came from (read from the stored raw input)."""
    conn = sqlite3.connect(f"file:{data_dir / 'store.sqlite3'}?mode=ro", uri=True)
    try:
        mapping = {}
        for doc_id, raw in conn.execute("SELECT id, raw FROM documents"):
            with contextlib.suppress(ValueError, zlib.error):
                mapping[doc_id] = json.loads(zlib.decompress(raw))["id"]
        return mapping
    finally:
        conn.close()


def ingest(corpus: Path, data_dir: Path) -> None:
    """Ingest the corpus into ``data_dir`` through our pipeline (slow: extraction runs on every record)."""
    from index.ingest.pipeline import ingest_paths
    from index.inputs.records import parse_mapping
    from index.settings import load_settings

    settings = load_settings({"DATA_DIR": str(data_dir), "INGEST_WORKERS": 0})
    summary = ingest_paths(settings, [str(corpus)], mapping=parse_mapping(MAPPING_ARGS))
    LOGGER.warning("ingested: %s", dict(summary.counts))


def load_judgments(path: Path) -> list[dict]:
    """The judged queries: ``{"qid", "q", "speaker", "slug", "from", "to", "grades": {trove id: 0-3}}``."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# -- systems ------------------------------------------------------------------------------------


class Ours:
    """Our ``SearchService`` (cache cleared per query), returning trove ids."""

    def __init__(self, data_dir: Path, ids: dict[str, str]) -> None:
        from index.settings import load_settings
        from search.service import SearchService

        self.service = SearchService(load_settings({"DATA_DIR": str(data_dir)}))
        self.ids = ids

    def close(self) -> None:
        """Close the service."""
        self.service.close()

    def ranked(self, judged: dict, depth: int = K) -> list[str]:
        """Trove ids of the top ``depth`` hits for one judged query."""
        from search.request import SearchRequest

        req = SearchRequest(
            q=judged["q"],
            speaker=judged.get("speaker", ""),
            date_from=date.fromisoformat(judged["from"]) if judged.get("from") else None,
            date_to=date.fromisoformat(judged["to"]) if judged.get("to") else None,
            per_page=depth,
        )
        self.service._cache.clear()  # noqa: SLF001 - every setting must be searched afresh
        try:
            result = self.service.search(req, facets=False, highlight=False)
        except AttributeError as exc:  # the filtered-search crash of search/service.py (see bench_core)
            LOGGER.warning("query %s failed in the service: %s", judged["qid"], exc)
            return []
        return [self.ids.get(hit.id, hit.id) for hit in result.hits]


class Fts5:
    """SQLite FTS5 with the porter tokenizer, ranked by bm25 (title weighted 3x)."""

    def __init__(self, db: Path) -> None:
        self.conn = sqlite3.connect(db)

    def ranked(self, judged: dict, depth: int = K) -> list[str]:
        """Trove ids of the top ``depth`` matches for one judged query."""
        where = "docs MATCH ?"
        params: list = [fts5_match(judged["q"])]
        if judged.get("slug"):
            where += " AND slug = ?"
            params.append(judged["slug"])
        if judged.get("from"):
            where += " AND date BETWEEN ? AND ?"
            params += [judged["from"], judged["to"]]
        sql = f"SELECT id FROM docs WHERE {where} ORDER BY bm25(docs, 0, 0, 0, 3.0, 1.0) LIMIT ?"
        return [row[0] for row in self.conn.execute(sql, [*params, depth])]


# -- measures -----------------------------------------------------------------------------------


def measures(ranked: list[str], grades: dict[str, int], groups: dict[str, str]) -> dict[str, float]:
    """nDCG@10, P@5, whether a duplicate group appears twice in the top 10, and the judged share of it.

    Unjudged documents count as not relevant, so a setting that surfaces many of them is underrated.
    """
    seen: set[str] = set()
    gains: list[int] = []
    duplicate = False
    for doc in ranked[:K]:
        group = groups.get(doc, doc)
        if group in seen:
            duplicate = True
            gains.append(0)
        else:
            seen.add(group)
            gains.append(grades.get(doc, 0))
    best: dict[str, int] = {}
    for doc, grade in grades.items():
        group = groups.get(doc, doc)
        best[group] = max(best.get(group, 0), grade)
    ideal = sorted(best.values(), reverse=True)[:K]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    dcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))
    p5 = sum(1 for g in gains[:5] if g >= RELEVANT) / 5
    judged = sum(1 for doc in ranked[:K] if doc in grades) / max(1, min(K, len(ranked)))
    return {"ndcg": dcg / idcg if idcg else 0.0, "p5": p5, "dup": 1.0 if duplicate else 0.0, "judged": judged}


def evaluate(
    run: Callable[[dict], list[str]], judgments: list[dict], groups: dict[str, str]
) -> dict[str, dict[str, float]]:
    """Measures per query id for one system."""
    return {j["qid"]: measures(run(j), j["grades"], groups) for j in judgments}


def mean(per_query: dict[str, dict[str, float]], key: str) -> float:
    """The mean of one measure over the queries."""
    return statistics.fmean(m[key] for m in per_query.values())


# -- settings sweep -------------------------------------------------------------------------------


@contextlib.contextmanager
def ranking_settings(setting: dict) -> Iterator[None]:
    """Monkeypatch ranking constants (field boosts, proximity re-ranking, BM25F parameters) for a block."""
    from whoosh import scoring

    import index.engine.proximity as sprox
    import index.engine.query as squery
    import index.engine.reader as sservice

    saved = (dict(squery.FIELD_BOOSTS), dict(sprox.FIELD_WEIGHTS), sservice.RERANK_DEPTH, sprox.RERANK_DEPTH)
    saved_init = scoring.BM25F.__init__
    squery.FIELD_BOOSTS.update(setting.get("boosts", {}))
    if "fields" in setting:
        for name in list(squery.FIELD_BOOSTS):
            if name not in setting["fields"]:
                del squery.FIELD_BOOSTS[name]
    scale = setting.get("proximity_scale", 1.0)
    for name in sprox.FIELD_WEIGHTS:
        sprox.FIELD_WEIGHTS[name] *= scale
    depth = setting.get("rerank_depth", sprox.RERANK_DEPTH)
    sservice.RERANK_DEPTH = sprox.RERANK_DEPTH = depth
    if "bm25" in setting:
        b, k1 = setting["bm25"]

        def patched(self, B: float = b, K1: float = k1, **kwargs: object) -> None:  # noqa: N803
            saved_init(self, B=B, K1=K1, **kwargs)

        scoring.BM25F.__init__ = patched
    try:
        yield
    finally:
        squery.FIELD_BOOSTS.clear()
        squery.FIELD_BOOSTS.update(saved[0])
        sprox.FIELD_WEIGHTS.clear()
        sprox.FIELD_WEIGHTS.update(saved[1])
        sservice.RERANK_DEPTH, sprox.RERANK_DEPTH = saved[2], saved[3]
        scoring.BM25F.__init__ = saved_init


SWEEP: list[tuple[str, dict]] = [
    ("current", {}),
    ("title 1.5", {"boosts": {"title": 1.5}}),
    ("title 1", {"boosts": {"title": 1.0}}),
    ("body/speaker/event", {"fields": ("body", "speaker", "event")}),
    ("body only", {"fields": ("body",)}),
    ("no proximity", {"proximity_scale": 0.0}),
    ("proximity x2", {"proximity_scale": 2.0}),
    ("bm25 B=0.9", {"bm25": (0.9, 1.2)}),
    ("bm25 K1=2.0", {"bm25": (0.75, 2.0)}),
    ("title 1.5 + K1=2.0 + B=0.9", {"boosts": {"title": 1.5}, "bm25": (0.9, 2.0)}),
    ("title 1 + prox x2 + K1=2.0", {"boosts": {"title": 1.0}, "proximity_scale": 2.0, "bm25": (0.75, 2.0)}),
]


def sweep(data_dir: Path, ids: dict[str, str], judgments: list[dict], groups: dict[str, str]) -> None:
    """Mean nDCG@10 / P@5 of each ranking setting (a fresh service per setting)."""
    print(f"\nSWEEP (mean over {len(judgments)} queries)")
    print(f"{'setting':28} {'nDCG@10':>8} {'P@5':>6} {'dup@10':>7} {'judged':>7} {'ms/query':>9}")
    for label, setting in SWEEP:
        with ranking_settings(setting):
            ours = Ours(data_dir, ids)
            try:
                ours.ranked(judgments[0])  # open the searcher outside the timing
                started = time.perf_counter()
                per_query = evaluate(ours.ranked, judgments, groups)
                ms = (time.perf_counter() - started) * 1000 / len(judgments)
            finally:
                ours.close()
        ndcg, p5, dup, judged = (mean(per_query, key) for key in ("ndcg", "p5", "dup", "judged"))
        print(f"{label:28} {ndcg:8.3f} {p5:6.2f} {dup:7.2f} {judged:7.0%} {ms:9.0f}")


# -- driver ---------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    """Evaluate both systems on the judged queries, print the table; optionally sweep or pool."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, help="an ingested trove data dir (default: ingest anew)")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--judgments", type=Path, default=JUDGMENTS)
    parser.add_argument("--fts-dir", type=Path, help="reuse or keep the FTS5 build here")
    parser.add_argument("--sweep", action="store_true", help="also try ranking settings")
    parser.add_argument("--pool", type=int, default=0, help="print the top N of both systems (JSON Lines)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    records = load_records(args.corpus, 10**9)
    groups = duplicate_groups(records)
    with tempfile.TemporaryDirectory(prefix="migsearch-rank-") as tmp:
        data_dir = args.data_dir
        if data_dir is None:
            data_dir = Path(tmp) / "data"
            ingest(args.corpus, data_dir)
        fts_dir = args.fts_dir or Path(tmp) / "fts5"
        if not (fts_dir / "fts.sqlite3").exists():
            build_fts5(args.corpus, fts_dir, len(records))
        del records
        ids = trove_ids(data_dir)
        judgments = load_judgments(args.judgments)
        ours = Ours(data_dir, ids)
        fts = Fts5(fts_dir / "fts.sqlite3")
        if args.pool:
            for judged in judgments:
                pool = {"qid": judged["qid"], "ours": ours.ranked(judged, args.pool)}
                pool["fts5"] = fts.ranked(judged, args.pool)
                print(json.dumps(pool))
            return
        ours_m = evaluate(ours.ranked, judgments, groups)
        fts_m = evaluate(fts.ranked, judgments, groups)
        ours.close()
        print_table(judgments, ours_m, fts_m)
        if args.sweep:
            sweep(data_dir, ids, judgments, groups)


def print_table(judgments: list[dict], ours: dict, fts: dict) -> None:
    """Per-query and mean figures of both systems."""
    print(f"{'query':44} {'ours nDCG':>9} {'P@5':>5} {'dup':>4}  {'fts5 nDCG':>9} {'P@5':>5} {'dup':>4}")
    for judged in judgments:
        label = judged["q"] + (f" [{judged['speaker']}]" if judged.get("speaker") else "")
        if judged.get("from"):
            label += f" [{judged['from'][:4]}-{judged['to'][:4]}]"
        o, f = ours[judged["qid"]], fts[judged["qid"]]
        print(
            f"{label[:44]:44} {o['ndcg']:9.3f} {o['p5']:5.2f} {o['dup']:4.0f}  "
            f"{f['ndcg']:9.3f} {f['p5']:5.2f} {f['dup']:4.0f}"
        )
    print(
        f"{'MEAN (' + str(len(judgments)) + ' queries)':44} "
        f"{mean(ours, 'ndcg'):9.3f} {mean(ours, 'p5'):5.2f} "
        f"{mean(ours, 'dup'):4.2f}  {mean(fts, 'ndcg'):9.3f} {mean(fts, 'p5'):5.2f} {mean(fts, 'dup'):4.2f}"
    )
    print(f"judged share of the top 10: ours {mean(ours, 'judged'):.0%}, fts5 {mean(fts, 'judged'):.0%}")


if __name__ == "__main__":
    main()
