"""Who spoke, fourth round: people whose words a release reports without quotation marks ("According to
...", "X of the Council said", "the point that X made", "X has written to ...", a questioner who names
themselves), and the people such sentences only mention. Every text here is written for the test."""

from __future__ import annotations

import pytest

from index.extraction import extract


def _names(text: str, title: str = "") -> set[str]:
    return {s.name for s in extract(title, text).speakers}


def _speakers(text: str, title: str = "") -> dict[str, str | None]:
    return {s.name: s.role for s in extract(title, text).speakers}


@pytest.mark.parametrize(("text", "speaker"), [
    ("Funding for the shelters ran out in March. According to Mara Kestrel, the waiting list has doubled.",
     "Mara Kestrel"),
    ("The figures are wrong. According to the Shadow Treasurer, Owen Pellham, the costings leave out the "
     "camps.", "Owen Pellham"),
    ("The inquiry was told the centre is full. According to Brigadier Hal Wendover the boats have stopped.",
     "Hal Wendover"),
])
def test_a_sentence_that_opens_with_according_to_reports_the_person(text: str, speaker: str) -> None:
    assert speaker in _names(text)


def test_according_to_a_body_or_a_cited_work_is_not_a_person_speaking() -> None:
    text = ("Arrivals fell by a third. According to the Northern War Museum, nine ships were lost. "
            "According to Pellinger (2004), the camps were closed early.")
    names = _names(text)
    assert not any("Museum" in name for name in names)
    assert "Pellinger" not in names


@pytest.mark.parametrize(("text", "speaker"), [
    ("Tomas Verrall of the Harbour Refugee Council said the new rules would split families.", "Tomas Verrall"),
    ("Dr Ines Farlow from the University of Eastport today called for an end to the freeze.", "Ines Farlow"),
    ("Professor Lyle Amberly in an article for the Eastport Law Review wrote that the charter is weak.",
     "Lyle Amberly"),
    ("Senator Nora Quill has written to the Minister asking for the report to be released.", "Nora Quill"),
    ("In her new book, Petra Lindqvist has written that the camps were never meant to last.", "Petra Lindqvist"),
    ("Rolf Kessing and others have argued that the quota is too small.", "Rolf Kessing"),
    ("In the same speech Mr Odegaard is reported as saying that the camps must close.", "Odegaard"),
    ("Dr Sunniva Hale was quoted as saying the detention of children breaches the convention.", "Sunniva Hale"),
    ("At the hearing, Professor Ada Greville gave evidence that the tribunal had lost its files.", "Ada Greville"),
    ("STEVE DALE: As I understand it, Mr Carrow is saying that they refuse to back the plan.", "Carrow"),
    ("Senator Bea Lindell is calling on the Government to release the report today.", "Bea Lindell"),
    ("JOURNALIST: This morning on radio Tomas Brecker accused the Government of hiding the costs.", "Tomas Brecker"),
    ("A retired naval officer, Edwin Marsh, has described the blockade as morally wrong.", "Edwin Marsh"),
    ("Senator Orla Vance has made it very clear that the centre will not reopen.", "Orla Vance"),
    ("Last year Senator Piet Kamer dismissed these programs as wasteful and complicated.", "Piet Kamer"),
    ("Do you agree with your colleague Lars Egholm when he reckons the election is close?", "Lars Egholm"),
])
def test_a_name_then_a_body_an_occasion_or_written_reports_the_person(text: str, speaker: str) -> None:
    assert speaker in _names(text)


@pytest.mark.parametrize(("text", "speaker"), [
    ("That is exactly the point that Foreign Minister Arlo Penhaligon made yesterday in Jakarta.",
     "Arlo Penhaligon"),
    ("I agree with the comments Dana Whitcombe made this morning on radio.", "Dana Whitcombe"),
    ("We welcome the announcement made by Minister Cass Odell this morning on the new centre.", "Cass Odell"),
])
def test_the_point_or_remarks_a_person_made_report_the_person(text: str, speaker: str) -> None:
    assert speaker in _names(text)


