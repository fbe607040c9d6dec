"""Issuers and transcript speakers: header bylines, sign-offs, contact offices, title labels (text we wrote)."""

from __future__ import annotations

from index.extraction import extract


def _names(text: str, title: str = "") -> list[str]:
    return [speaker.name for speaker in extract(title, text).speakers]


BODY = "\n\nThe Government will expand the settlement program for new arrivals this year.\n"


def test_byline_under_the_portfolio_is_the_issuer():
    assert _names("Minister for Immigration\nScott Morrison\nMonday, 21 October 2013" + BODY) == ["Scott Morrison"]


def test_upper_case_byline_needs_a_role_or_by_beside_it():
    assert _names("DES HARDMAN\nLABOR CANDIDATE FOR FORDE" + BODY) == ["Des Hardman"]
    assert _names("PORTUGESE RUSH OZ\nQueues outside the office grew longer" + BODY) == []


def test_name_with_post_nominals_and_role_on_its_line():
    assert "Gary Gray" in _names("Gary Gray, AO, MP Special Minister of State\nTRANSCRIPT" + BODY)
    assert _names("Julie Bishop Federal Member for Curtin Deputy Leader of the Opposition" + BODY) == [
        "Julie Bishop"]


def test_undotted_initials_mc_names_and_dotted_post_nominals():
    assert _names("STATEMENT BY THE PRIME MINISTER, THE HON P J KEATING MP" + BODY) == ["P.J. Keating"]
    assert _names("ATTORNEY-GENERAL\nHON ROBERT McCLELLAND MP\nMAYO LECTURE" + BODY) == ["Robert McClelland"]
    assert _names("JULIA GILLARD M.P. Shadow Minister for Population" + BODY) == ["Julia Gillard"]


def test_issuer_phrases():
    assert _names("Paper presented by Dr Sev Ozdowski to the World Congress" + BODY) == ["Sev Ozdowski"]
    assert _names("CHILD AND MIGRANT LABOUR By: Ms. Sofiati Mukadi" + BODY) == ["Sofiati Mukadi"]


def test_sign_off_and_contact_office():
    text = "Funding for settlement" + BODY * 6 + "\nCANBERRA 3 OCTOBER 2012\nMINISTER EVANS’ OFFICE (02) 6277 7580\n"
    assert _names(text) == ["Evans"]
    signed = "Boat arrivals" + BODY * 6 + "\nTony Abbott Federal Member for Warringah | Leader of the Opposition\n"
    assert _names(signed) == ["Tony Abbott"]


def test_a_person_mentioned_in_the_body_is_not_an_issuer():
    text = "Funding for settlement" + BODY + "The program was first set up by Malcolm Fraser in 1977." + BODY * 4
    assert _names(text) == []


def test_pm_label_resolves_to_the_name_the_questions_address():
    text = (
        "PRIME MINISTER\nTRANSCRIPT OF PRESS CONFERENCE\n"
        "PM: I am very pleased with the way the talks are going.\n"
        "JOURNALIST: Do you expect the minister to stay, Mr Hawke?\n"
        "PM: Yes, I would expect so.\n"
    )
    extraction = extract("", text)
    assert [s.name for s in extraction.speakers] == ["Hawke"]
    assert any(q.speaker == "Hawke" and "talks are going" in q.text for q in extraction.quotes)


def test_pm_label_without_a_name_gives_no_person():
    text = "PRIME MINISTER\nPM: I am very pleased with the way the talks are going.\nJOURNALIST: Why?\nPM: Yes.\n"
    assert _names(text) == []


def test_colon_less_turns_and_the_interviewer_in_the_heading():
    text = (
        "Julie Bishop MP\nMTR Breakfast with Steve Price\nE&OE\n"
        "JOURNALIST: Julie Bishop, good morning.\nJULIE BISHOP: Good morning Steve.\nJOURNALIST: Is it true?\n"
    )
    assert _names(text) == ["Julie Bishop", "Steve Price"]
    bare = (
        "Julie Bishop MP\n15 July 2013\n"
        "MARIUS BENSON Julie Bishop, good morning.\nJULIE BISHOP Good morning Marius.\n"
        "MARIUS BENSON Is it true?\nJULIE BISHOP Well yes it is.\n"
    )
    assert _names(bare) == ["Julie Bishop", "Marius Benson"]
