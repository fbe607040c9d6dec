"""Events, organisations and countries."""

from __future__ import annotations

import pytest

from index.extraction.countries import country_code, find_countries
from index.extraction.events import find_events, ordinal_number
from index.extraction.organisations import find_organisations


@pytest.mark.parametrize(
    "text",
    [
        "the 112th Session of the International Organization for Migration (IOM) Council",
        "Delegates attended the 112th session of the IOM Council in Geneva.",
        "the one hundred and twelfth session of the International Organization for Migration Council opened",
    ],
)
def test_session_spellings_share_one_canonical_name(text):
    assert find_events(text) == ["112th Session of the IOM Council"]


def test_other_event_kinds():
    text = (
        "He spoke at the General Debate of the 78th session of the UN General Assembly, then at the "
        "Bali Process Ministerial Conference and the Global Forum on Migration and Development. "
        "The presentation of the World Migration Report 2022 followed."
    )
    assert find_events(text) == [
        "General Debate of the 78th Session of the UN General Assembly",
        "Bali Process Ministerial Conference",
        "Global Forum on Migration and Development",
        "World Migration Report 2022 launch",
    ]


def test_generic_phrases_are_not_events():
    assert find_events("After the meeting and the session, a press conference was held.") == []


def test_ordinals_in_words():
    assert ordinal_number("one hundred and twelfth") == 112
    assert ordinal_number("seventy-eighth") == 78
    assert ordinal_number("3rd") == 3


def test_organisations_prefer_acronyms():
    text = (
        "The International Organization for Migration (IOM) and the UN Refugee Agency met the "
        "State Migration Service, the Department of Home Affairs and the Refugee Council of Australia."
    )
    found = find_organisations(text)
    assert found[:2] == ["IOM", "UNHCR"]
    expected = {"State Migration Service", "Department of Home Affairs", "Refugee Council of Australia"}
    assert expected <= set(found)
    assert "International Organization for Migration" not in found


def test_countries_from_names_short_forms_and_demonyms():
    text = "The Republic of Azerbaijan hosted the Republics of Colombia and the Philippines; Azerbaijani"
    assert find_countries(text) == ["Azerbaijan", "Colombia", "Philippines"]
    found = find_countries("Syrian and Afghan refugees reached the UK.")
    assert found == ["Syria", "Afghanistan", "United Kingdom"]
    assert find_countries("Michael Jordan spoke in the Indian Ocean region.") == []


def test_country_code_is_alpha_3():
    assert country_code("Azerbaijan") == "AZE"
    assert country_code("the Philippines") == "PHL"
    assert country_code("Republic of Korea") == "KOR"
    assert country_code("Atlantis") is None


def test_variants_of_a_body_or_meeting_are_one_value():
    from index.extraction import extract

    spelled = extract("", "The United States Congress passed it.").events
    assert extract("", "The US Congress passed it.").events == spelled == ["United States Congress"]
    assert extract("", "They met at the Pacific Island Forum.").events == ["Pacific Islands Forum"]
    assert extract("", "They met at the Pacific Islands Forum.").events == ["Pacific Islands Forum"]
