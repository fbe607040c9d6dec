"""The search service on real indexes: query language, filters, facets, highlights, paging, suggestions."""

from __future__ import annotations

import pytest

from index.ingest.pipeline import ingest_paths
from search.request import QueryError, SearchRequest, parse_search_request
from search.service import SearchService


@pytest.fixture
def service(examples_settings):
    service = SearchService(examples_settings)
    yield service
    service.close()


def _search(service, **args) -> dict:
    return service.search(parse_search_request({k: str(v) for k, v in args.items()})).to_dict()


def _titles(result: dict) -> list[str]:
    return [hit["title"] for hit in result["hits"]]


def test_words_must_all_match_and_rank_title_matches_first(service):
    result = _search(service, q="detention children")
    assert result["total"] >= 1
    assert "detention" in result["hits"][0]["title"].lower()
    assert _search(service, q="detention kangaroo")["total"] == 0


def test_stop_words_in_a_query_do_not_empty_it(service):
    with_stop_words = _search(service, q="children in the detention")
    assert with_stop_words["total"] == _search(service, q="children detention")["total"] >= 1


def test_stemming_finds_other_word_forms(service):
    assert _search(service, q="resettled")["total"] >= 1  # "resettlement"/"resettle" forms
    assert _search(service, q="refugee")["total"] >= 2


def test_phrases_boolean_and_fields(service):
    assert _search(service, q='"seasonal work schemes"')["total"] == 1
    assert _search(service, q='"work seasonal schemes"')["total"] == 0
    both = _search(service, q="detention OR resettlement")["total"]
    assert both > _search(service, q="detention")["total"]
    assert _search(service, q="refugee NOT detention")["total"] < _search(service, q="refugee")["total"]
    by_speaker = _search(service, q='speaker:"Amira Haddad"')
    assert by_speaker["total"] == 2
    assert all("Amira Haddad" in [s["name"] for s in hit["speakers"]] for hit in by_speaker["hits"])


def test_filters_by_speaker_event_source_and_dates(service):
    result = _search(service, speaker="Elena Marchetti")
    assert result["total"] == 2
    assert _search(service, speaker="elena marchetti")["total"] == 2
    assert _search(service, q="refugees", source="coastal-refugee-council")["total"] >= 1
    assert all(
        h["source"] == "coastal-refugee-council"
        for h in _search(service, source="coastal-refugee-council")["hits"]
    )
    dated = _search(service, **{"from": "2024-01-01", "to": "2024-03-31"})
    assert dated["total"] >= 2
    assert all("2024-01-01" <= hit["date"] <= "2024-03-31" for hit in dated["hits"])
    assert _search(service, **{"from": "2030"})["total"] == 0


def test_sort_by_date_newest_first_and_paging(service):
    result = _search(service, sort="date", per_page=3)
    dates = [hit["date"] for hit in result["hits"] if hit["date"]]
    assert dates == sorted(dates, reverse=True)
    page2 = _search(service, sort="date", per_page=3, page=2)
    assert not set(_titles(result)) & set(_titles(page2))
    assert result["total"] == page2["total"] >= 6
    oldest = _search(service, sort="-date", per_page=1)["hits"][0]["date"]
    assert oldest <= dates[-1]


def test_facets_count_the_matching_documents(service):
    result = _search(service, q="refugees")
    facets = result["facets"]
    assert set(facets) >= {"speaker", "event", "country", "org", "source", "year"}
    sources = {fv["value"]: fv["count"] for fv in facets["source"]}
    assert sum(sources.values()) == result["total"]
    everything = _search(service)
    years = [fv["value"] for fv in everything["facets"]["year"]]
    assert years == sorted(years, reverse=True)


def test_snippets_highlight_the_matching_sentences_and_escape_text(service):
    hit = _search(service, q="detention")["hits"][0]
    matched = [span["text"] for span in hit["snippet_spans"] if span["match"]]
    assert matched and all(word.lower().startswith("detention") for word in matched)
    assert "<mark" not in "".join(span["text"] for span in hit["snippet_spans"])  # spans hold text, no markup


def test_russian_word_forms_find_each_other(service):
    result = _search(service, q="мигранты")  # the release says "мигрантам"
    assert result["total"] == 1
    assert result["hits"][0]["language"] == "ru"
    assert _search(service, q="патентов")["total"] == 1


def test_did_you_mean_for_misspelt_words(service):
    result = _search(service, q="detentoin")
    assert result["total"] == 0
    assert result["suggestion"] == "detention"


