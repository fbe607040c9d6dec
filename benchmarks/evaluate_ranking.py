"""Ranking evaluation on judged queries: our service beside SQLite FTS5 bm25, per half, with intervals.

``benchmarks/judged_queries_v2.jsonl`` (graded 0-2 under ``judging-guidelines.md``, split once into a
tuning and a held-out half) names documents by the corpus ``id`` field, so judgments survive re-ingest;
our document ids are mapped back through the raw record kept in the store. Trove queries run on the
whole trove corpus, Russian ones on the Russian corpus. Prints nDCG@10 and P@10 (grade >= 1) per half
with 95 % bootstrap intervals and the paired difference to FTS5; a later copy of an exact duplicate
(same text, whitespace aside) earns no gain. The older 25 queries (``judged_queries.jsonl``, grades 0-3,
tuning data only) are printed after.

``--sweep`` evaluates ``index.engine.ranking.RankingSettings`` variants on the tuning half only.
``--pool N`` prints the top N of both systems per older query (see ``pool_judging.py`` for the v2 pools).
Usage::

    .venv/bin/python benchmarks/evaluate_ranking.py --data-dir TROVE_DATA --ru-data-dir RU_DATA \
        --fts-dir FTS_TROVE --ru-fts-dir FTS_RU [--per-query] [--halves tuning --sweep]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import logging
import math
import random
import sqlite3
import statistics
import sys
import tempfile
import zlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_core import CORPUS, MAPPING_ARGS, build_fts5, fts5_match, load_records  # noqa: E402

LOGGER = logging.getLogger("benchmarks.evaluate_ranking")

JUDGMENTS = Path(__file__).resolve().parent / "judged_queries.jsonl"
#: The judged set made under ``judging-guidelines.md``: grades 0-2, split once into tuning and held-out halves.
JUDGMENTS_V2 = Path(__file__).resolve().parent / "judged_queries_v2.jsonl"
RU_CORPUS = CORPUS.parents[1] / "ru-migration-news" / "docs.jsonl.gz"
RU_MAPPING_ARGS = ["title=title", "body=text", "date=date_raw", "url=url", "id=id", "source=source"]
K = 10
RELEVANT = 2  # the older set's 0-3 grades: 2 and 3 count as relevant for P@k
RELEVANT_V2 = 1  # the 0-2 grades of judged_queries_v2: 1 and 2 count as relevant for P@10
BOOTSTRAP_SAMPLES = 2000


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


def ingest(corpus: Path, data_dir: Path, mapping: list[str] = MAPPING_ARGS) -> None:
    """Ingest the corpus into ``data_dir`` through our pipeline (slow: extraction runs on every record)."""
    from index.ingest.pipeline import ingest_paths
    from index.inputs.records import parse_mapping
    from index.settings import load_settings

    settings = load_settings({"DATA_DIR": str(data_dir), "INGEST_WORKERS": 0})
    summary = ingest_paths(settings, [str(corpus)], mapping=parse_mapping(mapping))
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

    def ranked(self, judged: dict, depth: int = K, match: str | None = None) -> list[str]:
        """Trove ids of the top ``depth`` matches for one judged query (``match``: another expression)."""
        where = "docs MATCH ?"
        params: list = [match or fts5_match(judged["q"])]
        if judged.get("slug"):
            where += " AND slug = ?"
            params.append(judged["slug"])
        if judged.get("from"):
            where += " AND date BETWEEN ? AND ?"
            params += [judged["from"], judged["to"]]
        sql = f"SELECT id FROM docs WHERE {where} ORDER BY bm25(docs, 0, 0, 0, 3.0, 1.0) LIMIT ?"
        return [row[0] for row in self.conn.execute(sql, [*params, depth])]


# -- measures -----------------------------------------------------------------------------------


def measures(
    ranked: list[str], grades: dict[str, int], groups: dict[str, str], relevant: int = RELEVANT
) -> dict[str, float]:
    """nDCG@10, P@5 and P@10 (grade >= ``relevant``), whether a duplicate group appears twice in the top
    10, and the judged share of it.

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
    p5 = sum(1 for g in gains[:5] if g >= relevant) / 5
    p10 = sum(1 for g in gains[:K] if g >= relevant) / K
    judged = sum(1 for doc in ranked[:K] if doc in grades) / max(1, min(K, len(ranked)))
    return {
        "ndcg": dcg / idcg if idcg else 0.0,
        "p5": p5,
        "p10": p10,
        "dup": 1.0 if duplicate else 0.0,
        "judged": judged,
    }


