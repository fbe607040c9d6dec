"""Core benchmark: ingest and search through migsearch, against bare Whoosh and SQLite FTS5.

One run on the trove corpus prints, in one table with units and ratios against issue 2's targets:

- ingest documents per second through ``index.ingest.pipeline.ingest_paths`` (1 and 2 workers), re-ingest of
  the same file (all unchanged) as a fraction of the first ingest;
- bare Whoosh indexing of the same texts (minimal schema, one writer; and ``procs=2``);
- SQLite FTS5 (porter tokenizer) on the same texts;
- search latency p50/p95 over a fixed set of queries (10 hits, facets and highlights) through our
  ``SearchService`` (cold: result cache cleared before each query; nothing kept: the decoded postings
  of the open index dropped too; cached: the same request repeated), bare
  Whoosh (search + highlights, and with ``groupedby`` facets) and FTS5 (MATCH + bm25 + snippet()).

Every build runs in its own child process (so its peak memory is its own); builds are interleaved
over ``--rounds`` and search systems interleaved query by query, and medians are quoted because the
machine is shared. Usage::

    .venv/bin/python benchmarks/bench_core.py --docs 10000 --rounds 2
    # ingest only, beside the pipeline of another commit (issue 14: no slower than when it was filed)
    git worktree add --detach /tmp/then c89c6cf
    .venv/bin/python benchmarks/bench_core.py --docs 9983 --rounds 1 --ingest-only --compare-src /tmp/then
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import random
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

LOGGER = logging.getLogger("benchmarks.bench_core")

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "trove-refugee-releases" / "docs.jsonl.gz"
MAPPING_ARGS = ["body=text", "date=date", "id=id", "url=trove_url", "source=contributor_slug"]

# Issue 2's targets.
TARGET_INGEST_RATIO = 0.7
TARGET_P95_MS = 60.0
TARGET_CACHED_MS = 2.0

# (query text, speaker filter, contributor slug for the bare systems, date from, date to)
QUERIES: list[tuple[str, str, str, str, str]] = [
    ("refugee", "", "", "", ""),
    ("asylum seekers", "", "", "", ""),
    ("offshore processing Nauru", "", "", "", ""),
    ("Manus Island", "", "", "", ""),
    ("boat arrivals", "", "", "", ""),
    ("people smuggling", "", "", "", ""),
    ("temporary protection visas", "", "", "", ""),
    ("mandatory detention", "", "", "", ""),
    ('"Pacific Solution"', "", "", "", ""),
    ('"humanitarian program"', "", "", "", ""),
    ("Tampa", "", "", "", ""),
    ("Vietnamese refugees", "", "", "", ""),
    ("Christmas Island detention centre", "", "", "", ""),
    ('"border protection"', "", "", "", ""),
    ("UNHCR resettlement", "", "", "", ""),
    ("Malaysia arrangement", "", "", "", ""),
    ("Indonesia cooperation", "", "", "", ""),
    ("children in detention", "", "", "", ""),
    ("family reunion", "", "", "", ""),
    ("Sri Lanka asylum", "", "", "", ""),
    ('"Operation Sovereign Borders"', "", "", "", ""),
    ("Hazara Afghanistan", "", "", "", ""),
    ("turn back boats", "", "", "", ""),
    ("world refugee year", "", "", "", ""),
    ("Malaysia", "Chris Bowen", "bowen-chris", "", ""),
    ("boats", "Scott Morrison", "morrison-scott", "", ""),
    ("detention", "Philip Ruddock", "ruddock-philip", "", ""),
    ("children", "Sarah Hanson-Young", "hanson-young-sarah", "", ""),
    ("detention", "", "", "2001-01-01", "2002-12-31"),
    ("Indochinese refugees", "", "", "1975-01-01", "1982-12-31"),
    ("regional processing", "", "", "2013-01-01", "2014-12-31"),
]


# -- corpus ---------------------------------------------------------------------------------------


def load_records(path: Path, limit: int) -> list[dict]:
    """The first ``limit`` records of a JSON Lines ``.gz`` file."""
    records: list[dict] = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                records.append(json.loads(line))
                if len(records) >= limit:
                    break
    return records


def title_of(text: str) -> str:
    """The first non-empty line of a text, as the bare systems' title."""
    for line in text.splitlines():
        if line.strip():
            return " ".join(line.split())[:200]
    return ""


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and its waited-for children (worker processes)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def peak_mb() -> float:
    """Peak resident memory of this process and its waited-for children, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


# -- builds (each runs in a child process) ------------------------------------------------------


def build_ours(corpus: Path, target: Path, workers: int) -> dict:
    """Ingest ``corpus`` into a fresh data directory through our pipeline."""
    from index.ingest.pipeline import ingest_paths
    from index.inputs.records import parse_mapping
    from index.settings import load_settings

    settings = load_settings({"DATA_DIR": str(target), "INGEST_WORKERS": workers})
    started, cpu = time.perf_counter(), cpu_seconds()
    summary = ingest_paths(settings, [str(corpus)], mapping=parse_mapping(MAPPING_ARGS))
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "cpu": cpu_seconds() - cpu,
        "docs": summary.total,
        "counts": dict(summary.counts),
        "peak_mb": peak_mb(),
    }


def bare_schema():
    """The minimal Whoosh schema: id stored, stemmed title and body, plus slug, year and date to filter."""
    from whoosh import fields
    from whoosh.analysis import StemmingAnalyzer

    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        slug=fields.ID(),
        year=fields.ID(),
        date=fields.DATETIME(),
        title=fields.TEXT(analyzer=StemmingAnalyzer()),
        body=fields.TEXT(analyzer=StemmingAnalyzer()),
    )


def build_bare(corpus: Path, target: Path, docs: int, procs: int) -> dict:
    """Index the same texts with bare Whoosh: one writer, ``procs`` processes."""
    import whoosh.index as windex

    loaded = time.perf_counter()
    records = load_records(corpus, docs)
    load_seconds = time.perf_counter() - loaded
    target.mkdir(parents=True, exist_ok=True)
    started, cpu = time.perf_counter(), cpu_seconds()
    ix = windex.create_in(str(target), bare_schema())
    if procs > 1:
        writer = ix.writer(procs=procs, limitmb=128, multisegment=True)
    else:
        writer = ix.writer(limitmb=256)
    for record in records:
        text = record.get("text") or ""
        fields = {"id": record["id"], "slug": record.get("contributor_slug") or "", "title": title_of(text)}
        fields["body"] = text
        if record.get("date"):
            day = datetime.strptime(record["date"], "%Y-%m-%d")
            fields["date"] = day
            fields["year"] = str(day.year)
        writer.add_document(**{k: v for k, v in fields.items() if v != ""})
    writer.commit()
    ix.close()
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "cpu": cpu_seconds() - cpu,
        "docs": len(records),
        "load_seconds": load_seconds,
        "peak_mb": peak_mb(),
    }


def build_fts5(corpus: Path, target: Path, docs: int) -> dict:
    """Index the same texts in an SQLite FTS5 table with the porter tokenizer."""
    records = load_records(corpus, docs)
    target.mkdir(parents=True, exist_ok=True)
    started, cpu = time.perf_counter(), cpu_seconds()
    conn = sqlite3.connect(target / "fts.sqlite3")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, slug UNINDEXED, date UNINDEXED, title, body, "
        "tokenize='porter unicode61')"
    )
    with conn:
        conn.executemany(
            "INSERT INTO docs (id, slug, date, title, body) VALUES (?, ?, ?, ?, ?)",
            (
                (
                    r["id"],
                    r.get("contributor_slug") or "",
                    r.get("date") or "",
                    title_of(r["text"]),
                    r["text"],
                )
                for r in records
            ),
        )
    conn.execute("INSERT INTO docs(docs) VALUES ('optimize')")
    conn.commit()
    conn.close()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "cpu": cpu_seconds() - cpu, "docs": len(records), "peak_mb": peak_mb()}


# -- search (one child process, all three systems interleaved) ----------------------------------


def fts5_match(text: str) -> str:
    """Our query string as an FTS5 MATCH expression: phrases kept, every other word quoted."""
    parts = re.findall(r'"([^"]+)"|(\S+)', text)
    terms: list[str] = []
    for phrase, word in parts:
        value = phrase or word
        words = re.findall(r"\w+", value)
        if words:
            terms.append('"' + " ".join(words) + '"')
    return " ".join(terms)


class OursSearch:
    """Our ``SearchService`` over a data directory."""

    def __init__(self, data_dir: Path) -> None:
        from index.settings import load_settings
        from search.service import SearchService

        self.service = SearchService(load_settings({"DATA_DIR": str(data_dir)}))
        self.workaround = ""
        try:
            self.cold(next(q for q in QUERIES if q[1] or q[3]))
        except AttributeError as exc:
            # search/service.py counts len(results) of a collapsed, filtered search, which Whoosh
            # 2.7.5 cannot do (CollapseCollector over FilterCollector); use the estimate instead.
            from whoosh.searching import Results

            original_len = Results.__len__

            def safe_len(results: Results) -> int:
                try:
                    return original_len(results)
                except AttributeError:
                    return len(results.top_n)

            Results.has_exact_length = lambda self: False
            Results.__len__ = safe_len
            self.workaround = (
                f"filtered searches crash in the core ({exc}); Results.has_exact_length/__len__ shimmed"
            )
            LOGGER.warning("%s", self.workaround)

    def request(self, query: tuple[str, str, str, str, str]):
        """The ``SearchRequest`` of one benchmark query."""
        from search.request import SearchRequest

        text, speaker, _slug, start, end = query
        return SearchRequest(
            q=text,
            speaker=speaker,
            date_from=date.fromisoformat(start) if start else None,
            date_to=date.fromisoformat(end) if end else None,
        )

    def cold(self, query) -> int:
        """One search with facets and highlights, the result cache cleared first."""
        self.service._cache.clear()  # noqa: SLF001 - the benchmark measures the uncached path
        return len(self.service.search(self.request(query)).hits)

    def uncached(self, query) -> int:
        """A search with nothing kept from earlier ones: result cache, decoded postings and filter
        masks of the open generation all dropped first (what the first searches after an ingest pay)."""
        from index.engine.accel.collect import PassCache

        self.service._cache.clear()  # noqa: SLF001
        generation = self.service.reader.current()  # the Whoosh engine's open generation
        if generation is not None:
            generation.passes = PassCache()
        return len(self.service.search(self.request(query)).hits)

    def cached(self, query) -> int:
        """The same search again (answered from the cache after the first call)."""
        return len(self.service.search(self.request(query)).hits)


class BareSearch:
    """Bare Whoosh: one open searcher, highlights cut from the texts held in memory."""

    def __init__(self, index_dir: Path, texts: dict[str, str]) -> None:
        import whoosh.index as windex
        from whoosh import highlight
        from whoosh.qparser import MultifieldParser

        self.ix = windex.open_dir(str(index_dir))
        self.searcher = self.ix.searcher()
        self.parser = MultifieldParser(["title", "body"], self.ix.schema, fieldboosts={"title": 3.0})
        self.texts = texts
        self.fragmenter = highlight.ContextFragmenter(maxchars=200, surround=40)
        self.formatter = highlight.HtmlFormatter(tagname="mark")

    def _filter(self, query):
        from whoosh import query as wq

        _text, _speaker, slug, start, end = query
        parts = []
        if slug:
            parts.append(wq.Term("slug", slug))
        if start or end:
            parts.append(wq.DateRange("date", datetime.fromisoformat(start), datetime.fromisoformat(end)))
        return wq.And(parts) if parts else None

    def search(self, query, *, facets: bool) -> int:
        """Ten hits with highlights; with ``facets``, slug and year counts through ``groupedby``."""
        from whoosh import sorting

        q = self.parser.parse(query[0])
        kwargs = {}
        if facets:
            kwargs["groupedby"] = {
                "slug": sorting.FieldFacet("slug", maptype=sorting.Count),
                "year": sorting.FieldFacet("year", maptype=sorting.Count),
            }
        results = self.searcher.search(q, limit=10, filter=self._filter(query), **kwargs)
        results.fragmenter = self.fragmenter
        results.formatter = self.formatter
        snippets = [hit.highlights("body", text=self.texts[hit["id"]], top=2) for hit in results]
        if facets:
            results.groups("slug")
            results.groups("year")
        return len(snippets)


class FtsSearch:
    """SQLite FTS5: MATCH, bm25 with a title weight, snippet(), facet counts by GROUP BY."""

    def __init__(self, db: Path) -> None:
        self.conn = sqlite3.connect(db)

    def search(self, query, *, facets: bool = True) -> int:
        """Ten hits with snippets, and slug and year counts when ``facets``."""
        text, _speaker, slug, start, end = query
        where = "docs MATCH ?"
        params: list = [fts5_match(text)]
        if slug:
            where += " AND slug = ?"
            params.append(slug)
        if start:
            where += " AND date BETWEEN ? AND ?"
            params += [start, end]
        rows = self.conn.execute(
            "SELECT id, snippet(docs, 4, '<mark>', '</mark>', ' … ', 24) FROM docs WHERE "
            + where
            + " ORDER BY bm25(docs, 0, 0, 0, 3.0, 1.0) LIMIT 10",
            params,
        ).fetchall()
        if facets:
            self.conn.execute(
                f"SELECT slug, count(*) FROM docs WHERE {where} GROUP BY slug ORDER BY 2 DESC LIMIT 20",
                params,
            ).fetchall()
            self.conn.execute(
                f"SELECT substr(date, 1, 4), count(*) FROM docs WHERE {where} GROUP BY 1", params
            ).fetchall()
        return len(rows)


def run_search(corpus: Path, work: Path, docs: int, rounds: int, seed: int = 7) -> dict:
    """Search latency (ms) of every system, interleaved query by query over ``rounds`` rounds."""
    records = load_records(corpus, docs)
    texts = {r["id"]: r["text"] for r in records}
    del records
    opened = time.perf_counter()
    ours = OursSearch(work / "ours")
    ours.cold(QUERIES[0])  # opens the searcher and builds the facet arrays
    open_ms = (time.perf_counter() - opened) * 1000
    bare = BareSearch(work / "bare", texts)
    fts = FtsSearch(work / "fts5" / "fts.sqlite3")
    systems = {
        "ours cold": ours.cold,
        "ours cached": ours.cached,
        "ours, nothing kept": ours.uncached,
        "bare whoosh": lambda q: bare.search(q, facets=False),
        "bare whoosh + groupedby": lambda q: bare.search(q, facets=True),
        "fts5 (+ facets)": lambda q: fts.search(q, facets=True),
    }
    for query in QUERIES:  # warm every system once (page cache, stemmer caches)
        for run in systems.values():
            run(query)
    rng = random.Random(seed)
    samples: dict[str, list[list[float]]] = {name: [] for name in systems}
    hits: dict[str, list[int]] = {name: [] for name in systems}
    for _ in range(rounds):
        round_samples: dict[str, list[float]] = {name: [] for name in systems}
        for query in QUERIES:
            names = [n for n in systems if n != "ours cached"]
            rng.shuffle(names)
            names.insert(names.index("ours cold") + 1, "ours cached")  # cached right after its cold run
            for name in names:
                started = time.perf_counter()
                count = systems[name](query)
                round_samples[name].append((time.perf_counter() - started) * 1000)
                hits[name].append(count)
        for name in systems:
            samples[name].append(round_samples[name])
    out: dict = {"open_ms": open_ms, "peak_mb": peak_mb(), "workaround": ours.workaround, "systems": {}}
    for name, per_round in samples.items():
        p50 = statistics.median(percentile(r, 50) for r in per_round)
        p95 = statistics.median(percentile(r, 95) for r in per_round)
        slowest = max(range(len(QUERIES)), key=lambda i: statistics.median(r[i] for r in per_round))
        out["systems"][name] = {
            "p50": p50,
            "p95": p95,
            "max_query": QUERIES[slowest][0] + (f" [{QUERIES[slowest][1]}]" if QUERIES[slowest][1] else ""),
            "max_ms": statistics.median(r[slowest] for r in per_round),
            "empty": sum(1 for c in hits[name][: len(QUERIES)] if c == 0),
        }
    return out


def percentile(values: list[float], pct: float) -> float:
    """The ``pct`` percentile of ``values`` (linear interpolation)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


