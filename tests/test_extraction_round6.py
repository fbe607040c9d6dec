"""Who spoke, sixth round: a letterhead portfolio written as a list ("Minister for X, Y and Z") is one
role, and a Russian speech verb followed by a full stop ends its sentence, so the next sentence's
subject is not the speaker of the quote before it. Every text here is written for the test."""

from __future__ import annotations

import pytest

from index.extraction import extract
from index.extraction.roles import heading_part, heading_words

#: The head of an invented release by Mara Quillon, for sentences about another person.
_RELEASE_HEAD = "THE HON MARA QUILLON MP\n\nMEDIA RELEASE\n\nHarbours need repair, Ms Quillon said today.\n\n"


def _speakers(text: str, title: str = "", language: str = "en") -> dict[str, str | None]:
    return {s.name: s.role for s in extract(title, text, language=language).speakers}


@pytest.mark.parametrize(("letterhead", "role"), [
    ("THE HON MARA QUILLON MP Minister for Rural Roads, Ports and Fisheries",
     "Minister for Rural Roads, Ports and Fisheries"),
    ("THE HON MARA QUILLON MP Shadow Minister for Justice, Customs and Border Protection",
     "Shadow Minister for Justice, Customs and Border Protection"),
])
def test_a_portfolio_list_in_the_letterhead_is_one_role(letterhead: str, role: str) -> None:
    text = (f"{letterhead}\n\nMEDIA RELEASE\n\n12 March 2011\n\nNew grants for coastal towns\n\n"
            "Twelve coastal towns will share new grants for their harbours, Ms Quillon said today.")
    assert _speakers(text)["Mara Quillon"] == role


def test_a_comma_before_another_role_still_ends_the_first_one() -> None:
    assert heading_part("Minister for Rural Roads, Member for Eastvale") == "Minister for Rural Roads"
    assert heading_part("Minister for Rural Roads, Ports and Fisheries") == (
        "Minister for Rural Roads, Ports and Fisheries")
    assert heading_words("President, Coastal Towns and Harbours Commission")
    assert not heading_words("Minister, good morning and thanks for coming.")


def test_a_russian_sentence_after_a_quote_does_not_lend_its_subject_to_the_quote() -> None:
    text = ("Визит продлится два дня. \"Мы обсудим помощь беженцам и вопросы гуманитарных коридоров\", — "
            "пояснил понтифик. Тимур Валиханов действительно принял в стране мигрантов и открыл для них "
            "новые центры.")
    assert "Тимур Валиханов" not in _speakers(text, language="ru")


def test_a_russian_abbreviation_before_the_name_is_still_part_of_the_role() -> None:
    text = ("\"Мы откроем ещё три центра для переселенцев до конца года\", — сообщил зам. министра "
            "Тимур Валиханов.")
    assert "Тимур Валиханов" in _speakers(text, language="ru")


def test_a_mixed_case_label_used_once_and_named_nowhere_else_is_not_a_speaker() -> None:
    text = ("Grants for young artists\n\nLena Marsh: We are thrilled to open the new round today.\n\n"
            "Host: Thank you, Lena Marsh, and welcome to everyone listening.\n\n"
            "Lena Marsh: Applications close in May.\n\n"
            "Open Channel Studio\n\nGlass Harbour Tales: The Web Series\n\nA short film project for schools.")
    names = set(_speakers(text))
    assert "Lena Marsh" in names
    assert "Glass Harbour Tales" not in names


def test_a_double_surname_after_a_title_takes_the_full_name_and_role_the_release_gives() -> None:
    text = ("The Greens today asked for an inquiry into the detention of Mr Arun Das. Senator for Tasmania "
            "Lena Hill Marsh has written to the Minister about his case.\n\n"
            "\"Mr Das has been held for four years without charge,\" Senator Hill Marsh said.\n\n"
            "\"It is time the Minister acted,\" Senator Hill Marsh said.")
    assert _speakers(text) == {"Lena Hill Marsh": "Senator for Tasmania"}


def test_a_given_name_and_surname_after_a_title_are_not_read_as_a_double_surname() -> None:
    text = ("Remember Kira Vale and what she promised? Senator Kira Vale said the centre would close.\n\n"
            "\"We will close it this year,\" Senator Kira Vale said. Ms Vale did not say when.")
    assert "Remember Kira Vale" not in _speakers(text)


