"""The same search, API and CLI behaviour on both engines, on the same documents.

Every test here runs on Whoosh and on a real OpenSearch node (started by the ``opensearch_node`` fixture).
``test_totals_facets_and_chart_agree`` puts the two side by side: for each request the totals, the facet
counts, the chart and the set of duplicate groups shown must be identical (ranking may differ, see the
README's "Running on OpenSearch").
"""

from __future__ import annotations

import gzip
import html
import json
import uuid
from pathlib import Path

import pytest
from helpers import QUOTE_RELEASES

from index.ingest.pipeline import ingest_paths
from index.inputs.records import parse_mapping
from index.settings import load_settings
from search.request import SearchRequest, parse_search_request
from search.service import SearchService
from web import create_app
from web.cli import main

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SHARED_DATA = REPO.parent / "shared" / "data"
TROVE = SHARED_DATA / "trove-refugee-releases" / "docs.jsonl.gz"
TROVE_MAPPING = ["body=text", "date=date", "id=id", "url=trove_url", "source=contributor_slug"]
RU_NEWS = SHARED_DATA / "ru-migration-news" / "docs.jsonl.gz"
RU_MAPPING = ["body=text", "title=title", "id=id", "url=url", "source=source"]
ENGINES = ("whoosh", "opensearch")

QUOTES = {name: QUOTE_RELEASES[name] for name in ("bowen_detention.txt", "bowen_jobs.txt")}
DUPLICATE_BODY = (
    "The Minister for Immigration today announced that the government will resettle an additional two "
    "thousand refugees from the region over the next financial year. The places will be offered to people "
    "referred by the United Nations refugee agency, with priority for women at risk and for families with "
    "young children. Settlement services in regional towns will receive new funding so that the new "
    "arrivals can find housing, schooling and work quickly. "
)


def engine_settings(engine: str, data_dir: Path, request: pytest.FixtureRequest, **extra: object) -> dict:
    """Settings for ``engine`` on a data directory (OpenSearch: the session's node, an index prefix of its own)."""
    overrides: dict = {"DATA_DIR": str(data_dir), "WRITE_LOCK_TIMEOUT": 5.0, "ENGINE": engine, **extra}
    if engine == "opensearch":
        node = request.getfixturevalue("opensearch_node")
        overrides.update(
            OPENSEARCH_URL=",".join(node.urls),
            OPENSEARCH_INDEX_PREFIX=f"test-{uuid.uuid4().hex[:12]}",
            OPENSEARCH_REPLICAS=0,
        )
    return load_settings(overrides)


def _slice(source: Path, target: Path, count: int) -> Path:
    with gzip.open(source, "rt", encoding="utf-8") as handle, target.open("w", encoding="utf-8") as out:
        for number, line in enumerate(handle):
            if number >= count:
                break
            out.write(line)
    return target


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[tuple[list[str], list[str] | None]]:
    """What every engine ingests: examples/, quotes, near-duplicates, and slices of the shared corpora."""
    root = tmp_path_factory.mktemp("contract-inputs")
    quotes = root / "quotes"
    quotes.mkdir()
    for name, text in QUOTES.items():
        (quotes / name).write_text(text, encoding="utf-8")
    dups = root / "dups"
    edited = (DUPLICATE_BODY * 2).replace("next financial", "coming financial")
    for site, body in (("a", DUPLICATE_BODY * 2), ("b", edited)):
        (dups / site).mkdir(parents=True)
        (dups / site / "release.txt").write_text("Two thousand new resettlement places\n\n" + body, encoding="utf-8")
    batches: list[tuple[list[str], list[str] | None]] = [([str(EXAMPLES), str(quotes), str(dups)], None)]
    if TROVE.exists():
        batches.append(([str(_slice(TROVE, root / "trove.jsonl", 300))], TROVE_MAPPING))
    if RU_NEWS.exists():
        batches.append(([str(_slice(RU_NEWS, root / "ru.jsonl", 80))], RU_MAPPING))
    return batches


@pytest.fixture(scope="module")
def services(inputs, tmp_path_factory, request) -> dict:
    """An open search service per engine over the same ingested inputs."""
    opened = {}
    for engine in ENGINES:
        settings = engine_settings(engine, tmp_path_factory.mktemp(f"contract-{engine}") / "data", request)
        for paths, mapping in inputs:
            summary = ingest_paths(settings, paths, mapping=parse_mapping(mapping) if mapping else None)
            assert not [f for f in summary.failures if f.status in ("failed", "unindexed")], summary.failures
        opened[engine] = SearchService(settings)
        opened[engine].settings_used = settings
    yield opened
    for service in opened.values():
        service.close()


