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
    ("body", "Australia’s people don’t ‘want’ it. J .A . Smith, the realization of rationally national goals"),
    ("body_ru", "Беженцы и беженец, Колокольцева и Колокольцев, воюющим, объём, media и Вести.ru"),
    ("body_ru", "Ближаи\u0306шее время: и\u0306од"),  # й written as и + a combining breve splits the word
    ("mentions", "Vüsal Hüseynov and the Refugees Council"),
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


def _corpus_words(path, field: str, limit: int) -> list[str]:
    """Distinct unstemmed words of the first ``limit`` releases of a shared corpus."""
    import gzip

    from index.engine.schema import build_schema

    analyzer = build_schema()[field].analyzer
    words: dict[str, None] = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if number >= limit:
                break
            text = json.loads(line)["text"]
            words.update(dict.fromkeys(t.text for t in analyzer(text, no_morph=True)))
    return list(words)


def test_stems_agree_with_the_schema_on_corpus_words(opensearch_node):
    """Every distinct word of 300 English and 300 Russian releases stems the same on both engines."""
    import uuid

    import pytest
    from helpers import SHARED_DATA
    from opensearchpy import OpenSearch

    from index.engine.opensearch.mapping import index_body
    from index.engine.schema import build_schema

    corpora = {"body": SHARED_DATA / "trove-refugee-releases" / "docs.jsonl.gz",
               "body_ru": SHARED_DATA / "ru-migration-news" / "docs.jsonl.gz"}
    if not all(path.exists() for path in corpora.values()):
        pytest.skip("the shared corpora are not here (../shared/data)")
    client = OpenSearch(opensearch_node.urls)
    name = f"stems-{uuid.uuid4().hex[:8]}"
    body = index_body(1, 0)
    client.indices.create(index=name, body=body)
    schema = build_schema()
    try:
        for field, path in corpora.items():
            words = _corpus_words(path, field, 300)
            assert len(words) > 5000
            filters = body["settings"]["analysis"]["analyzer"][f"text_{'ru' if field == 'body_ru' else 'en'}"]["filter"]
            differ = []
            for start in range(0, len(words), 2000):
                batch = words[start : start + 2000]
                found = client.indices.analyze(
                    index=name, body={"tokenizer": "keyword", "filter": filters[1:], "text": batch}
                )["tokens"]
                assert len(found) == len(batch)
                ours = [schema[field].analyzer.items[-1].stemfn(word) for word in batch]
                differ += [(w, a, b["token"]) for w, a, b in zip(batch, ours, found, strict=True) if a != b["token"]]
            assert not differ, differ[:20]
    finally:
        client.indices.delete(index=name)
        client.close()


# Written for this test: inflected migration vocabulary (plurals, feminines, verb forms, compounds, elisions).
OTHER_LANGUAGES = {
    "fr": (
        "Les réfugiés et les réfugiées accueillis à la frontière ont déposé leurs demandes d'asile. "
        "Le ministre a annoncé que le gouvernement accueillera davantage de demandeurs, tandis que les "
        "expulsions et les rapatriements diminuent. Nous intégrons, vous intégrez, ils intégraient les "
        "nouveaux arrivants; la régularisation des travailleuses saisonnières et des travailleurs "
        "clandestins reste une question politique. Les organisations internationales humanitaires "
        "protégeaient les enfants déplacés, les familles séparées et les victimes de la traite. "
        "L'Organisation internationale pour les migrations tiendra sa cent-douzième session; "
        "naturalisations, nationalités, européennes, rapidement, généreusement, conseillères."
    ),
    "es": (
        "Los refugiados y las refugiadas llegaron a la frontera y solicitaron asilo. El ministro anunció "
        "que el gobierno acogerá a más solicitantes, mientras las deportaciones y las repatriaciones "
        "disminuyen. Nosotros integramos, ellos integraban, ellas integrarían a los recién llegados; la "
        "regularización de las trabajadoras temporeras y de los trabajadores indocumentados sigue siendo "
        "una cuestión política. Las organizaciones internacionales humanitarias protegían a los niños "
        "desplazados, a las familias separadas y a las víctimas de la trata. Nacionalidades, europeas, "
        "rápidamente, generosamente, consejeras, migraciones, migrantes, migratorias."
    ),
    "de": (
        "Die Flüchtlinge und Asylbewerberinnen kamen an der Grenze an und stellten Asylanträge. Der Minister "
        "kündigte an, dass die Regierung mehr Antragsteller aufnehmen werde, während Abschiebungen und "
        "Rückführungen abnehmen. Wir integrieren, sie integrierten die Neuankömmlinge; die Legalisierung "
        "der Saisonarbeiterinnen und der Arbeiter ohne Papiere bleibt eine politische Frage. Die "
        "internationalen humanitären Organisationen schützten die vertriebenen Kinder, die getrennten "
        "Familien und die Opfer des Menschenhandels. Staatsangehörigkeiten, europäischen, schnellstens, "
        "großzügig, Beraterinnen, Migrationen, Migranten, Grenzübergänge, Häuser, Bäume."
    ),
}


def test_french_spanish_and_german_analysis_agrees_with_the_schema(opensearch_node):
    """The whole index analysis (fold, tokenizer, lowercase, Snowball stem) of French, Spanish and German
    text gives the same terms on OpenSearch as the schema's analyzers give Whoosh."""
    import uuid

    from opensearchpy import OpenSearch

    from index.engine.opensearch.mapping import index_body
    from index.engine.schema import build_schema

    client = OpenSearch(opensearch_node.urls)
    name = f"stems-other-{uuid.uuid4().hex[:8]}"
    client.indices.create(index=name, body=index_body(1, 0))
    schema = build_schema()
    try:
        for language, text in OTHER_LANGUAGES.items():
            theirs = [t["token"] for t in client.indices.analyze(
                index=name, body={"analyzer": f"text_{language}", "text": text})["tokens"]]
            ours = [t.text for t in schema[f"body_{language}"].analyzer(text)]
            assert len(ours) > 60, language
            assert theirs == ours, (language, [(a, b) for a, b in zip(ours, theirs, strict=False) if a != b][:20])
    finally:
        client.indices.delete(index=name)
        client.close()