def evaluate(
    run: Callable[[dict], list[str]], judgments: list[dict], groups: dict[str, str], relevant: int = RELEVANT
) -> dict[str, dict[str, float]]:
    """Measures per query id for one system."""
    return {j["qid"]: measures(run(j), j["grades"], groups, relevant) for j in judgments}


def mean(per_query: dict[str, dict[str, float]], key: str) -> float:
    """The mean of one measure over the queries."""
    return statistics.fmean(m[key] for m in per_query.values())


def bootstrap_interval(values: list[float], samples: int = BOOTSTRAP_SAMPLES, seed: int = 11) -> tuple[float, float]:
    """The 95 % percentile bootstrap interval of the mean of ``values`` (queries resampled with replacement)."""
    if not values:
        return (0.0, 0.0)
    rng = random.Random(seed)
    n = len(values)
    means = sorted(statistics.fmean(rng.choices(values, k=n)) for _ in range(samples))
    return means[int(0.025 * samples)], means[int(0.975 * samples) - 1]


# -- settings sweep -------------------------------------------------------------------------------


PLAIN_SWEEP: list[tuple[str, dict]] = [
    ("default", {}),
    ("coord 2", {"coord": 2.0}),
    ("coord 4", {"coord": 4.0}),
    ("slack 0 (all words)", {"slack": 0.0}),
    ("slack 0.5", {"slack": 0.5}),
    ("no title trust", {"trust": False}),
    ("no proximity", {"title_proximity": 0.0, "body_proximity": 0.0}),
    ("proximity / 2", {"title_proximity": 0.5, "body_proximity": 0.35}),
    ("proximity depth 20", {"proximity_depth": 20}),
    ("lead 0.5", {"lead_share": 0.5}),
]


def sweep_plain(systems: dict, tuning: list[dict], groups: dict[str, str]) -> None:
    """Mean nDCG@10 / P@10 of plain-query ranking settings (``index.engine.ranking``) on the tuning half only."""
    from dataclasses import replace

    import index.engine.ranking as ranking
    import index.engine.reader as service

    saved_settings, saved_trust = ranking.DEFAULT_SETTINGS, service.title_trust
    print(f"\nSWEEP of index.engine.ranking settings (tuning half only, {len(tuning)} queries)")
    print(f"{'setting':28} {'nDCG@10':>8} {'P@10':>6} {'speaker':>8} {'known':>6} {'ru':>6}")
    try:
        for label, change in PLAIN_SWEEP:
            change = dict(change)
            trust = change.pop("trust", True)
            ranking.DEFAULT_SETTINGS = replace(saved_settings, **change)
            service.title_trust = saved_trust if trust else (lambda title: 1.0)
            per_query = {}
            for ours_c, _ in systems.values():
                ours_c.service.reader.reopen()  # a fresh generation: title trust read again
            for judged in tuning:
                ours_c, _ = systems[judged.get("corpus", "trove")]
                per_query.update(evaluate(ours_c.ranked, [judged], groups, RELEVANT_V2))
            kinds = {kind: [j["qid"] for j in tuning if j["kind"] == kind] for kind in ("speaker", "known-item", "ru")}
            by_kind = [statistics.fmean(per_query[q]["ndcg"] for q in qids) if qids else 0.0 for qids in kinds.values()]
            print(f"{label:28} {mean(per_query, 'ndcg'):8.3f} {mean(per_query, 'p10'):6.3f} "
                  + " ".join(f"{v:>6.3f}" for v in by_kind))
    finally:
        ranking.DEFAULT_SETTINGS, service.title_trust = saved_settings, saved_trust


