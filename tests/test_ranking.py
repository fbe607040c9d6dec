"""Ranking of plain queries (index.engine.ranking), title trust, the issuer filter and Russian stems."""

from __future__ import annotations

import json

import pytest

from index.engine.query import issuer_sources
from index.engine.ranking import min_should_match, plain_words
from index.engine.russian import russian_stem
from index.engine.schema import text_analyzer
from index.engine.titles import title_trust
from search.request import SearchRequest


def _ids_titles(result) -> list[str]:
    return [hit.title for hit in result.hits]


def test_plain_words_are_only_queries_without_syntax():
    assert plain_words("children in detention") == ["children", "detention"]
    assert plain_words("A Last Resort") == ["Last", "Resort"]
    for syntax in ('"last resort"', "title:nauru", "nauru OR manus", "nauru NOT manus", "resettle*", "(a b)"):
        assert plain_words(syntax) is None, syntax
    assert plain_words("") is None


def test_short_queries_need_every_word_longer_ones_may_miss_one():
    assert min_should_match(1, 0.34) == 1
    assert min_should_match(2, 0.34) == 2
    assert min_should_match(3, 0.34) == 2
    assert min_should_match(6, 0.34) == 4


@pytest.mark.parametrize(
    "title",
    [
        "UNCLASSIFIED",
        "DATE: VENUE: TITLE:",
        "44 Outram Street Parliament House Canberra ACT 2600",
        "JOURNALIST: Minister, what do you say to that?",
        "“The boats will keep coming,” the senator said",
        "and the government said it would consider",
        "Minister for Immigration and Ethnic Affairs",
        "P R E S S  S T A T E M E N T",
        "www.example.org.au",
    ],
)
def test_titles_that_are_not_titles_are_not_trusted(title):
    assert title_trust(title) == 0.0


@pytest.mark.parametrize(
    "title",
    [
        "Harbour patrols expanded",
        "CHILDREN OUT OF DETENTION BY CHRISTMAS",
        "Close the camp now: Greens",
        "Topics: boat arrivals; regional processing",
        "A Last Resort? National Inquiry into Children in Immigration Detention",
    ],
)
def test_titles_that_look_like_titles_are_trusted(title):
    assert title_trust(title) == 1.0


def test_a_release_missing_one_of_three_words_is_found_below_those_holding_all(service_for):
    service = service_for(
        {
            "a.txt": "Quarantine station reopened\n\nThe quarantine station on the island was reopened for arrivals.",
            "b.txt": "Island arrivals\n\nArrivals on the island were processed at the station this week.",
            "c.txt": "Quarantine rules\n\nQuarantine rules for arrivals were tightened.",
            "d.txt": "Unrelated\n\nThe budget was delivered on Tuesday.",
        }
    )
    result = service.search(SearchRequest(q="quarantine island station"))
    titles = _ids_titles(result)
    assert titles[0] == "Quarantine station reopened"  # holds every word
    assert "Island arrivals" in titles  # misses "quarantine": found, not lost as with AND
    assert "Unrelated" not in titles
    assert titles.index("Quarantine station reopened") < titles.index("Island arrivals")
    # two words still need both; explicit syntax keeps its meaning
    assert service.search(SearchRequest(q="quarantine budget")).total == 0
    assert service.search(SearchRequest(q="quarantine OR budget")).total == 3


def test_sorting_and_counting_a_plain_query_never_changes_what_it_finds(service_for):
    """By date (either way), the facet counts and the chart count the releases the relevance search finds,
    also those missing one of three words (an AND match by date used to drop them)."""
    service = service_for(
        {
            "a.txt": "Quarantine station reopened\n\n3 March 2021. The quarantine station on the island reopened.",
            "b.txt": "Island arrivals\n\n9 May 2022. Arrivals on the island were processed at the station.",
            "c.txt": "Quarantine rules\n\n1 June 2023. Quarantine rules for arrivals were tightened.",
            "d.txt": "Unrelated\n\n2 July 2023. The budget was delivered on Tuesday.",
        }
    )
    query = "quarantine island station"
    found = {hit.title for hit in service.search(SearchRequest(q=query)).hits}
    assert found == {"Quarantine station reopened", "Island arrivals"}
    for sort in ("date", "-date"):
        result = service.search(SearchRequest(q=query, sort=sort))
        assert result.total == 2 and {hit.title for hit in result.hits} == found, sort
    facets = service.facets(SearchRequest(q=query))
    assert sum(value.count for value in facets["source"]) == 2
    assert sum(bar["count"] for bar in service.histogram(SearchRequest(q=query))) == 2


