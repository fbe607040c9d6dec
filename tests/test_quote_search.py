"""What a person said: ``quote:X speaker:"Y"`` finds X inside a quote by Y, not in someone else's quote."""

from __future__ import annotations

import pytest

from search.request import parse_search_request
from search.service import SearchService

RELEASES = {
    # Bowen talks about detention; Morrison about jobs.
    "bowen_detention.txt": (
        "Minister visits processing centre\n\n"
        "The Minister for Immigration, Chris Bowen, visited the centre on Monday.\n\n"
        '"We will keep children out of detention wherever we can," Mr Bowen said.\n\n'
        '"Our economy creates jobs for everyone willing to work," Scott Morrison said.\n'
    ),
    # Bowen talks about jobs; another person's quote mentions detention.
    "bowen_jobs.txt": (
        "Skills and the migration program\n\n"
        '"Skilled migrants fill the jobs our regions need," Chris Bowen said.\n\n'
        'Sarah Hanson-Young said: "Mandatory detention harms children and must end now."\n'
    ),
    # Detention is quoted by nobody: Bowen is named and detention is in the body only.
    "bowen_named.txt": (
        "Opposition questions the policy\n\n"
        "Chris Bowen announced a review of detention centres last week.\n\n"
        '"The review is too little and too late for the families," Scott Morrison said.\n'
    ),
}


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
