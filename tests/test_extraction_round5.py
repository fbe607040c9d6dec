"""Who spoke, fifth round (fitted on the second tuning set): words heard "saying", relative clauses that
say, remarks by their noun, "to quote X", labels such as "McGOWAN:", initials a letterhead left without
their full stop, and candidates that name places, venues, addresses or groups, or the
people a sentence only appoints or welcomes. Every text here is written for the test."""

from __future__ import annotations

import pytest

from index.extraction import extract


def _names(text: str, title: str = "") -> set[str]:
    return {s.name for s in extract(title, text).speakers}


def _speakers(text: str, title: str = "") -> dict[str, str | None]:
    return {s.name: s.role for s in extract(title, text).speakers}


@pytest.mark.parametrize(("text", "speaker"), [
    ("Rates fell again. Orla Fenwick has come out saying that the drop is a bad signal for the economy.",
     "Orla Fenwick"),
    ("The plan is in trouble. Dario Quill is out there saying that he wants to scrap the whole scheme.",
     "Dario Quill"),
    ("I heard Petra Lindqvist on the radio this morning saying that the camp will close in June.",
     "Petra Lindqvist"),
    ("You've got church groups, you've got Tomas Berend, who has never backed this policy, saying that "
     "the centre should stay.", "Tomas Berend"),
])
def test_a_person_heard_saying_something_is_a_speaker(text: str, speaker: str) -> None:
    assert speaker in _names(text)


def test_a_relative_clause_after_an_apposition_reports_the_person() -> None:
    text = ("Let me recall the words of Anil Raghunath Varma, the first elected President of the Assembly, who, "
            "in addressing the tenth session in 1958, said, \u201cNo nation is too small to matter.\u201d")
    assert "Anil Raghunath Varma" in _names(text)


def test_a_relative_clause_about_someone_else_speaking_does_not() -> None:
    text = ("We thanked Wilma Hartigan, the head of the shelter, who has worked there for years, when the "
            "Minister said the shelter would close.")
    assert "Wilma Hartigan" not in _names(text)


def test_remarks_by_their_noun_and_to_quote_report_the_person() -> None:
    assert "Colm Avery" in _names("QUESTION: Do you endorse Colm Avery's comments that arrivals are illegal?")
    assert "Ines Marlowe" in _names("If I may quote the economist Ines Marlowe on this: growth is not everything.")
    assert "Ines Marlowe" in _names("To quote Ines Marlowe: growth is not everything.")
    assert not _names("Returns are late for people who fail to quote a Tax File Number on the form.")


def test_said_by_in_the_passive_reports_the_person() -> None:
    text = "This was said by Senator Corin Hale, Leader of the Opposition in the Senate, in an address today."
    assert "Corin Hale" in _names(text)


def test_a_question_to_a_minister_gives_the_named_person_no_role() -> None:
    text = "QUESTION: Minister, do you endorse Colm Avery's comments that arrivals are illegal?"
    assert _speakers(text).get("Colm Avery") is None


@pytest.mark.parametrize("label", ["McGOWAN", "MacKELLAR"])
def test_a_mc_or_mac_label_is_a_transcript_turn(label: str) -> None:
    surname = label[:label.index("c") + 1] + label[label.index("c") + 1:].capitalize()
    text = (f"DOORSTOP\n\nJOURNALIST: What is the timeframe, Mr {surname}?\n\n{label}: It is ten months until the "
            f"election.\n\nJOURNALIST: And the money?\n\n{label}: We will build it as we can afford it.\n")
    assert surname in " ".join(_names(text))


def test_a_letterhead_initial_without_its_full_stop_keeps_the_name_whole() -> None:
    text = ("LEADER OF THE OPPOSITION THE HON ROLAND J TEMPLETON MP\n\nTRANSCRIPT OF DOORSTOP\n\n"
            "TEMPLETON: These changes have raised the passions of the people.\n\n"
            "JOURNALIST: Mr Templeton, what about the camps?\n\nTEMPLETON: They must close.\n")
    speakers = _speakers(text)
    assert list(speakers) == ["Roland J. Templeton"]
    assert speakers["Roland J. Templeton"] == "Leader of the Opposition"


def test_an_official_before_a_name_is_the_role() -> None:
    text = "Today the State Coroner Fenella Marsh said she is not satisfied with the evidence."
    assert _speakers(text)["Fenella Marsh"] in ("State Coroner", "Coroner")


