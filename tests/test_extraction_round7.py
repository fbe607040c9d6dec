"""Who spoke, seventh round: a given name whose last syllable follows a hyphen in lower case (the usual
romanisation of Korean and older Chinese names: "Ban Ki-moon", "Moon Jae-in", "Chiang Kai-shek") is kept
whole, while an English compound after a name ("the Rudd-era policy", "a Key-led government") is not
taken into it. Every text here is written for the test; the people are invented."""

from __future__ import annotations

import pytest

from index.extraction import extract
from index.extraction.mentions import find_mentions


def _names(text: str) -> list[str]:
    return [m.name for m in find_mentions(text) if m.name]


@pytest.mark.parametrize(("sentence", "name"), [
    ("We thank Secretary-General Han Ji-woon for his leadership.", "Han Ji-woon"),
    ("Foreign Minister Seo Min-ah said the talks would go on.", "Seo Min-ah"),
    ("The envoy Tse Kai-lun’s letter arrived today.", "Tse Kai-lun"),
    ("President Park Ye-in, speaking in Geneva, welcomed the plan.", "Park Ye-in"),
])
def test_a_lower_case_syllable_after_a_hyphen_stays_in_the_given_name(sentence: str, name: str) -> None:
    assert name in _names(sentence)


@pytest.mark.parametrize(("sentence", "name"), [
    ("The Kevin Dunn-era rules were dropped.", "Kevin Dunn"),
    ("A Jo Key-led government would not agree.", "Jo Key"),
    ("Minister Ann Roe-style reforms were debated.", "Ann Roe"),
])
def test_an_english_compound_after_a_name_is_not_part_of_it(sentence: str, name: str) -> None:
    assert name in _names(sentence)


def test_the_speaker_is_listed_with_the_whole_given_name() -> None:
    text = ("UNITED NATIONS\n\nStatement\n\nThe Secretary-General, Han Ji-woon, said today that the talks "
            "would resume. \"We will not give up,\" Mr Han said.")
    names = [s.name for s in extract("", text).speakers]
    assert "Han Ji-woon" in names
    assert "Han Ji" not in names


def test_a_dash_written_as_a_hyphen_does_not_join_the_next_word_to_a_name() -> None:
    assert "Port Arden" in _names("They built another Port Arden-at least the courts ruled there.")
