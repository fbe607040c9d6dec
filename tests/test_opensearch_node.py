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


SAMPLES = [
    ("body", "Children in the detention centres: it's the Ministers' view, said Dr O'Brien (COVID-19), 112th."),
    ("body", "Café résumé naïve Ångström Łódź straße Øresund, and the U.N. said yes."),
    ("title", "Resettlement places must double, Council tells ministerial conference"),
    ("body_ru", "Миграционной службы Азербайджана сообщили о мигрантах; ёлка и йод."),
    ("speaker", "Vüsal Hüseynov, Chief of the Service"),
    ("said", "spk_chris spk_bowen : We will keep children out of detention"),
    ("title.words", "Resettled refugees in the camps"),
]


def test_the_mapping_analyses_text_into_the_same_words_as_the_schema(opensearch_node):
    """Totals agree across engines because both analyse into the same indexed words: checked on real text."""
    import uuid

    from opensearchpy import OpenSearch

    from index.engine.opensearch.mapping import index_body
    from index.engine.schema import build_schema

    client = OpenSearch(opensearch_node.urls)
    name = f"analysis-{uuid.uuid4().hex[:8]}"
    client.indices.create(index=name, body=index_body(1, 0))
    schema = build_schema()
    try:
        for field, text in SAMPLES:
            ours = client.indices.analyze(index=name, body={"field": field, "text": text})
            if field == "title.words":  # Whoosh's spelling words: the title analysis without stemming
                expected = [t.text for t in schema["title"].analyzer(text, no_morph=True)]
            else:
                expected = [t.text for t in schema[field].analyzer(text)]
            assert [t["token"] for t in ours["tokens"]] == expected, field
    finally:
        client.indices.delete(index=name)
        client.close()
