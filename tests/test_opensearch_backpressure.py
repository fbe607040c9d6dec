"""Back-pressure on a real node: bulk requests refused with 429 are sent again, nothing is lost, and what
still fails is reported and kept for the next run.

The node (``opensearch_busy_node``) has one write thread and a write queue of one, so each bulk request
to an index of four shards finds the queue full for some of its shard requests: OpenSearch answers
those items (or the whole request) with 429, exactly as a loaded cluster does.
"""

from __future__ import annotations

import json
import threading
import uuid
from pathlib import Path

import pytest

from index.document import Document
from index.engine.opensearch import writer as os_writer
from index.engine.opensearch.connection import OpenSearchConfig
from index.engine.opensearch.writer import BulkWriter, OpenSearchIndex
from index.ingest.pipeline import ingest_paths
from index.settings import load_settings
from index.store.documents import DocumentStore
from search.request import SearchRequest
from search.service import SearchService

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

SHARDS = 4


def _settings(node, data_dir: Path) -> dict:
    return load_settings(
        {
            "DATA_DIR": str(data_dir),
            "ENGINE": "opensearch",
            "OPENSEARCH_URL": node.urls[0],
            "OPENSEARCH_INDEX_PREFIX": f"busy-{uuid.uuid4().hex[:10]}",
            "OPENSEARCH_SHARDS": SHARDS,
            "OPENSEARCH_REPLICAS": 0,
            "OPENSEARCH_BULK_SIZE": 100,
        }
    )


def _rejected(node) -> int:
    """Write tasks the node has refused so far."""
    from opensearch_nodes import http_json

    stats = http_json(f"{node.urls[0]}/_nodes/stats/thread_pool")["nodes"]
    return sum(int(n["thread_pool"]["write"]["rejected"]) for n in stats.values())


def _document(number: int, prefix: str) -> Document:
    return Document(
        id=f"{prefix}-{number}",
        source="busy-ministry",
        title=f"Release {number} on asylum processing",
        body=f"The department processed asylum applications in region {number}. " * 5,
    )


def _ids_in(client, index: str) -> set[str]:
    client.indices.refresh(index=index)
    found = client.search(index=index, body={"size": 10_000, "_source": False, "query": {"match_all": {}}})
    return {hit["_id"] for hit in found["hits"]["hits"]}


def test_parallel_bulk_writers_retry_refusals_and_lose_nothing(opensearch_busy_node, tmp_path):
    config = OpenSearchConfig.from_settings(_settings(opensearch_busy_node, tmp_path / "data"))
    index = OpenSearchIndex(config)
    index.ensure()
    rejected_before = _rejected(opensearch_busy_node)
    writers = [BulkWriter(config.client(), config.alias, 100, owns_client=True) for _ in range(4)]
    results: dict[int, list] = {}

    def write(number: int) -> None:
        writer = writers[number]
        for doc in range(300):
            writer.add(_document(doc, f"w{number}"), dup_group=f"w{number}-{doc}")
        results[number] = writer.commit()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(len(writers))]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert _rejected(opensearch_busy_node) > rejected_before  # the node did refuse work
        assert sum(w.retried for w in writers) > 0  # ... and the writers sent it again
        assert all(results[n] == [] for n in range(len(writers)))  # no document given up on
        expected = {f"w{n}-{doc}" for n in range(len(writers)) for doc in range(300)}
        assert _ids_in(index.client, config.alias) == expected  # every document once, none lost
    finally:
        for writer in writers:
            writer.close()
        index.drop_all()
        index.close()


def test_documents_still_refused_after_the_retries_are_reported_never_dropped(
    opensearch_busy_node, tmp_path, monkeypatch
):
    config = OpenSearchConfig.from_settings(_settings(opensearch_busy_node, tmp_path / "data"))
    index = OpenSearchIndex(config)
    index.ensure()
    monkeypatch.setattr(os_writer, "MAX_ATTEMPTS", 1)  # no second try: what is refused is given up on at once
    writer = BulkWriter(config.client(), config.alias, 200, owns_client=True)
    try:
        for doc in range(600):
            writer.add(_document(doc, "g"), dup_group=f"g-{doc}")
        failures = writer.commit()
        assert failures, "the busy node refused nothing: the test did not reach back-pressure"
        assert all("gave up after 1 attempts" in f.reason and "429" in f.reason for f in failures)
        failed = {f.id for f in failures}
        indexed = _ids_in(index.client, config.alias)
        assert not failed & indexed  # reported as failed means not indexed ...
        assert failed | indexed == {f"g-{doc}" for doc in range(600)}  # ... and nothing else went missing
    finally:
        writer.close()
        index.drop_all()
        index.close()


def test_ingest_reports_refused_documents_and_the_next_run_sends_them(opensearch_busy_node, tmp_path, monkeypatch):
    records = [
        {"id": f"r{i}", "title": f"Asylum release {i}", "text": f"The minister said asylum rules change ({i}).",
         "source": "ministry"}
        for i in range(400)
    ]
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    settings = _settings(opensearch_busy_node, tmp_path / "data")
    monkeypatch.setattr(os_writer, "MAX_ATTEMPTS", 1)
    first = ingest_paths(settings, [str(path)])
    refused = sorted(f.doc_id for f in first.failures if f.status == "unindexed")
    assert first.counts["added"] == 400 and refused  # every release stored; the refused ones reported
    assert all("429" in f.reason for f in first.failures if f.status == "unindexed")
    with DocumentStore(settings["DATA_DIR"]) as store:
        assert store.count() == 400 and sorted(store.unindexed_ids()) == refused
    monkeypatch.setattr(os_writer, "MAX_ATTEMPTS", 10)  # the normal retries: the next run catches up
    monkeypatch.setattr(os_writer, "FIRST_PAUSE", 0.1)
    second = ingest_paths(settings, [str(path)])
    assert not [f for f in second.failures if f.status == "unindexed"]
    with DocumentStore(settings["DATA_DIR"]) as store:
        assert store.unindexed_ids() == []
    service = SearchService(settings)
    try:
        assert service.search(SearchRequest(q="asylum")).total == 400
    finally:
        service.close()
        index = OpenSearchIndex(OpenSearchConfig.from_settings(settings))
        index.drop_all()
        index.close()