# -- driver ---------------------------------------------------------------------------------------


def child(phase: str, corpus: Path, target: Path, docs: int, extra: int) -> None:
    """Run one phase in this (child) process and print its result as JSON on the last line."""
    if phase == "ours":
        result = build_ours(corpus, target, extra)
    elif phase == "bare":
        result = build_bare(corpus, target, docs, extra)
    elif phase == "fts5":
        result = build_fts5(corpus, target, docs)
    elif phase == "search":
        result = run_search(corpus, target, docs, extra)
    else:
        raise SystemExit(f"unknown phase {phase}")
    print(json.dumps(result))


def spawn(phase: str, corpus: Path, target: Path, docs: int, extra: int, source: Path | None = None) -> dict:
    """Run a phase in a fresh Python process; returns its JSON result. With ``source`` (a checkout of
    another commit), that checkout's own ``bench_core.py`` runs the phase on that checkout's code."""
    script, env, cwd = __file__, None, None
    if source is not None:
        script, cwd = str(source / "benchmarks" / "bench_core.py"), str(source)
        env = {**os.environ, "PYTHONPATH": str(source)}
    cmd = [sys.executable, script, "--phase", phase, "--corpus", str(corpus), "--target", str(target)]
    cmd += ["--docs", str(docs), "--extra", str(extra)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env, cwd=cwd)
    if done.returncode != 0:
        raise RuntimeError(f"phase {phase} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def write_subset(records_path: Path, out: Path, docs: int) -> int:
    """Copy the first ``docs`` lines of the corpus to ``out`` (gzip), so every system reads the same."""
    count = 0
    with gzip.open(records_path, "rb") as src, gzip.open(out, "wb", compresslevel=6) as dst:
        for line in src:
            if line.strip():
                dst.write(line)
                count += 1
                if count >= docs:
                    break
    return count


def main(argv: list[str] | None = None) -> None:
    """Run every build (interleaved over rounds), then the search comparison, and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10000, help="documents from the trove corpus")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of every build (medians quoted)")
    parser.add_argument("--search-rounds", type=int, default=7, help="rounds over the query set")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--work-dir", type=Path, help="keep builds here (default: a temporary folder)")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--target", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--extra", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--ingest-only", action="store_true", help="the ingest builds only (no FTS5, no search)")
    parser.add_argument(
        "--compare-src", type=Path, help="a checkout of another commit: its pipeline ingests too, in the same rounds"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.phase:
        child(args.phase, args.corpus, args.target, args.docs, args.extra)
        return
    if not args.corpus.exists():
        raise SystemExit(f"corpus not found: {args.corpus}")
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="migsearch-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        report(work, args)
    finally:
        if not args.work_dir:
            shutil.rmtree(work, ignore_errors=True)


def report(work: Path, args: argparse.Namespace) -> None:
    """Builds, search, and the printed table."""
    subset = work / "docs.jsonl.gz"
    docs = write_subset(args.corpus, subset, args.docs)
    print(f"corpus: {docs:,} trove documents; {args.rounds} build round(s); work dir {work}", flush=True)
    builds = [
        ("ours, 1 worker", "ours", 1),
        ("bare whoosh, 1 writer", "bare", 1),
        ("fts5 (porter)", "fts5", 0),
        ("ours, 2 workers", "ours", 2),
        ("bare whoosh, procs=2", "bare", 2),
    ]
    if args.ingest_only:
        builds = [build for build in builds if build[1] != "fts5"]
    if args.compare_src:
        builds += [(f"other, {extra} worker{'s' if extra > 1 else ''}", "other", extra) for extra in (1, 2)]
    results: dict[str, list[dict]] = {label: [] for label, _, _ in builds}
    results["ours, re-ingest unchanged"] = []
    for number in range(args.rounds):
        order = builds[number % len(builds) :] + builds[: number % len(builds)]
        for label, phase, extra in order:
            target = work / f"{phase}-{extra}"
            shutil.rmtree(target, ignore_errors=True)
            if phase == "other":
                result = spawn("ours", subset, target, docs, extra, source=args.compare_src)
            else:
                result = spawn(phase, subset, target, docs, extra)
            results[label].append(result)
            print(f"  round {number + 1}: {label}: {result['seconds']:.1f} s", flush=True)
            if phase == "ours" and extra == 1 and not args.ingest_only:
                again = spawn("ours", subset, target, docs, 1)
                results["ours, re-ingest unchanged"].append(again)
                print(
                    f"  round {number + 1}: re-ingest: {again['seconds']:.2f} s {again['counts']}", flush=True
                )
    if args.ingest_only:
        print_ingest(docs, results, args.compare_src)
        return
    for name, src in (("ours", "ours-1"), ("bare", "bare-1"), ("fts5", "fts5-0")):
        final = work / name
        if final.is_symlink():
            final.unlink()
        final.symlink_to(work / src)
    search = spawn("search", subset, work, docs, args.search_rounds)
    print_ingest(docs, results, args.compare_src)
    print_search(search)


def print_ingest(docs: int, results: dict[str, list[dict]], other: Path | None) -> None:
    """The ingest figures with units, and the ratios against the issues' targets."""
    med = {label: statistics.median(r["seconds"] for r in runs) for label, runs in results.items() if runs}
    cpu = {label: statistics.median(r.get("cpu", 0.0) for r in runs) for label, runs in results.items() if runs}
    peak = {label: max(r["peak_mb"] for r in runs) for label, runs in results.items() if runs}
    print(f"\nINGEST / INDEXING ({docs:,} docs; median of rounds; CPU = all processes of the build)")
    print(f"{'system':34} {'seconds':>9} {'docs/s':>9} {'CPU ms/doc':>11} {'peak MB':>9}")
    for label in med:
        rate = docs / med[label] if med[label] else float("inf")
        print(f"{label:34} {med[label]:9.2f} {rate:9.1f} {cpu[label] / docs * 1000:11.2f} {peak[label]:9.0f}")
    bare1 = med["bare whoosh, 1 writer"]
    ratio1 = bare1 / med["ours, 1 worker"]
    ratio2 = bare1 / med["ours, 2 workers"]
    print("\nTARGETS")
    print(
        f"  ours 1 worker  / bare 1 writer (speed) = {ratio1:5.2f}x   target >= {TARGET_INGEST_RATIO}x   "
        f"{'MET' if ratio1 >= TARGET_INGEST_RATIO else 'MISSED'}"
    )
    print(
        f"  ours 2 workers / bare 1 writer (speed) = {ratio2:5.2f}x   target >  1.0x   "
        f"{'MET' if ratio2 > 1 else 'MISSED'}"
    )
    if "ours, re-ingest unchanged" in med:
        reingest = med["ours, re-ingest unchanged"] / med["ours, 1 worker"]
        print(f"  re-ingest unchanged / first ingest     = {reingest:5.1%}")
    if "bare whoosh, procs=2" in med:
        ratio = med["bare whoosh, procs=2"] / med["ours, 2 workers"]
        print(f"  ours 2 workers / bare procs=2 (speed)  = {ratio:5.2f}x")
    if other is not None:
        print(f"  the other checkout: {other}")
        for workers, bare in ((1, "bare whoosh, 1 writer"), (2, "bare whoosh, procs=2")):
            mine, theirs = med[f"ours, {workers} worker{'s' if workers > 1 else ''}"], med[
                f"other, {workers} worker{'s' if workers > 1 else ''}"]
            print(
                f"  {workers} worker(s): ours / bare = {med[bare] / mine:5.2f}x, other / bare = "
                f"{med[bare] / theirs:5.2f}x; ours {'no slower' if mine <= theirs * 1.02 else 'SLOWER'} "
                f"than the other ({theirs / mine:5.2f}x its speed)"
            )


def print_search(search: dict) -> None:
    """The search latency figures and their targets."""
    systems = search["systems"]
    print(f"\nSEARCH LATENCY ({len(QUERIES)} queries, 10 hits, facets + highlights; ms, median over rounds)")
    print(
        f"  our service: open + first query {search['open_ms']:.0f} ms; search process peak "
        f"{search['peak_mb']:.0f} MB"
    )
    print(f"{'system':26} {'p50 ms':>8} {'p95 ms':>8}  {'empty':>5}  slowest query (ms)")
    for name, row in systems.items():
        print(
            f"{name:26} {row['p50']:8.2f} {row['p95']:8.2f}  {row['empty']:5d}  "
            f"{row['max_query']} ({row['max_ms']:.1f})"
        )
    if search.get("workaround"):
        print(f"  NOTE: {search['workaround']}")
    cold, cached = systems["ours cold"]["p95"], systems["ours cached"]["p95"]
    print(
        f"  ours cold p95   = {cold:6.1f} ms   target < {TARGET_P95_MS:g} ms   "
        f"{'MET' if cold < TARGET_P95_MS else 'MISSED'}"
    )
    bare_p95 = systems["ours, nothing kept"]["p95"]
    print(
        f"  ours p95, nothing kept = {bare_p95:6.1f} ms   target < {TARGET_P95_MS:g} ms   "
        f"{'MET' if bare_p95 < TARGET_P95_MS else 'MISSED'}"
    )
    print(
        f"  ours cached p95 = {cached:6.3f} ms   target < {TARGET_CACHED_MS:g} ms   "
        f"{'MET' if cached < TARGET_CACHED_MS else 'MISSED'}"
    )
    print(
        f"  ours cold p95 / bare whoosh p95 = {cold / systems['bare whoosh']['p95']:.1f}x; "
        f"/ fts5 p95 = {cold / systems['fts5 (+ facets)']['p95']:.1f}x"
    )


if __name__ == "__main__":
    main()