def test_a_label_closing_the_page_is_not_a_signature() -> None:
    text = ("THE HON MARA QUILLON MP\n\nTRANSCRIPT\n\nJOURNALIST:\n\nWill the grants reach the islands?\n\n"
            "MARA QUILLON:\n\nYes, every harbour on the islands will get its share this year.\n\n[ends]\n\n"
            "Home | Links | Search | Help\n\nQuick Find:")
    assert set(_speakers(text)) == {"Mara Quillon"}


def test_an_interviewer_named_on_lines_of_their_own_still_speaks() -> None:
    text = ("Morning Agenda\n\nInterview with Mara Quillon\n\nOrla Benedek:\n\nWe are joined by Mara Quillon. "
            "Welcome.\n\nMara Quillon:\n\nThank you for having me.\n\nOrla Benedek:\n\nWill the grants reach "
            "the islands?\n\nMara Quillon:\n\nYes, every harbour will get its share.\n\nOrla Benedek:")
    assert {"Orla Benedek", "Mara Quillon"} <= set(_speakers(text))


def test_a_role_read_from_a_label_keeps_no_colon() -> None:
    text = ("Press conference on harbours.\n\nSpeaker: Leader of the Opposition Mara Quillon.\n\nREPORTER:\n\n"
            "[inaudible question]\n\nMARA QUILLON - LEADER OF THE OPPOSITION:\n\nYes, the harbours will be "
            "repaired.\n\nREPORTER:\n\nWhen?\n\nQUILLON:\n\nWell, within the year.")
    assert _speakers(text)["Mara Quillon"] == "Leader of the Opposition"


def test_the_subject_of_a_report_after_said_is_still_not_a_speaker() -> None:
    text = (_RELEASE_HEAD + "Ms Quillon said Orla Benedek has failed the harbour towns for a decade.")
    assert "Orla Benedek" not in _speakers(text)


def test_a_joint_letterhead_gives_each_person_their_own_role() -> None:
    text = ("JOINT MEDIA RELEASE\n\nTHE HON. MARA QUILLON MHR, LEADER OF THE OPPOSITION  MR. ORLA BENEDEK MHR,   "
            "SHADOW MINISTER FOR HARBOURS AND PORTS\n\nFIXING THE HARBOURS\n\nAn elected Coalition will repair "
            "every harbour wall within two years, Ms Quillon and Mr Benedek said today.")
    assert _speakers(text) == {"Mara Quillon": "Leader of the Opposition",
                               "Orla Benedek": "Shadow Minister for Harbours and Ports"}


def test_an_upper_case_letterhead_role_is_read_whole_before_the_date() -> None:
    text = ("MEDIA RELEASE SENATOR MARA QUILLON LEADER OF THE OPPOSITION IN THE SENATE  SHADOW MINISTER FOR "
            "HARBOURS Tuesday, November 5 Canberra\n\nQUILLON WELCOMES HARBOUR PLAN\n\nThe harbour plan is "
            "overdue, Senator Quillon said today.")
    assert _speakers(text)["Mara Quillon"] == "Leader of the Opposition in the Senate"


def test_a_questioner_who_names_their_outlet_or_is_given_the_floor_speaks() -> None:
    text = ("PRIME MINISTER\n\nTRANSCRIPT OF PRESS CONFERENCE\n\nPRIME MINISTER:\n\nThe harbours will be repaired."
            "\n\nJOURNALIST:\n\nOrla Benedek, Harbour Times, Prime Minister. When will the work start?\n\n"
            "PRIME MINISTER:\n\nNext year. Our next question is from Ivo Marchetti.\n\nJOURNALIST:\n\n"
            "What will it cost?\n\nPRIME MINISTER:\n\nLess than the last plan.")
    names = set(_speakers(text))
    assert {"Orla Benedek", "Ivo Marchetti"} <= names


def test_people_a_journalist_lists_are_not_questioners() -> None:
    text = ("PRIME MINISTER\n\nTRANSCRIPT OF PRESS CONFERENCE\n\nPRIME MINISTER:\n\nThe harbours will be repaired."
            "\n\nJOURNALIST:\n\nMr Benedek, Mr Marchetti, Mr Quillon, Jane Roe all knew the walls were weak.\n\n"
            "PRIME MINISTER:\n\nI do not accept that.")
    assert not {"Marchetti", "Ivo Marchetti"} & set(_speakers(text))


