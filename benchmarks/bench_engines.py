"""Whoosh against OpenSearch (one node, and a two-node cluster) on the same documents, side by side.

One run prints, with units:

- the pipeline's ingest rate (normalize, extract, store and index with Whoosh), once: it is the same
  work for both engines up to the index;
- the engines' own indexing rate: the stored documents indexed again from the store (Whoosh:
  ``index.indexer.rebuild`` with one process; OpenSearch: ``OpenSearchIndex.rebuild``, bulk requests of
  500), interleaved over ``--rounds``;
- search latency p50/p95 over bench_core's 31 queries (10 hits with facets, chart and highlights)
  through each engine's search service, the systems interleaved query by query (the result cache
  off, so every search is computed);
- index size on disk (Whoosh: the index folder; OpenSearch: the primaries' store) and memory (Whoosh:
  the growth of this process's resident memory while searching; OpenSearch: the nodes' resident memory
  and heap in use).

Documents: the trove corpus (9,983 releases). Above that, variations are generated: copy k of release d
takes the paragraphs of d interleaved with those of release (d + 7919 k) mod n, a date k x 37 days later
and an id of its own, so that the copies are new texts for the index (not near-duplicates of one release).
By default (``--variations store``) the copies are made from the stored, already extracted releases and
written to the store directly (they keep release d's speakers, events, places and quotes): the pipeline
runs once over the trove releases, and the engines then index every stored document. With
``--variations pipeline`` the copies go through the whole pipeline (normalize and extract again), which
takes about as long per copy as per release.

The OpenSearch nodes are the tests' (``tests/opensearch_nodes.py``): integration-test distribution,
heap ``--heap`` (default 1 GB here), on 127.0.0.1. The machine has 2 cores shared with other agents: the
two nodes of the "cluster" share those 2 cores with the benchmark itself, so it shows the cost of
replication, not the gain of a second machine. Usage::

    .venv/bin/python benchmarks/bench_engines.py --docs 10000 --rounds 1
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_core import CORPUS, MAPPING_ARGS, QUERIES, percentile  # noqa: E402

LOGGER = logging.getLogger("benchmarks.bench_engines")


def write_corpus(out: Path, docs: int) -> int:
    """``docs`` releases as JSON Lines: the trove corpus, then generated variations (see above)."""
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    n = len(records)
    written = 0
    with out.open("w", encoding="utf-8") as sink:
        for number in range(docs):
            k, d = divmod(number, n)
            record = dict(records[d])
            if k:
                other = records[(d + 7919 * k) % n]
                mine = record["text"].split("\n\n")
                theirs = other["text"].split("\n\n")
                mixed = [p for pair in zip(mine, theirs, strict=False) for p in pair]
                mixed += mine[len(theirs):] + theirs[len(mine):]
                record["text"] = "\n\n".join(mixed)
                record["id"] = f"{record['id']}-v{k}"
                if record.get("date"):
                    shifted = date.fromisoformat(record["date"][:10]) + timedelta(days=37 * k)
                    record["date"] = shifted.isoformat()
            sink.write(json.dumps(record) + "\n")
            written += 1
    return written


def add_store_variations(data_dir: Path, docs: int) -> int:
    """Fill the store up to ``docs`` documents with variations of the stored releases (see above)."""
    from dataclasses import replace

    from index.store.documents import DocumentStore

    store = DocumentStore(data_dir)
    try:
        if store.count() >= docs:  # a reused --work folder already holds them
            return 0
        originals = sorted(store.iter_documents(), key=lambda doc: doc.id)
        n, have = len(originals), store.count()
        added = 0
        for number in range(have, docs):
            k, d = divmod(number, n)
            k = max(k, 1)
            doc, other = originals[d], originals[(d + 7919 * k) % n]
            mine, theirs = doc.body.split("\n\n"), other.body.split("\n\n")
            mixed = [p for pair in zip(mine, theirs, strict=False) for p in pair]
            body = "\n\n".join(mixed + mine[len(theirs):] + theirs[len(mine):])
            copy = replace(
                doc, id=f"{doc.id}-v{k}", body=body, raw=body.encode("utf-8"), raw_kind="text", raw_meta={},
                date=doc.date + timedelta(days=37 * k) if doc.date else None,
            )
            store.upsert(copy, dup_group=copy.text_hash)  # new text: its own duplicate group
            added += 1
            if added % 5000 == 0:
                store.commit()
        store.commit()
        return added
    finally:
        store.close()


def rss_mb(pid: int | str = "self") -> float:
    """Resident memory of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def folder_mb(path: Path) -> float:
    """Bytes of the files under ``path``, in MB."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def stored_pairs(data_dir: Path):
    """(document, duplicate group) of every stored document."""
    from index.store.documents import DocumentStore

    store = DocumentStore(data_dir)
    try:
        for doc in store.iter_documents():
            yield doc, store.dup_groups([doc.id]).get(doc.id, doc.text_hash)
    finally:
        store.close()


def rebuild_whoosh(data_dir: Path) -> tuple[float, int]:
    """Seconds and documents to index the store again with Whoosh (one process)."""
    from index.engine.indexer import rebuild
    from index.engine.lock import WriteLock

    started = time.perf_counter()
    with WriteLock(data_dir):
        count = rebuild(data_dir, stored_pairs(data_dir), procs=1)
    return time.perf_counter() - started, count


def rebuild_opensearch(settings: dict) -> tuple[float, int]:
    """Seconds and documents to index the store into OpenSearch (a new index behind the alias)."""
    from index.engine.opensearch.connection import OpenSearchConfig
    from index.engine.opensearch.writer import OpenSearchIndex
    from index.settings import data_dir

    engine = OpenSearchIndex(OpenSearchConfig.from_settings(settings))
    try:
        started = time.perf_counter()
        count = engine.rebuild(stored_pairs(data_dir(settings)))
        return time.perf_counter() - started, count
    finally:
        engine.close()


def opensearch_size_mb(settings: dict) -> float:
    """Primary store size of the live OpenSearch index, in MB."""
    from index.engine.opensearch.connection import OpenSearchConfig

    config = OpenSearchConfig.from_settings(settings)
    client = config.client()
    try:
        stats = client.indices.stats(index=config.alias, metric="store")
        return sum(i["primaries"]["store"]["size_in_bytes"] for i in stats["indices"].values()) / 1e6
    finally:
        client.close()


def node_memory(cluster) -> str:
    """Resident memory and heap in use of the nodes, in MB."""
    from opensearch_nodes import http_json

    heap = http_json(f"{cluster.urls[0]}/_nodes/stats/jvm")["nodes"].values()
    used = sum(node["jvm"]["mem"]["heap_used_in_bytes"] for node in heap) / 1e6
    rss = sum(rss_mb(node.process.pid) for node in cluster.nodes if node.alive())
    return f"RSS {rss:.0f} MB, heap used {used:.0f} MB"


def requests():
    from search.request import SearchRequest

    for text, speaker, _slug, start, end in QUERIES:
        yield SearchRequest(
            q=text, speaker=speaker, date_from=date.fromisoformat(start) if start else None,
            date_to=date.fromisoformat(end) if end else None,
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=1, help="rebuild rounds (interleaved)")
    parser.add_argument("--search-rounds", type=int, default=3)
    parser.add_argument("--heap", default="-Xms1g -Xmx1g")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--variations", choices=("store", "pipeline"), default="store",
                        help="make the copies beyond the trove corpus in the store (fast) or through the pipeline")
    parser.add_argument("--keep-whoosh", action="store_true",
                        help="with --work: search the Whoosh index an earlier run left there, do not rebuild it")
    parser.add_argument("--green-timeout", type=float, default=3600,
                        help="seconds to wait for the clusters to allocate every replica before searching")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if not CORPUS.exists():
        sys.exit(f"{CORPUS} is absent: the benchmark needs the shared trove corpus")

    import opensearch_nodes

    from index.ingest.pipeline import ingest_paths
    from index.inputs.records import parse_mapping
    from index.settings import load_settings
    from search.service import SearchService

    opensearch_nodes.HEAP = args.heap
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-engines-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "corpus.jsonl"
    through_pipeline = args.docs if args.variations == "pipeline" else min(args.docs, 9983)
    write_corpus(corpus, through_pipeline)

    whoosh = load_settings({"DATA_DIR": str(work / "data"), "SEARCH_CACHE_SIZE": 0, "ENGINE": "whoosh"})
    if not args.keep_whoosh:  # (kept: the store and index of an earlier run are complete; an ingest would
        # take the variations, which rebuilds index without the pipeline, for documents never indexed)
        started = time.perf_counter()
        summary = ingest_paths(whoosh, [str(corpus)], mapping=parse_mapping(MAPPING_ARGS))
        seconds = time.perf_counter() - started
        print(f"pipeline ingest (normalize, extract, store, Whoosh index; INGEST_WORKERS=0): "
              f"{summary.total / seconds:.1f} docs/s ({seconds:.0f} s)")
    made = add_store_variations(work / "data", args.docs) if args.docs > through_pipeline else 0
    from index.store.documents import DocumentStore

    with DocumentStore(work / "data") as store:
        stored = store.count()  # a reused --work folder may hold more than this run put in
    print(f"documents in the store: {stored} ({min(args.docs, 9983)} trove releases through the pipeline "
          f"in this run, {made} variations made in the store)")

    clusters = {"opensearch-1": opensearch_nodes.start_cluster(1, name="bench-1")}
    clusters["opensearch-2"] = opensearch_nodes.start_cluster(2, name="bench-2")
    systems = {"whoosh": whoosh}
    for name, cluster in clusters.items():
        two = name.endswith("2")
        systems[name] = load_settings({
            "DATA_DIR": str(work / "data"), "ENGINE": "opensearch", "OPENSEARCH_URL": ",".join(cluster.urls),
            "OPENSEARCH_INDEX_PREFIX": f"bench-{uuid.uuid4().hex[:6]}", "OPENSEARCH_SHARDS": 2 if two else 1,
            "OPENSEARCH_REPLICAS": 1 if two else 0, "SEARCH_CACHE_SIZE": 0,
        })
    try:
        if args.keep_whoosh:  # what a rebuild by this version leaves beside the segments
            from index.engine.generations import index_path
            from index.engine.segment_cache import warm_segment_caches

            warm_segment_caches(index_path(work / "data"), work / "data")
        rates: dict[str, list[float]] = {name: [] for name in systems}
        for _ in range(args.rounds):
            for name, settings in systems.items():
                if name == "whoosh" and args.keep_whoosh:
                    continue
                took, count = (rebuild_whoosh(work / "data") if name == "whoosh" else rebuild_opensearch(settings))
                rates[name].append(count / took)
                print(f"{name}: indexed {count:,} documents in {took:.0f} s ({count / took:.1f} docs/s)", flush=True)
        for name, cluster in clusters.items():
            waited = time.perf_counter()
            cluster.wait("green", timeout=args.green_timeout)
            print(f"{name}: green (every replica allocated) {time.perf_counter() - waited:.0f} s after indexing",
                  flush=True)
        rss_before = rss_mb()
        services = {name: SearchService(settings) for name, settings in systems.items()}
        latencies: dict[str, list[float]] = {name: [] for name in systems}
        totals: dict[str, list[int]] = {name: [] for name in systems}
        for round_number in range(args.search_rounds):
            for req in requests():
                for name, service in services.items():
                    started = time.perf_counter()
                    result = service.search(req)
                    latencies[name].append((time.perf_counter() - started) * 1000)
                    if round_number == 0:
                        totals[name].append(result.total)
        whoosh_rss = rss_mb() - rss_before
        agree = all(totals[name] == totals["whoosh"] for name in systems)
        print(f"totals agree on all {len(QUERIES)} queries: {agree}")
        print(f"{'system':<14} {'index docs/s':>12} {'p50 ms':>8} {'p95 ms':>8} {'index MB':>9}  memory")
        for name, settings in systems.items():
            size = folder_mb(work / "data" / "index") if name == "whoosh" else opensearch_size_mb(settings)
            memory = (f"search process +{whoosh_rss:.0f} MB" if name == "whoosh" else node_memory(clusters[name]))
            rate = f"{statistics.median(rates[name]):>12.0f}" if rates[name] else f"{'(kept)':>12}"
            print(f"{name:<14} {rate} {percentile(latencies[name], 50):>8.1f} "
                  f"{percentile(latencies[name], 95):>8.1f} {size:>9.1f}  {memory}")
        base = percentile(latencies["whoosh"], 50)
        for name in systems:
            print(f"p50 ratio {name} / whoosh: {percentile(latencies[name], 50) / base:.2f}")
        for service in services.values():
            service.close()
    finally:
        for cluster in clusters.values():
            cluster.stop()
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
