"""Who spoke: names that are people, roles from the letterhead, one person per name, mentions apart."""

from __future__ import annotations

from index.extraction import extract
from index.extraction.roles import clean_role, first_role
from index.extraction.speaker_rules import looks_like_name, repair_name

LETTERHEAD = """THE HON JANE CITIZEN MP
MINISTER FOR HOUSING MINISTER FOR HOMELESSNESS

MEDIA RELEASE

Rules Out Peace Talks With Developers

Families in Macquarie Fields will get 200 new homes, the Minister said today.

"Nobody should sleep in a car," Ms Citizen said.

The Government has again criticised Senator George Example over the plan and will go ahead.

Media contact: Sam Adviser 0400 000 000
"""


def _speakers(text: str) -> dict[str, str | None]:
    return {s.name: s.role for s in extract("", text).speakers}


def test_letterhead_role_is_whole_and_first() -> None:
    speakers = _speakers(LETTERHEAD)
    assert speakers.get("Jane Citizen") == "Minister for Housing"


def test_places_headlines_contacts_and_the_criticised_are_not_speakers() -> None:
    extraction = extract("", LETTERHEAD)
    names = [s.name for s in extraction.speakers]
    assert "Macquarie Fields" not in names
    assert not any("Peace" in name for name in names)
    assert "Sam Adviser" not in names
    assert "George Example" not in names
    assert "George Example" in extraction.mentions
    assert "Jane Citizen" not in extraction.mentions


def test_transcript_label_with_role() -> None:
    text = """Transcript

TONY PRESENTER, HOST: The Opposition has defended its vote.

RICHARD EXAMPLE: Temporary visas are bad policy.

TONY PRESENTER, HOST: Thank you.

RICHARD EXAMPLE: Thanks Tony.
"""
    speakers = _speakers(text)
    assert speakers.get("Tony Presenter") == "Host"
    assert "Richard Example" in speakers


def test_role_before_the_name_in_running_text() -> None:
    text = ("Greens spokesperson for overseas aid Senator Lee Example introduced a bill today.\n\n"
            "\u201cAid money can make a difference,\u201d Senator Example said.")
    assert _speakers(text).get("Lee Example") == "Greens spokesperson for overseas aid"


def test_surname_only_and_misspelt_forms_are_one_person() -> None:
    text = ("\u201cWe will win,\u201d Richard Di Sample said.\n\n\u201cThe vote is close,\u201d Senator Di Sample "
            "said.\n\n\u201cIt is a start,\u201d said Tony Abbot. \u201cMore to do,\u201d said Tony Abbott. "
            "\u201cAnd more,\u201d said Tony Abbott.")
    names = [s.name for s in extract("", text).speakers]
    assert names.count("Richard Di Sample") == 1 and "Di Sample" not in names
    assert "Tony Abbott" in names and "Tony Abbot" not in names


def test_name_checks() -> None:
    context = ("the minister rules out peace talks; a bill to process claims; more boats came. "
               "Ed Husic, Member for Chifley.")
    for bad in ("Rules Out Peace", "Process Bill", "Stirling Two More Boats", "Torres Strait Islanders", "Assisting"):
        assert not looks_like_name(bad, context)
    assert looks_like_name("Bill Shorten", context)
    assert repair_name("Chifley Ed Husic", context) == "Ed Husic"
    assert repair_name("Like Chris", context) is None
    assert repair_name("Howa RD", "Mr Howard said") == "Howard"
    assert repair_name("Joe Hockey Bill Shorten", "Joe Hockey said. Bill Shorten said. Joe Hockey Bill Shorten") is None


def test_roles_cleaned() -> None:
    assert clean_role("Senator") is None
    assert clean_role("Minister McGauran Owns Up To Lack of Housing", "Peter McGauran") == "Minister"
    neighbour = clean_role("Minister for Foreign Affairs Hon Alexander Downer, MP", "Kevin Rudd")
    assert neighbour == "Minister for Foreign Affairs"
    assert clean_role("Greens Senator") == "Greens Senator"
    assert first_role("SHADOW MINISTER FOR DEFENCE MEMBER FOR CORIO") == "Shadow Minister for Defence"
    assert first_role("Shadow Minister for Population & Immigration LABOR'S CAMPAIGN WILL GO ON") == (
        "Shadow Minister for Population & Immigration")


def test_russian_roles_and_headline_speaker() -> None:
    text = ("Фадеев: люди не уедут из малых городов\n\nМОСКВА, 14 сен - РИА Новости. Проблему можно решить, "
            "полагает глава СПЧ Валерий Фадеев. \"Все это можно заказывать из Китая\", — говорит Александр "
            "Павлычев, сооснователь видеоплатформы Kinescope.")
    speakers = {s.name: s.role for s in extract("", text, language="ru").speakers}
    assert speakers.get("Валерий Фадеев") == "глава СПЧ"
    assert speakers.get("Александр Павлычев") == "сооснователь видеоплатформы Kinescope"