def test_a_title_case_run_of_common_words_in_other_forms_is_not_a_person() -> None:
    text = ("Qualifications Certificates\n\nGeneral information for families\n\nThe certificate of a "
            "qualification is issued to families who ask for it, and every family qualification counts. "
            "Jane Roe, the Registrar, said the service is free.")
    names = set(_speakers(text))
    assert "Qualifications Certificates" not in names and "Jane Roe" in names


@pytest.mark.parametrize("sentence", [
    "According to the Coastal Works Institute’s Dr Orla Benedek, the harbour walls will fail in a decade.",
    "It has taken years. Mr Orla Benedek first said that the harbour walls would fail four years ago.",
    "When asked by Orla Benedek what the plan would cost, Ms Quillon gave no figure.",
    "In her speech Ms Quillon said she began by quoting Orla Benedek, former head of the Harbour Board.",
    "Direct testimony from Orla Benedek on the evening news showed that the walls were never inspected.",
    "Mr Orla Benedek's speech on the 27th of June marks a change of direction on harbours.",
    "Adequate funding for harbours, as announced by Mayor Orla Benedek, will reach every town.",
    "Now, Mr Orla Benedek, in the debate, made it clear he had no plan for the harbours.",
])
def test_words_given_as_a_person_s_on_an_occasion_make_a_speaker(sentence: str) -> None:
    assert "Orla Benedek" in _speakers(_RELEASE_HEAD + sentence)


def test_an_interviewer_named_under_the_letterhead_does_not_take_its_role() -> None:
    text = ("MINISTER FOR HARBOURS\n\nLEADER OF THE HOUSE\n\nINTERVIEW WITH ORLA BENEDEK (THE BENEDEK HOUR)\n\n"
            "1 JULY 2012\n\nORLA BENEDEK: Welcome to the program, Minister.\n\nMARA QUILLON: Thanks, Orla.\n\n"
            "ORLA BENEDEK: Will the harbours be repaired?\n\nMARA QUILLON: Yes, every one of them.")
    assert _speakers(text).get("Orla Benedek") is None


def test_a_politician_a_doorstop_interview_is_with_keeps_the_letterhead_role() -> None:
    text = ("Leader of the Opposition\n\nTRANSCRIPT OF\n\nDOORSTOP INTERVIEW WITH DR MARA QUILLON, SYDNEY, 17 JULY "
            "1990\n\nQUILLON: The harbours need an urgent national plan, and the Government must start it now.\n\n"
            "JOURNALIST: When?\n\nQUILLON: This year.")
    assert _speakers(text)["Mara Quillon"] == "Leader of the Opposition"


def test_a_title_someone_became_is_not_another_person_for_the_pronoun_after_it() -> None:
    text = ("We are grateful to our neighbours. When Mr. Ivo Marchetti became the Federal Chancellor in 1969, he "
            "said that we want to be a people of good neighbours. We still do.")
    assert _speakers(text)["Ivo Marchetti"] == "Federal Chancellor"


def test_a_title_of_someone_else_still_makes_the_pronoun_ambiguous() -> None:
    text = ("Harbours were on the agenda. Mr Ivo Marchetti met the Federal Chancellor in Bonn, and he said that "
            "the harbours would be repaired. Work starts in May.")
    assert "Ivo Marchetti" not in _speakers(text)


def test_a_letterhead_role_broken_after_a_connector_is_read_across_the_break() -> None:
    text = ("LAUNCH BY\n\nTHE MINISTER FOR HARBOURS AND\n\nCOASTAL AFFAIRS\n\nTHE HON MARA QUILLON MP\n\n"
            "18 SEPTEMBER 1998\n\nThank you all for coming to the launch of the harbour plan today.")
    assert _speakers(text)["Mara Quillon"] == "Minister for Harbours and Coastal Affairs"


def test_a_role_someone_was_elected_to_in_an_apposition_is_their_role() -> None:
    text = (_RELEASE_HEAD + "Dr Orla Benedek, having been now elected the President of the Harbour Party, makes "
            "it clear that she will campaign against the plan, Dr Benedek said in a statement.")
    assert _speakers(text)["Orla Benedek"] == "President of the Harbour Party"