# -- driver ---------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    """Evaluate both systems on the judged queries and print the tables; optionally sweep or pool."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, help="an ingested trove data dir (default: ingest anew)")
    parser.add_argument("--ru-data-dir", type=Path, help="an ingested Russian data dir (default: ingest anew)")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--judgments", type=Path, default=JUDGMENTS)
    parser.add_argument("--judgments-v2", type=Path, default=JUDGMENTS_V2)
    parser.add_argument("--fts-dir", type=Path, help="reuse or keep the trove FTS5 build here")
    parser.add_argument("--ru-fts-dir", type=Path, help="reuse or keep the Russian FTS5 build here")
    parser.add_argument("--per-query", action="store_true", help="print every query's figures")
    parser.add_argument("--halves", default="tuning,heldout", help="which halves to print (while tuning: tuning)")
    parser.add_argument("--sweep", action="store_true", help="also try ranking settings (tuning half only)")
    parser.add_argument("--pool", type=int, default=0, help="print the top N of both systems (JSON Lines)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    records = load_records(args.corpus, 10**9)
    groups = duplicate_groups(records)
    v2 = load_judgments(args.judgments_v2) if args.judgments_v2.exists() else []
    wants_ru = any(j.get("corpus") == "ru" for j in v2)
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
        systems = {"trove": (ours, fts)}
        if wants_ru and RU_CORPUS.exists():
            ru_records = load_records(RU_CORPUS, 10**9)
            groups.update(duplicate_groups(ru_records))
            ru_dir = args.ru_data_dir
            if ru_dir is None:
                ru_dir = Path(tmp) / "ru-data"
                ingest(RU_CORPUS, ru_dir, RU_MAPPING_ARGS)
            ru_fts_dir = args.ru_fts_dir or Path(tmp) / "ru-fts5"
            if not (ru_fts_dir / "fts.sqlite3").exists():
                build_ru_fts5(ru_records, ru_fts_dir)
            del ru_records
            systems["ru"] = (Ours(ru_dir, trove_ids(ru_dir)), Fts5(ru_fts_dir / "fts.sqlite3"))
        unanswerable = [j["qid"] for j in v2 if not any(g > 0 for g in j["grades"].values())]
        if unanswerable:  # no system found anything relevant: nDCG is undefined, left out of every mean
            print(f"left out (no relevant release in the pool): {', '.join(unanswerable)}")
        v2 = [j for j in v2 if j.get("corpus", "trove") in systems and j["qid"] not in unanswerable]
        if v2:
            ours_v2, fts_v2 = {}, {}
            for judged in v2:
                ours_c, fts_c = systems[judged.get("corpus", "trove")]
                ours_v2.update(evaluate(ours_c.ranked, [judged], groups, RELEVANT_V2))
                fts_v2.update(evaluate(fts_c.ranked, [judged], groups, RELEVANT_V2))
            shown = [j for j in v2 if j.get("split") in args.halves.split(",")]
            if args.per_query:
                print_table(shown, ours_v2, fts_v2, precision="p10")
            print_halves(shown, ours_v2, fts_v2)
        ours_m = evaluate(ours.ranked, judgments, groups)
        fts_m = evaluate(fts.ranked, judgments, groups)
        if args.sweep:
            tuning = [j for j in v2 if j.get("split") == "tuning"]
            sweep_plain(systems, tuning, groups)
        for ours_c, _ in systems.values():
            ours_c.close()
        print(f"\nOLDER SET ({len(judgments)} queries, grades 0-3, used while tuning before: tuning data only)")
        if args.per_query:
            print_table(judgments, ours_m, fts_m)
        print(
            f"ours nDCG@10 {mean(ours_m, 'ndcg'):.3f} P@5 {mean(ours_m, 'p5'):.2f} | "
            f"fts5 nDCG@10 {mean(fts_m, 'ndcg'):.3f} P@5 {mean(fts_m, 'p5'):.2f}"
        )


def build_ru_fts5(records: list[dict], target: Path) -> None:
    """The Russian corpus in an FTS5 table (unicode61 tokens; the porter stemmer leaves Cyrillic alone)."""
    target.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(target / "fts.sqlite3")
    conn.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, slug UNINDEXED, date UNINDEXED, title, body, "
        "tokenize='porter unicode61')"
    )
    with conn:
        conn.executemany(
            "INSERT INTO docs (id, slug, date, title, body) VALUES (?, ?, ?, ?, ?)",
            ((r["id"], r.get("source", ""), "", r.get("title", ""), r.get("text", "")) for r in records),
        )
    conn.close()


