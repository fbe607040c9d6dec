"""The real OpenSearch node the tests use: fetched by the project, started on 127.0.0.1, with the analyzers."""

from __future__ import annotations

import json
import urllib.request


def _analyze(url: str, analysis: dict, text: str) -> list[str]:
    body = json.dumps({**analysis, "text": text}).encode("utf-8")
    request = urllib.request.Request(f"{url}/_analyze", data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return [token["token"] for token in json.loads(response.read())["tokens"]]


def test_node_answers_on_loopback_with_a_small_heap(opensearch_node):
    from opensearch_nodes import http_json

    url = opensearch_node.urls[0]
    assert url.startswith("http://127.0.0.1:")
    assert http_json(f"{url}/_cluster/health")["status"] in ("green", "yellow")
    nodes = http_json(f"{url}/_nodes/stats/jvm")["nodes"]
    assert all(node["jvm"]["mem"]["heap_max_in_bytes"] <= 512 * 1024 * 1024 for node in nodes.values())


def test_analysis_common_module_gives_stemmers(opensearch_node):
    url = opensearch_node.urls[0]
    assert _analyze(url, {"tokenizer": "standard", "filter": ["lowercase", {"type": "stemmer", "language": "russian"}]},
                    "Миграционной службы") == ["миграцион", "служб"]
    assert _analyze(url, {"analyzer": "english"}, "resettled refugees") == ["resettl", "refuge"]