@pytest.fixture(params=ENGINES)
def service(request, services):
    """The search service of one engine (each test runs on both)."""
    return services[request.param]


def _search(service, **args) -> dict:
    return service.search(parse_search_request({k: str(v) for k, v in args.items()})).to_dict()


def _titles(result: dict) -> list[str]:
    return [hit["title"] for hit in result["hits"]]


# -- the two engines side by side ------------------------------------------------------------------

AGREEMENT_REQUESTS = [
    {},
    {"q": "refugees"},
    {"q": "detention children"},
    {"q": "children in the detention"},
    {"q": '"seasonal work schemes"'},
    {"q": "detention OR resettlement"},
    {"q": "refugee NOT detention"},
    {"q": 'speaker:"Amira Haddad"'},
    {"q": "resett*"},
    {"q": "title:(asylum OR border)"},
    {"q": "date:2024"},
    {"q": "date:>2020 migration"},
    {"q": 'quote:detention speaker:"Chris Bowen"'},
    {"q": "quote:jobs"},
    {"q": "мигранты"},
    {"q": "миграционной службы"},
    {"q": "resettlement places"},
    {"q": "immigration", "sort": "date"},
    {"q": "immigration minister", "from": "1950", "to": "1975"},
    {"q": "refugees", "source": "coastal-refugee-council"},
    {"speaker": "Elena Marchetti"},
    {"q": "refugees", "country": "Australia"},
    {"q": "Vüsal Hüseynov OR Huseynov"},
    {"q": "migrants", "lang": "en"},
    {"q": "work*", "sort": "-date"},
    {"q": "беженцы"},  # Russian stems with the fleeting-vowel rule (беженец / беженцы)
    {"q": "Australia’s refugees"},  # a typographic apostrophe, read as "'" by both stemmers
    {"q": "refugee camps in thailand border"},  # plain words: at least 3 of the 4 (min-should-match)
    {"q": 'mentions:"Red Cross"'},  # a name field: not stemmed, no stop words
    {"speaker": "Michael Mackellar"},  # not a facet value as spelled: also the releases he issued (source)
    {"q": "refugees", "speaker": "Michael Mackellar"},
]


@pytest.mark.parametrize("args", AGREEMENT_REQUESTS, ids=lambda a: json.dumps(a, ensure_ascii=False))
def test_totals_facets_and_chart_agree(services, args):
    whoosh, opensearch = services["whoosh"], services["opensearch"]
    req = parse_search_request({**args, "per_page": "100"})
    a, b = whoosh.search(req), opensearch.search(req)
    assert a.total == b.total
    assert a.facets == b.facets
    assert a.histogram == b.histogram
    assert whoosh.facets(req) == opensearch.facets(req)
    assert whoosh.histogram(req) == opensearch.histogram(req)
    if a.total <= req.per_page:  # every group shown: the same groups, with the same duplicate counts
        groups_a = whoosh.store.dup_groups([hit.id for hit in a.hits])
        groups_b = opensearch.store.dup_groups([hit.id for hit in b.hits])
        shown_a = sorted((groups_a[hit.id], hit.duplicates) for hit in a.hits)
        shown_b = sorted((groups_b[hit.id], hit.duplicates) for hit in b.hits)
        assert shown_a == shown_b
    if req.sort != "relevance" or not req.q:  # same order by date where dates differ
        dates_a = [hit.date for hit in a.hits]
        assert dates_a == [hit.date for hit in b.hits]


def test_the_corpus_is_not_trivial(services):
    everything = services["opensearch"].search(SearchRequest(per_page=1))
    assert everything.total >= 12
    assert services["opensearch"].health()["documents"] == services["whoosh"].health()["documents"]


# -- behaviour users rely on, on each engine -------------------------------------------------------