def test_malformed_queries_give_a_clear_error_or_results(service):
    for text in ['"unbalanced quote', "speaker:", "((refugee", "AND OR NOT", "*", "title:(", "date:>2020"]:
        result = _search(service, q=text)
        assert result["ok"] is True
    with pytest.raises(QueryError, match="too long"):
        parse_search_request({"q": "x" * 10_000})
    with pytest.raises(QueryError, match="page"):
        parse_search_request({"page": "-1"})
    with pytest.raises(QueryError, match="per_page"):
        parse_search_request({"per_page": "100000"})
    with pytest.raises(QueryError, match="from"):
        parse_search_request({"from": "notadate"})
    with pytest.raises(QueryError, match="sort"):
        parse_search_request({"sort": "random"})
    with pytest.raises(QueryError, match="unknown parameter"):
        parse_search_request({"speakr": "x"}, strict=True)


def test_repeated_query_is_cached_and_refreshed_after_ingest(examples_settings, tmp_path):
    service = SearchService(examples_settings)
    try:
        request = SearchRequest(q="asylum")
        first = service.search(request)
        again = service.search(request)
        assert again.hits == first.hits
        assert again.took_ms < 5
        path = tmp_path / "new.txt"
        path.write_text("Asylum hearing\n\nThe asylum hearing about reception was held on Monday.", "utf-8")
        ingest_paths(examples_settings, [str(path)])
        import time

        time.sleep(0.6)  # the service checks for a changed index at most twice a second
        assert service.search(request).total == first.total + 1
    finally:
        service.close()


def test_suggestions_complete_speakers_events_and_title_words(service):
    values = [s["value"] for s in service.suggest("marc")]
    assert "Elena Marchetti" in values
    kinds = {s["kind"] for s in service.suggest("reg")}
    assert "event" in kinds or "title" in kinds
    assert service.suggest("") == []


def test_document_more_like_this_histogram_and_health(service):
    hit = _search(service, q="detention")["hits"][0]
    doc = service.get_document(hit["id"], highlight="detention")
    assert doc["title"] == hit["title"]
    assert any(span["match"] and span["text"].lower() == "detention" for p in doc["body_spans"] for span in p)
    assert service.get_document("no-such-id") is None
    assert all(other.id != hit["id"] for other in service.more_like_this(hit["id"]))
    bars = service.histogram(SearchRequest())
    assert sum(bar["count"] for bar in bars) == _search(service, q="")["total"] - _undated(service)
    health = service.health()
    assert health["ok"] and health["documents"] >= 8


def _undated(service) -> int:
    everything = _search(service, per_page=100)
    return sum(1 for hit in everything["hits"] if not hit["date"])


def test_search_on_an_empty_data_directory(settings):
    service = SearchService(settings)
    assert service.search(SearchRequest(q="anything")).total == 0
    assert service.health()["index_present"] is False
    service.close()


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


def test_speaker_filter_ranks_the_persons_own_releases_first(settings, tmp_path):
    (tmp_path / "led.txt").write_text(LED, encoding="utf-8")
    (tmp_path / "critic.txt").write_text(CRITIC, encoding="utf-8")
    ingest_paths(settings, [str(tmp_path)])
    service = SearchService(settings)
    try:
        plain = _titles(_search(service, q="detention"))
        assert plain[0] == "Minister's detention record condemned"  # more about detention by the words alone
        filtered = _titles(_search(service, q="detention", speaker="Tom Example"))
        assert filtered == ["Detention centres to close, Minister says", "Minister's detention record condemned"]
    finally:
        service.close()


def test_undated_releases_come_last_whichever_way_dates_are_sorted(service_for):
    service = service_for({
        "old.txt": "Old migration statement\n\n12 March 2001\n\nThe minister spoke about migration policy.",
        "new.txt": "New migration statement\n\n5 May 2020\n\nThe minister spoke about migration again.",
        "none.txt": "Undated migration statement\n\nThe minister spoke about migration without a date.",
    })
    from search.request import SearchRequest

    for sort in ("date", "-date"):
        titles = [hit.title for hit in service.search(SearchRequest(q="migration", sort=sort)).hits]
        assert titles[-1] == "Undated migration statement", (sort, titles)
    newest = [hit.title for hit in service.search(SearchRequest(q="migration", sort="date")).hits]
    assert newest[:2] == ["New migration statement", "Old migration statement"]
