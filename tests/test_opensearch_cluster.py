"""A two-node OpenSearch cluster losing a node mid-way through searches and ingests, and healing.

The index has 2 shards and 1 replica, so each node holds a full copy. One node is stopped while a loop
ingests a release and searches after each: every search must answer with every release ingested so far
(no partial results), every ingest must succeed (bulk retries while shards move), and once the node is
back the cluster is green again with nothing lost. The stopped node is the one that is not the elected
cluster manager: two manager-eligible nodes cannot elect a new one (a real cluster has three).
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest

from index.ingest.pipeline import ingest_paths
from index.settings import load_settings
from search.request import SearchRequest
from search.service import SearchService

# The OpenSearch client's pooled sockets to a node stopped or refusing mid-test are closed by the garbage
# collector, at whatever test runs next: not a leak of ours, so not an error here.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

ROUNDS = 24
STOP_AT = 6
RESTART_AT = 14
LOOP_SECONDS = 420  # the loop stops by itself if the machine is very slow


def _release(number: int) -> str:
    return (
        f"Cluster release number {number}\n\n12 March 2024\n\n"
        f"The migration service published its report number {number} on border procedures, "
        f"reception conditions and asylum interviews in the region (item k{number}x)."
    )


def _manager(cluster) -> str:
    from opensearch_nodes import http_json

    for node in cluster.nodes:
        if node.alive():
            try:
                return http_json(f"{node.url}/_cat/cluster_manager?format=json")[0]["node"]
            except OSError:
                continue
    raise AssertionError("no node answers")


def test_searches_stay_complete_and_ingests_lose_nothing_while_a_node_is_down(opensearch_cluster, tmp_path: Path):
    cluster = opensearch_cluster
    settings = load_settings(
        {
            "DATA_DIR": str(tmp_path / "data"),
            "ENGINE": "opensearch",
            "OPENSEARCH_URL": ",".join(cluster.urls),
            "OPENSEARCH_INDEX_PREFIX": f"cluster-{uuid.uuid4().hex[:8]}",
            "OPENSEARCH_SHARDS": 2,
            "OPENSEARCH_REPLICAS": 1,
            "OPENSEARCH_BULK_SIZE": 5,
            "INGEST_WORKERS": 1,
        }
    )
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "first.txt").write_text(_release(0), encoding="utf-8")
    assert ingest_paths(settings, [str(folder / "first.txt")]).counts["added"] == 1
    cluster.wait("green")
    manager = _manager(cluster)
    victim = next(node for node in cluster.nodes if node.name != manager)
    service = SearchService(settings)
    expected = 1
    started = time.monotonic()
    stopped_during: list[int] = []
    try:
        for number in range(1, ROUNDS + 1):
            if time.monotonic() - started > LOOP_SECONDS:
                break
            if number == STOP_AT:
                victim.stop()
            if number == RESTART_AT:
                victim.start()
            if not victim.alive():
                stopped_during.append(number)
            path = folder / f"release-{number}.txt"
            path.write_text(_release(number), encoding="utf-8")
            summary = ingest_paths(settings, [str(path)])
            assert summary.counts["added"] == 1 and not summary.failures, summary.to_dict()
            expected += 1
            service.reader.refresh()  # readers look for commits twice a second; this loop is quicker
            result = service.search(SearchRequest(q="cluster release", per_page=100))
            assert result.total == expected, f"round {number}: {result.total} of {expected} releases found"
            assert service.search(SearchRequest(q=f"k{number}x")).total == 1
        assert len(stopped_during) >= 4, "the node was not down for long enough to test anything"
        health = cluster.wait("green", nodes=2, timeout=240)
        assert health["status"] == "green" and health["number_of_nodes"] == 2
        assert service.search(SearchRequest(q="cluster release", per_page=100)).total == expected
        assert service.health()["documents"] == expected
    finally:
        service.close()