def test_a_title_before_the_point_keeps_its_role() -> None:
    speakers = _speakers("That is exactly the point that Foreign Minister Arlo Penhaligon made yesterday.")
    assert speakers["Arlo Penhaligon"] == "Foreign Minister"


@pytest.mark.parametrize("text", [
    # the claims are about a deal the person made, not words
    "The Senate rejected the claims that Gavin Thorsby made a secret deal with the camp operator.",
    # a record over years, not an occasion
    "All of the statements Gavin Thorsby has made in relation to these matters in the past are consistent.",
    # an addressee and an object are not subjects of the verb
    "A letter to Gavin Thorsby of the Harbour Council said the money was gone.",
    "The Minister met Gavin Thorsby of the Harbour Council announced today.",
    "The medal was reported to Gavin Thorsby as saying nothing.",
    "Gavin Thorsby has been warning the Government for months that the camps are full.",
    "It would be a gift to us if Gavin Thorsby is saying that he prefers the other side.",
    "Three guards including Gavin Thorsby accused of assault were sent home.",
    "Gavin Thorsby, described by his colleagues as a loner, left the party in May.",
    "Gavin Thorsby has made it clear throughout his career that he loves the sea.",
    "The committee thanked Gavin Thorsby and others have argued for more.",
    # "written" as something done to a thing
    "The debt owed by Gavin Thorsby has been written off by the bank.",
])
def test_people_only_mentioned_in_these_shapes_are_not_speakers(text: str) -> None:
    assert "Gavin Thorsby" not in _names(text)


def test_a_body_with_an_article_is_not_a_person_speaking() -> None:
    names = _names("Ask the builders. The Harbour Builders are saying this is what kept firms open. "
                   "The Hon Ruth Calder is calling for a review of the levy.")
    assert not any("Builders" in name for name in names)
    assert "Ruth Calder" in names


def test_a_questioner_who_names_themselves_in_a_transcript_is_a_speaker() -> None:
    text = """PRESS CONFERENCE, PORT ELLIS

PRIME MINISTER: Thank you all for coming. Today we open the new processing centre.

JOURNALIST: Prime Minister, Lena Brask from the Eastport Herald. How many places will the centre hold?

PRIME MINISTER: Four hundred, in the first year.

JOURNALIST: Mr Halvorsen, Tobin Reyes from Channel Nine. Will the camp on the island close?

PRIME MINISTER: Not this year.
"""
    names = _names(text)
    assert {"Lena Brask", "Tobin Reyes"} <= names
    assert "Halvorsen" not in names  # addressed, not speaking


def test_a_spokesman_for_a_named_person_does_not_make_the_person_a_speaker_by_this_rule() -> None:
    # unnamed spokespeople are not speakers; the person they speak for is left to the other rules
    assert _names("A spokesman for Carla Denholm of the Harbour Council declined to comment.") == set()


@pytest.mark.parametrize(("text", "speaker", "role"), [
    ("Министр труда Иван Белозёров в беседе с журналистами рассказал, что мигрантов стало больше.",
     "Иван Белозёров", "Министр труда"),
    ("Глава ведомства Ольга Ракитина во вторник заявила, что закон примут осенью.", "Ольга Ракитина",
     "Глава ведомства"),
    ("Пётр Сомов в своем телеграм-канале написал, что очереди в центрах исчезли.", "Пётр Сомов", None),
])
def test_a_russian_name_then_a_circumstance_then_a_speech_verb_reports_the_person(
        text: str, speaker: str, role: str | None) -> None:
    speakers = {s.name: s.role for s in extract("", text, language="ru").speakers}
    assert speaker in speakers
    assert speakers[speaker] == role


def test_a_russian_name_after_a_preposition_is_not_the_speaker() -> None:
    text = "Депутат встретился с Анной Ракитиной на форуме и рассказал о законе."
    assert not any("Ракитин" in s.name for s in extract("", text, language="ru").speakers)
