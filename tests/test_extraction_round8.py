"""Who spoke, eighth round: roles whose portfolio is a list ("Minister for Justice, Customs and Border
Protection") are kept whole, before a name, in an apposition and in a letterhead in capitals; the list
stops where another person or another title starts. Every text here is written for the test; the
people are invented."""

from __future__ import annotations

import pytest

from index.extraction import extract


def _roles(text: str) -> dict[str, str | None]:
    return {s.name: s.role for s in extract("", text).speakers}


@pytest.mark.parametrize(("text", "name", "role"), [
    ("Another boat arrived today, Shadow Minister for Justice, Customs and Border Protection Tom Sample "
     "said today.\n\n\"This is a failure,\" Mr Sample said.",
     "Tom Sample", "Shadow Minister for Justice, Customs and Border Protection"),
    ("The Minister for Immigration, Multicultural Affairs and Citizenship Jane Example said visa numbers "
     "would rise.",
     "Jane Example", "Minister for Immigration, Multicultural Affairs and Citizenship"),
    ("HOST\n\nTo go on with this, Tom Sample, Shadow Minister for Justice, Customs and Border Protection. "
     "Tom, good evening.\n\nTom Sample\n\nGood evening, nice to be here.\n\nHOST\n\nWhat now?",
     "Tom Sample", "Shadow Minister for Justice, Customs and Border Protection"),
])
def test_a_portfolio_list_is_the_whole_role(text: str, name: str, role: str) -> None:
    assert _roles(text)[name].rstrip(".") == role


def test_a_letterhead_in_capitals_keeps_the_list_and_stops_before_the_next_person() -> None:
    text = ("JOINT DOORSTOP WITH MR. TOM SAMPLE MHR, SHADOW MINISTER FOR JUSTICE, CUSTOMS\n\n"
            "AND BORDER PROTECTION AND MR. ROB EXAMPLE MHR, FEDERAL MEMBER FOR DURACK\n\n"
            "SAMPLE: Thanks for coming.\n\nEXAMPLE: Good to be here.")
    roles = _roles(text)
    assert roles["Tom Sample"] == "Shadow Minister for Justice, Customs and Border Protection"
    assert roles["Rob Example"] == "Federal Member for Durack"


def test_a_title_before_an_honorific_and_a_name_is_not_that_persons() -> None:
    # "MR JOHN DOE MHR, SHADOW MINISTER FOR IMMIGRATION & CITIZENSHIP MR TOM SAMPLE MHR, SHADOW MINISTER
    # FOR JUSTICE ...": each title follows its holder; the first list ends before "MR TOM SAMPLE"
    text = ("JOINT PRESS RELEASE\n\nMR JOHN DOE MHR, SHADOW MINISTER FOR IMMIGRATION & CITIZENSHIP MR TOM "
            "SAMPLE MHR, SHADOW MINISTER FOR JUSTICE, CUSTOMS & BORDER PROTECTION\n\nBOATS\n\n"
            "\"This is a failure,\" Mr Doe said. \"It must end,\" Mr Sample said.")
    roles = _roles(text)
    assert roles["John Doe"] == "Shadow Minister for Immigration & Citizenship"
    assert roles["Tom Sample"] == "Shadow Minister for Justice, Customs & Border Protection"


@pytest.mark.parametrize("text", [
    "The Minister for Defence and Tom Sample said today that boats would come.",
    "The Shadow Minister for Defence, Mr Tom Sample, MP and the Acting Shadow Minister for Foreign Affairs, "
    "Mr Rob Example, MP said today that the response was slow.",
])
def test_a_list_does_not_run_into_a_person_or_another_title(text: str) -> None:
    roles = _roles(text)
    assert all(role is None or "Sample" not in role and "Example" not in role for role in roles.values())
    if "Rob Example" in roles:
        assert roles["Tom Sample"] == "Shadow Minister for Defence"
        assert roles["Rob Example"] == "Acting Shadow Minister for Foreign Affairs"


@pytest.mark.parametrize(("text", "name", "role"), [
    ("I began by quoting Ana Sample, former Secretary General of the United Nations on \"problems without "
     "passports\".\n\nAna Sample talked about problems that cross borders, she said.",
     "Ana Sample", "former Secretary General of the United Nations"),
    ("HOST: Welcome to the panel with Tom Example, he is the Shadow Attorney-General, the Member for Isaacs. "
     "Tom, thank you for coming in.\n\nTOM EXAMPLE: Very good to be with you.\n\nHOST: What now?",
     "Tom Example", "Shadow Attorney-General"),
    ("HOST: Welcome to the studio; Ben Sample, former Labor Senator, one half of a famous pair. Good morning "
     "Ben Sample.\n\nBEN SAMPLE: Good morning.\n\nHOST: What now?",
     "Ben Sample", "former Labor Senator"),
])
def test_an_apposition_states_a_former_or_a_compound_title(text: str, name: str, role: str) -> None:
    assert _roles(text)[name] == role


def test_an_apposition_ending_on_a_preposition_keeps_its_last_word_whole() -> None:
    text = ("Tom Example, the Minister for Immigration on Monday announced new rules.\n\n"
            "\"The rules are fair,\" Mr Example said.")
    assert _roles(text)["Tom Example"] == "Minister for Immigration"


@pytest.mark.parametrize(("role", "cleaned"), [
    ("Minister for Foreign Affairs at the National Press Club", "Minister for Foreign Affairs"),
    ("Professor of Law at the University of Sydney", "Professor of Law"),
    ("Ambassador at Large", "Ambassador at Large"),
    ("Your candidate", "candidate"),
    ("Our Prime Minister", "Prime Minister"),
    ("His Major General", "Major General"),
])
def test_a_role_leaves_out_the_venue_and_a_possessive(role: str, cleaned: str) -> None:
    from index.extraction.roles import clean_role

    assert clean_role(role) == cleaned
