"""Writing to a real OpenSearch node: refused documents reported and kept, rebuilds behind the alias."""

from __future__ import annotations

import json
import threading
import uuid
from pathlib import Path

import pytest

from index.engine.opensearch.connection import OpenSearchConfig
from index.engine.opensearch.mapping import MAPPING_VERSION
from index.engine.opensearch.writer import OpenSearchIndex
from index.ingest.pipeline import ingest_paths, reindex
from index.settings import load_settings
from index.store.documents import DocumentStore
from search.request import SearchRequest
from search.service import SearchService

# The OpenSearch client's pooled sockets to a node stopped or refusing mid-test are closed by the garbage
# collector, at whatever test runs next: not a leak of ours, so not an error here.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _settings(node, tmp_path: Path) -> dict:
    return load_settings(
        {
            "DATA_DIR": str(tmp_path / "data"),
            "ENGINE": "opensearch",
            "OPENSEARCH_URL": node.urls[0],
            "OPENSEARCH_INDEX_PREFIX": f"ingest-{uuid.uuid4().hex[:10]}",
            "OPENSEARCH_REPLICAS": 0,
            "OPENSEARCH_BULK_SIZE": 2,
        }
    )


def test_a_refused_document_is_reported_stored_and_tried_again(opensearch_node, tmp_path):
    records = [
        {"id": f"r{i}", "title": f"Release {i}", "text": f"The minister said asylum rules will change ({i}).",
         "source": "ministry"}
        for i in range(5)
    ]
    records[2]["source"] = "s" * 40_000  # a keyword longer than Lucene's 32,766-byte term limit
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    settings = _settings(opensearch_node, tmp_path)
    summary = ingest_paths(settings, [str(path)])
    assert summary.counts["added"] == 5
    refused = [f for f in summary.failures if f.status == "unindexed"]
    assert len(refused) == 1 and "immense term" in refused[0].reason
    with DocumentStore(settings["DATA_DIR"]) as store:
        assert store.count() == 5
        assert store.unindexed_ids() == [refused[0].doc_id]
    service = SearchService(settings)
    try:
        assert service.search(SearchRequest(q="asylum")).total == 4
    finally:
        service.close()
    again = ingest_paths(settings, [str(path)])  # the store's copy is sent again, and reported again
    assert [f.doc_id for f in again.failures if f.status == "unindexed"] == [refused[0].doc_id]


def test_reindex_full_moves_the_alias_while_searches_keep_answering(opensearch_node, tmp_path):
    settings = _settings(opensearch_node, tmp_path)
    ingest_paths(settings, [str(EXAMPLES)])
    config = OpenSearchConfig.from_settings(settings)
    engine = OpenSearchIndex(config)
    service = SearchService(settings)
    try:
        before_index = engine.live_index()
        assert engine.mapping_version(before_index) == MAPPING_VERSION
        expected = service.search(SearchRequest(q="refugees")).total
        assert expected >= 3
        answers: list[int] = []
        done = threading.Event()
        errors: list[BaseException] = []

        def rebuild() -> None:
            try:
                assert reindex(settings, full=True)["rebuilt"] is True
            except BaseException as exc:  # noqa: BLE001 - reported by the main thread
                errors.append(exc)
            finally:
                done.set()

        worker = threading.Thread(target=rebuild)
        worker.start()
        while not done.is_set():
            answers.append(service.search(SearchRequest(q="refugees")).total)
        worker.join()
        assert not errors
        answers.append(service.search(SearchRequest(q="refugees")).total)
        assert answers and set(answers) == {expected}
        after_index = engine.live_index()
        assert after_index != before_index
        reindex(settings, full=True)  # a second rebuild keeps the one before and drops older ones
        kept = set(engine.client.indices.get(index=f"{config.alias}-v*"))
        assert before_index not in kept and after_index in kept and len(kept) == 2
    finally:
        service.close()
        engine.close()