@pytest.mark.parametrize(("text", "not_a_person"), [
    ("The late President Obuya of Central Africa once said, \u201cPeace starts at home.\u201d", "Africa"),
    ("The Paralympic Games showed the world what we can do, the Minister said.", "Paralympic Games"),
    ("The Colbrook Theatre was full when Minister Jane Ardle spoke, she said.", "Colbrook Theatre"),
    ("Write to us at 619 Elizabeth St Redfern or call. \"We will answer,\" Mr Dale Ormond said.",
     "Elizabeth St Redfern"),
    ("The Khmer Rouge said nothing. \"They never will,\" Mr Dale Ormond said. The Khmer Rouge left.",
     "Khmer Rouge"),
    ("She said Customs was doing a remarkable job with the limited boats it had.", "Customs"),
])
def test_places_venues_addresses_and_groups_are_not_speakers(text: str, not_a_person: str) -> None:
    assert not_a_person not in _names(text)


def test_a_house_number_is_not_a_year() -> None:
    assert "Tove Marren" in _names("In 2009 Tove Marren said \"we live in an era of interdependence\".")


def test_people_a_sentence_welcomes_or_appoints_are_not_issuers() -> None:
    text = ("APPOINTMENTS TO THE REVIEW TRIBUNAL\n\nAttorney-General Jane Ardle today announced two appointments "
            "to the Review Tribunal.\n\nMs Ardle welcomed the Hon Dr Ewan Pryce CBE and the Hon Mr Ross Kettle AO "
            "as part-time Deputy Presidents to the Tribunal.\n\n\u201cBoth will bring great experience,\u201d "
            "Ms Ardle said.\n")
    assert _names(text) == {"Jane Ardle"}


def test_a_joint_statement_line_still_names_its_issuers() -> None:
    text = ("Joint Press Statement by the Acting Minister for Foreign Affairs, Senator Ian Carrow, and the "
            "Minister for Home Affairs, Mr Leo Wilde.\n\n12 August 1981\n\nOFFICE SECONDED\n\nThe office will "
            "be seconded to the commission for two years.\n")
    assert {"Ian Carrow", "Leo Wilde"} <= _names(text)


def test_a_bare_title_is_completed_by_the_country_after_the_name() -> None:
    text = "The late President Obuya of Kenya once said, \u201cPeace starts at home.\u201d"
    assert _speakers(text) == {"Obuya": "President of Kenya"}


def test_a_title_before_a_later_surname_mention_is_the_role() -> None:
    text = ("I want to thank Maris Oakden. \u201cWe will fix the roads,\u201d Maris Oakden said. Later, Prime "
            "Minister Oakden was asked about the camps.")
    assert _speakers(text)["Maris Oakden"] == "Prime Minister"


def test_the_words_of_a_sentence_before_the_then_are_not_part_of_the_role() -> None:
    from index.extraction.roles import clean_role

    assert clean_role("reading speech the then Minister for Immigration", "Gil Hart") == "Minister for Immigration"
    assert clean_role("leader of the Australian Greens", "Ada Mill") == "leader of the Australian Greens"


def test_russian_names_with_particles_and_past_imperfective_verbs() -> None:
    text = "Ранее глава Еврокомиссии Урсула фон дер Ляйен заявила, что комиссия пересмотрела бюджет."
    assert {s.name for s in extract("", text, language="ru").speakers} == {"Урсула фон дер Ляйен"}
    text = "Президент Белоруссии Александр Лукашенко отмечал, что Минск больше не будет сдерживать поток."
    assert {s.name: s.role for s in extract("", text, language="ru").speakers} == {
        "Александр Лукашенко": "Президент Белоруссии"}


def test_a_plural_russian_verb_has_no_one_speaker_after_it() -> None:
    text = ("Латвия и Польша сообщали о росте числа мигрантов из стран Ближнего Востока. Россияне не признали "
            "свою вину, сказал Иван Мельников.")
    assert {s.name for s in extract("", text, language="ru").speakers} == {"Иван Мельников"}


def test_the_attribution_line_of_a_quote_still_names_its_speaker() -> None:
    text = ("The Greens welcome the announcement today.\n\n\"For years I have been working to establish an "
            "advocate for children, so I am very pleased\" said youth spokesperson Senator Mira Holt-Evans.\n\n"
            "\"This is welcome news.\"")
    assert "Mira Holt-Evans" in _names(text)
