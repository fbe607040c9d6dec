"""What a person said: ``quote:X speaker:"Y"`` finds X inside a quote by Y, not in someone else's quote."""

from __future__ import annotations

import pytest
from helpers import QUOTE_RELEASES as RELEASES

from search.request import parse_search_request
from search.service import SearchService


@pytest.fixture
def service(service_for):
    return service_for(RELEASES)


def _titles(service: SearchService, q: str, **filters: str) -> list[str]:
    result = service.search(parse_search_request({"q": q, **filters})).to_dict()
    return sorted(hit["title"] for hit in result["hits"])


def test_quote_and_speaker_match_only_what_the_speaker_said(service):
    assert _titles(service, 'quote:detention speaker:"Chris Bowen"') == ["Minister visits processing centre"]


def test_another_persons_quote_is_not_a_match(service):
    titles = _titles(service, 'quote:detention speaker:"Chris Bowen"')
    assert "Skills and the migration program" not in titles  # Bowen quoted on jobs, Hanson-Young on detention
    assert "Opposition questions the policy" not in titles  # detention in the body, no quote


def test_each_speaker_finds_their_own_quote(service):
    assert _titles(service, 'quote:detention speaker:"Sarah Hanson-Young"') == ["Skills and the migration program"]
    assert _titles(service, 'quote:jobs speaker:"Chris Bowen"') == ["Skills and the migration program"]
    assert _titles(service, 'quote:jobs speaker:"Scott Morrison"') == ["Minister visits processing centre"]


def test_surname_phrases_and_word_forms(service):
    assert _titles(service, 'quote:detention speaker:Bowen') == ["Minister visits processing centre"]
    assert _titles(service, 'quote:"skilled migrants" speaker:"Chris Bowen"') == ["Skills and the migration program"]
    assert _titles(service, 'quote:"migrants skilled" speaker:"Chris Bowen"') == []
    assert _titles(service, 'speaker:"Chris Bowen" quote:children') == ["Minister visits processing centre"]


def test_without_a_speaker_quote_searches_every_quote(service):
    assert _titles(service, "quote:detention") == [
        "Minister visits processing centre",
        "Skills and the migration program",
    ]
    assert _titles(service, "quote:review") == ["Opposition questions the policy"]


def test_quote_searches_the_words_of_quotes_not_the_speakers_names(service):
    # Bowen and Morrison speak in these releases, but neither name is inside a quote.
    assert _titles(service, "quote:bowen") == []
    assert _titles(service, "quote:morrison") == []
    assert _titles(service, 'quote:"keep children"') == ["Minister visits processing centre"]