def test_a_title_that_is_an_address_earns_no_title_boost(service_for):
    service = service_for(
        {
            "a.txt": "12 Harbour Street Darwin NT 0800\n\nThe harbour master met the minister at the harbour. "
            "Harbour fees rose and the harbour was busy.",
            "b.txt": "Harbour patrols expanded\n\nPatrols near the coast will be expanded from July.",
        }
    )
    assert _ids_titles(service.search(SearchRequest(q="harbour")))[0] == "Harbour patrols expanded"


def test_adjacent_query_words_outrank_scattered_ones(service_for):
    service = service_for(
        {
            "a.txt": "Policy update\n\nThe last ferry left. A resort opened on the coast. Prices rose last week.",
            "b.txt": "Inquiry report\n\nDetention should be a last resort, the inquiry found in its report.",
        }
    )
    assert _ids_titles(service.search(SearchRequest(q="A Last Resort")))[0] == "Inquiry report"


def test_speaker_filter_matches_releases_the_person_issued_as_source(service_for):
    records = {
        "a.jsonl": {"title": "Refugee intake", "text": "The refugee intake rises.", "source": "mackellar-michael"},
        "b.jsonl": {"title": "Other intake", "text": "The refugee intake falls.", "source": "someone-else"},
    }
    service = service_for({name: json.dumps(record) + "\n" for name, record in records.items()})
    result = service.search(SearchRequest(q="refugee intake", speaker="Michael MacKellar"))
    assert _ids_titles(result) == ["Refugee intake"]


def test_a_speaker_filter_on_a_known_name_still_matches_the_person_s_own_source(service_for):
    """One release lists "Michael MacKellar" as speaker, so the name is a facet value; the releases under
    his source that list him by initials ("M.J.R. MacKellar") are still his."""
    records = {
        "a.jsonl": {"title": "Refugee intake", "text": "The refugee intake rises.", "source": "mackellar-michael"},
        "b.jsonl": {"title": "Intake welcomed", "text": "The refugee intake was welcomed, Michael MacKellar said "
                    "today.", "source": "someone-else"},
        "c.jsonl": {"title": "Other intake", "text": "The refugee intake falls.", "source": "someone-else"},
    }
    service = service_for({name: json.dumps(record) + "\n" for name, record in records.items()})
    result = service.search(SearchRequest(q="refugee intake", speaker="Michael MacKellar"))
    assert sorted(_ids_titles(result)) == ["Intake welcomed", "Refugee intake"]


def test_issuer_sources_spell_names_as_slugs():
    slugs = {q.text for q in issuer_sources("Brendan O’Connor")}
    assert "o-connor-brendan" in slugs
    assert {q.text for q in issuer_sources("Sarah Hanson-Young")} >= {"hanson-young-sarah"}
    assert issuer_sources("Huseynov") == []


@pytest.mark.parametrize(
    ("forms", "stem"),
    [
        (("беженец", "беженцы", "беженцев", "беженцам"), "беженц"),
        (("переселенец", "переселенцев"), "переселенц"),
        (("колокольцев", "колокольцева", "колокольцевым"), "колокольц"),
        (("мигрант", "мигрантов"), "мигрант"),
    ],
)
def test_russian_forms_share_a_stem(forms, stem):
    assert {russian_stem(form) for form in forms} == {stem}


def test_russian_analyzer_and_its_fused_path_agree():
    analyzer = text_analyzer("ru")
    text = "Беженец и беженцы: Колокольцев встретил Колокольцева"
    chain = [token.text for token in analyzer(text)]
    fused = sorted((pos, word) for word, positions in analyzer.index_positions(text).items() for pos in positions)
    assert [word for _, word in fused] == chain
    assert chain.count("беженц") == 2 and chain.count("колокольц") == 2


def test_russian_search_finds_every_form(service_for):
    service = service_for(
        {
            "a.txt": "Беженцы из Донбасса\n\nБеженцы из Донбасса получили временное убежище в России.",
            "b.txt": "Министр Колокольцев\n\nГлава МВД Владимир Колокольцев заявил о мерах по миграции.",
        }
    )
    assert service.search(SearchRequest(q="беженец")).total == 1
    assert service.search(SearchRequest(q="Колокольцева")).total == 1


def test_smallest_window_of_two_lists_is_the_closest_pair_short_or_long():
    import random

    from index.engine.ranking import smallest_window

    rng = random.Random(7)
    for size in (1, 3, 12, 80):  # short lists take the plain-Python path, long ones numpy's
        for _ in range(200):
            first = sorted(rng.sample(range(2000), size))
            second = sorted(rng.sample(range(2000), rng.randint(1, size)))
            closest = min(abs(a - b) for a in first for b in second)
            assert smallest_window([first, second]) == closest + 1