def print_halves(judgments: list[dict], ours: dict, fts: dict) -> None:
    """Mean nDCG@10 and P@10 of each half with 95 % bootstrap intervals, ours beside FTS5."""
    print(f"\nJUDGED SET v2 ({len(judgments)} queries, grades 0-2, P@10 counts grade >= {RELEVANT_V2}; "
          f"95 % bootstrap intervals over queries, {BOOTSTRAP_SAMPLES} samples)")
    print(f"{'half':22} {'n':>3}  {'ours nDCG@10':>22} {'ours P@10':>20}  {'fts5 nDCG@10':>22} "
          f"{'fts5 P@10':>20}  {'ours-fts5 nDCG':>22}")
    for half in ("tuning", "heldout"):
        for scope in ("all", "trove"):
            chosen = [j["qid"] for j in judgments if j.get("split") == half
                      and (scope == "all" or j.get("corpus", "trove") == "trove")]
            if not chosen:
                continue
            cells = []
            for system in (ours, fts):
                for key in ("ndcg", "p10"):
                    values = [system[q][key] for q in chosen]
                    lo, hi = bootstrap_interval(values)
                    cells.append(f"{statistics.fmean(values):.3f} [{lo:.3f}, {hi:.3f}]")
            diffs = [ours[q]["ndcg"] - fts[q]["ndcg"] for q in chosen]
            lo, hi = bootstrap_interval(diffs)
            label = f"{half} ({scope})"
            print(f"{label:22} {len(chosen):3d}  {cells[0]:>22} {cells[1]:>20}  {cells[2]:>22} {cells[3]:>20}  "
                  f"{statistics.fmean(diffs):+.3f} [{lo:+.3f}, {hi:+.3f}]")
    kinds = sorted({j["kind"] for j in judgments})
    print("mean nDCG@10 by kind (ours / fts5): " + "; ".join(
        f"{kind} {statistics.fmean(ours[j['qid']]['ndcg'] for j in judgments if j['kind'] == kind):.2f}/"
        f"{statistics.fmean(fts[j['qid']]['ndcg'] for j in judgments if j['kind'] == kind):.2f}"
        for kind in kinds))
    print(f"judged share of the top 10: ours {mean(ours, 'judged'):.0%}, fts5 {mean(fts, 'judged'):.0%}")


def print_table(judgments: list[dict], ours: dict, fts: dict, precision: str = "p5") -> None:
    """Per-query and mean figures of both systems (``precision``: ``p5`` or ``p10``)."""
    head = precision.upper()
    print(f"{'query':44} {'ours nDCG':>9} {head:>5} {'dup':>4}  {'fts5 nDCG':>9} {head:>5} {'dup':>4}")
    for judged in judgments:
        label = judged["q"] + (f" [{judged['speaker']}]" if judged.get("speaker") else "")
        if judged.get("from"):
            label += f" [{judged['from'][:4]}-{judged['to'][:4]}]"
        o, f = ours[judged["qid"]], fts[judged["qid"]]
        print(
            f"{label[:44]:44} {o['ndcg']:9.3f} {o[precision]:5.2f} {o['dup']:4.0f}  "
            f"{f['ndcg']:9.3f} {f[precision]:5.2f} {f['dup']:4.0f}"
        )
    print(
        f"{'MEAN (' + str(len(judgments)) + ' queries)':44} "
        f"{mean(ours, 'ndcg'):9.3f} {mean(ours, precision):5.2f} "
        f"{mean(ours, 'dup'):4.2f}  {mean(fts, 'ndcg'):9.3f} {mean(fts, precision):5.2f} {mean(fts, 'dup'):4.2f}"
    )
    print(f"judged share of the top 10: ours {mean(ours, 'judged'):.0%}, fts5 {mean(fts, 'judged'):.0%}")


if __name__ == "__main__":
    main()