def test_words_phrases_boolean_and_fields(service):
    assert "detention" in _search(service, q="detention children")["hits"][0]["title"].lower()
    assert _search(service, q="detention kangaroo")["total"] == 0
    assert _search(service, q="children in the detention")["total"] == _search(service, q="children detention")["total"]
    assert _search(service, q='"seasonal work schemes"')["total"] == 1
    assert _search(service, q='"work seasonal schemes"')["total"] == 0
    assert _search(service, q="detention OR resettlement")["total"] > _search(service, q="detention")["total"]
    assert _search(service, q="refugee NOT detention")["total"] < _search(service, q="refugee")["total"]
    by_speaker = _search(service, q='speaker:"Amira Haddad"')
    assert by_speaker["total"] == 2
    assert all("Amira Haddad" in [s["name"] for s in hit["speakers"]] for hit in by_speaker["hits"])
    assert _search(service, q="resett*")["total"] >= 1


def test_filters_dates_sort_and_paging(service):
    assert _search(service, speaker="elena marchetti")["total"] == 2
    dated = _search(service, **{"from": "2024-01-01", "to": "2024-03-31"})
    assert dated["total"] >= 2 and all("2024-01-01" <= h["date"] <= "2024-03-31" for h in dated["hits"])
    assert _search(service, **{"from": "2030"})["total"] == 0
    first = _search(service, sort="date", per_page=3)
    dates = [hit["date"] for hit in first["hits"] if hit["date"]]
    assert dates == sorted(dates, reverse=True)
    second = _search(service, sort="date", per_page=3, page=2)
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}
    assert first["total"] == second["total"]


def test_facets_snippets_and_russian(service):
    result = _search(service, q="refugees", source="coastal-refugee-council")
    assert sum(fv["count"] for fv in result["facets"]["source"]) == result["total"]
    hit = _search(service, q="detention")["hits"][0]
    assert [span["text"].lower() for span in hit["snippet_spans"] if span["match"]][:1] == ["detention"]
    ru = _search(service, q="мигранты", lang="ru")
    assert ru["total"] >= 1 and all(h["language"] == "ru" for h in ru["hits"])


def test_quote_said_by_and_duplicates(service):
    assert _titles(_search(service, q='quote:detention speaker:"Chris Bowen"')) == ["Minister visits processing centre"]
    assert _titles(_search(service, q='quote:detention speaker:"Sarah Hanson-Young"')) == [
        "Skills and the migration program"
    ]
    result = _search(service, q="two thousand new resettlement places")
    shown = [h for h in result["hits"] if h["title"] == "Two thousand new resettlement places"]
    assert len(shown) == 1 and shown[0]["duplicates"] == 1


def test_did_you_mean_completions_more_like_this_and_health(service):
    result = _search(service, q="detentoin")
    assert result["total"] == 0 and result["suggestion"] == "detention"
    assert "Elena Marchetti" in [s["value"] for s in service.suggest("marc")]
    assert service.suggest("") == []
    hit = _search(service, q="detention children")["hits"][0]
    doc = service.get_document(hit["id"], highlight="detention")
    assert doc["title"] == hit["title"] and any(span["match"] for p in doc["body_spans"] for span in p)
    similar = service.more_like_this(hit["id"])
    assert similar and all(other.id != hit["id"] for other in similar)
    health = service.health()
    assert health["ok"] and health["index_present"] and health["documents"] >= 12


def test_malformed_queries_answer(service):
    for text in ['"unbalanced quote', "speaker:", "((refugee", "AND OR NOT", "*", "title:(", "date:>2020"]:
        assert _search(service, q=text)["ok"] is True


