"""Who spoke, ninth round: a role the speaker states in their own turn ("I'm Senator for the Northern
Territory"), and a title whose place follows "from" ("the Senator from Tasmania"). Every text here is
written for the test; the people are invented."""

from __future__ import annotations

import pytest

from index.extraction import extract


def _roles(text: str) -> dict[str, str | None]:
    return {s.name: s.role for s in extract("", text).speakers}


_LAUNCH = (
    "Launch of the kit\n\nMr Doe launched the kit. He was introduced by Senator Kaye Sample.\n\n"
    "Senator Sample: Good afternoon. I'm Senator Sample. {intro} My role today is to introduce the Minister.\n\n"
    "John Doe: Thank you. We are proud of this work and it matters to many families."
)


@pytest.mark.parametrize(("intro", "role"), [
    ("I'm Senator for the Northern Territory.", "Senator for the Northern Territory"),
    ("I am the Member for Northfield and I chair the committee.", "Member for Northfield"),
    ("I’m a Labor Senator from Southland.", "Labor Senator from Southland"),
])
def test_a_speaker_who_states_their_role_in_their_own_turn_gets_it(intro: str, role: str) -> None:
    assert _roles(_LAUNCH.format(intro=intro))["Kaye Sample"] == role


@pytest.mark.parametrize("intro", [
    "I'm not the Minister for the Northern Territory.",  # what they are not
    "I'm glad the Minister for Health is here.",  # someone else's title
    "",
])
def test_no_role_without_a_self_introduction(intro: str) -> None:
    assert _roles(_LAUNCH.format(intro=intro))["Kaye Sample"] is None


def test_a_self_introduction_gives_the_role_to_the_turn_it_stands_in() -> None:
    text = (
        "HOST: Welcome to the program. With me is Rob Sample.\n\n"
        "ROB SAMPLE: Thanks. I'm the Member for Eastvale, and I have been for ten years.\n\n"
        "HOST: And also Kaye Example.\n\nKAYE EXAMPLE: Hello, good to be here with everyone today."
    )
    roles = _roles(text)
    assert roles["Rob Sample"] == "Member for Eastvale"
    assert roles["Kaye Example"] is None


@pytest.mark.parametrize(("text", "name", "role"), [
    ("A word from Dana Example, the Palmer Unity Senator from Southland, speaking on radio this morning.\n\n"
     "DANA EXAMPLE: We want change.\n\nHOST: Thank you.",
     "Dana Example", "Palmer Unity Senator from Southland"),
    ("Dana Example, the Senator from Southland, said the plan was wrong.", "Dana Example", "Senator from Southland"),
])
def test_a_title_with_its_place_after_from_is_the_role(text: str, name: str, role: str) -> None:
    assert _roles(text)[name] == role


def test_a_role_under_a_condition_is_not_a_self_introduction() -> None:
    text = _LAUNCH.format(intro="If I'm Senator for the Northern Territory after the election, I will act.")
    assert _roles(text)["Kaye Sample"] is None


def test_a_portfolio_naming_no_office_is_left_out() -> None:
    text = _LAUNCH.format(intro="Look, I'm the Prime Minister of the country.")
    assert _roles(text)["Kaye Sample"] == "Prime Minister"