LED = """Detention centres to close, Minister says

Media Release - The Hon Tom Example MP, Minister for Immigration

The Minister for Immigration, Tom Example, today announced that two detention centres will close next year.
"Detention must be the last resort, and it will be," Mr Example said.
"""
CRITIC = """Minister's detention record condemned

Media Release - Senator Jane Critic, Greens spokesperson on immigration

Senator Jane Critic said the detention record of the Minister was a disgrace. "Detention centres have harmed
children for years, and detention has failed," Senator Critic said. The Minister, Tom Example, told reporters
last week that "detention will always be needed for border security".
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_speaker_filter_ranks_the_persons_own_releases_first(engine, tmp_path, request):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "led.txt").write_text(LED, encoding="utf-8")
    (tmp_path / "in" / "critic.txt").write_text(CRITIC, encoding="utf-8")
    settings = engine_settings(engine, tmp_path / "data", request)
    ingest_paths(settings, [str(tmp_path / "in")])
    service = SearchService(settings)
    try:
        filtered = _titles(_search(service, q="detention", speaker="Tom Example"))
        assert filtered == ["Detention centres to close, Minister says", "Minister's detention record condemned"]
    finally:
        service.close()


@pytest.mark.parametrize("engine", ENGINES)
def test_new_documents_and_deletions_are_searchable_and_reindex_full_keeps_answers(engine, tmp_path, request):
    settings = engine_settings(engine, tmp_path / "data", request)
    ingest_paths(settings, [str(EXAMPLES)])
    service = SearchService(settings)
    try:
        before = _search(service, q="asylum")["total"]
        (tmp_path / "new.txt").write_text("Asylum hearing\n\nThe asylum hearing about reception was held.", "utf-8")
        ingest_paths(settings, [str(tmp_path / "new.txt")])
        import time

        time.sleep(1.1)  # services look for a changed index at most every second
        assert _search(service, q="asylum")["total"] == before + 1
        from index.ingest.pipeline import reindex

        everything = _search(service, per_page=100)
        rebuilt = reindex(settings, full=True)
        assert rebuilt["rebuilt"] is True and not rebuilt["failures"]
        time.sleep(1.1)
        assert _search(service, per_page=100)["total"] == everything["total"]
        assert _search(service, q="asylum")["total"] == before + 1
    finally:
        service.close()


# -- the JSON API and the CLI on each engine -------------------------------------------------------


@pytest.fixture
def app(service):
    app = create_app({"TESTING": True, **service.settings_used})
    yield app
    from web.services import get_service

    get_service(app).close()


def test_api_search_and_errors(app, service):
    client = app.test_client()
    data = client.get("/api/v1/search?q=refugees&per_page=2").get_json()
    assert data["ok"] is True and data["total"] == _search(service, q="refugees")["total"] >= 3
    assert len(data["hits"]) == 2 and data["next"]
    assert client.get("/api/v1/search?q=refugee&speakr=x").status_code == 400
    facets = client.get("/api/v1/search?speaker=Elena Marchetti").get_json()
    assert facets["total"] == 2
    page = client.get("/search?q=refugees&per_page=2")
    assert page.status_code == 200
    shown = html.unescape(page.get_data(as_text=True))  # titles are escaped in the page ("'" as &#39;)
    assert all(hit["title"] in shown for hit in data["hits"][:1])
    doc = client.get(f"/api/v1/docs/{data['hits'][0]['id']}?highlight=refugees").get_json()
    assert doc["ok"] and "<mark" in doc["document"]["body_html"] and doc["more_like_this"]
    chart = client.get("/api/v1/facets?q=refugees").get_json()
    assert chart["ok"] and chart["facets"]["source"] == data["facets"]["source"]


def test_cli_search_json_and_text(app):
    runner = app.test_cli_runner()
    result = runner.invoke(main, ["search", "detention", "--json"], catch_exceptions=False)
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["total"] >= 1 and set(data["facets"]) >= {"speaker", "event", "country", "source", "year"}
    text = runner.invoke(main, ["search", "--speaker", "Elena Marchetti", "--sort", "date"], catch_exceptions=False)
    assert text.output.startswith("2 results") and "World Refugee Day" in text.output


@pytest.mark.parametrize("engine", ENGINES)
def test_cli_ingest_delete_and_stats(engine, tmp_path, request):
    settings = engine_settings(engine, tmp_path / "data", request)
    app = create_app({"TESTING": True, **settings})
    runner = app.test_cli_runner()
    try:
        added = runner.invoke(main, ["ingest", str(EXAMPLES), "--json"], catch_exceptions=False)
        assert json.loads(added.output)["added"] >= 9
        result = json.loads(runner.invoke(main, ["search", "Marchetti", "--json"], catch_exceptions=False).output)
        gone = result["hits"][0]["id"]
        deleted = runner.invoke(main, ["delete", gone], catch_exceptions=False)
        assert deleted.exit_code == 0 and "deleted 1 document" in deleted.output
        import time

        time.sleep(1.1)  # services look for a changed index at most every second
        after = json.loads(runner.invoke(main, ["search", "Marchetti", "--json"], catch_exceptions=False).output)
        assert after["total"] == result["total"] - 1 and gone not in {h["id"] for h in after["hits"]}
        stats = json.loads(runner.invoke(main, ["stats", "--json"], catch_exceptions=False).output)
        assert stats["index"]["documents"] == json.loads(added.output)["added"] - 1
    finally:
        from web.services import get_service

        get_service(app).close()
