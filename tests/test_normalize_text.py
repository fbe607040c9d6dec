"""Plain-text releases."""

from datetime import date
from pathlib import Path

import pytest

from index.normalize.text import clean_body, clean_whitespace, dehyphenate, normalize_text

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seeds" / "000_2d8ed2f096a8f8af.txt"

RELEASE = """\
Minister announces new resettlement places

Released: 14 February 2019

The Minister for Immigration today announced 1,000 additional
places for refugees from the region, saying the program "will
save lives".

Officials will travel to the camps next month.

© 2019 Department of Home Affairs
Home | About | Contact us | Privacy
"""


@pytest.fixture(scope="module")
def seed():
    if not SEED.exists():
        pytest.skip(f"seed release not found at {SEED} (../shared is only present in the dev setup)")
    return normalize_text(SEED.read_bytes(), url="file:seed.txt")


def test_seed_title(seed):
    expected = "112th Session of the International Organization for Migration (IOM) Council continues"
    assert seed.title == expected


def test_seed_footer_removed(seed):
    assert "© 2023" not in seed.body
    assert "Privacy Policy" not in seed.body
    assert "All rights reserved" not in seed.body
    assert "Terms for users" not in seed.body


def test_seed_body_and_date(seed):
    assert "Vusal Huseynov" in seed.body
    assert "World Migration Report 2022" in seed.body
    assert seed.body.count("\n\n") >= 5  # paragraphs kept
    assert seed.date is None
    assert seed.url == "file:seed.txt"


def test_release_with_wrapped_lines_and_footer():
    doc = normalize_text(RELEASE.encode("utf-8"))
    assert doc.title == "Minister announces new resettlement places"
    assert doc.date == date(2019, 2, 14)
    assert 'additional places for refugees from the region, saying the program "will save lives".' in doc.body
    assert "\n\nOfficials will travel" in doc.body
    assert "Contact us" not in doc.body
    assert "©" not in doc.body
    assert doc.language is None


def test_cp1252_bytes():
    text = "Déclaration\n\nLe ministre a déclaré que les réfugiés sont accueillis."
    doc = normalize_text(text.encode("cp1252"))
    assert doc.title == "Déclaration"
    assert "réfugiés" in doc.body


def test_a_lone_a_circumflex_left_by_a_lost_no_break_space_is_dropped():
    text = ("TRANSCRIPT\n\nCHAIR:  Â\n\nThe first question is from Jane Roe.\n\nÂ\n\nQUESTION:  Â\n\n"
            "Jane Roe, Example News. Will Ângela Costa speak today?")
    body = normalize_text(text).body
    assert "Â" not in body.replace("Ângela", "")
    assert "Ângela Costa" in body and "QUESTION:\n\nJane Roe, Example News." in body


def test_pdf_lines_merged_and_dehyphenated():
    text = (
        "FOR THE PRESS\n\nThe Government will provide assistance to refu-\n\ngees arriving in the\n\n"
        "northern  ports  this year.\n\nNew paragraph here. The refugees were welcomed."
    )
    body = normalize_text(text).body
    assert "assistance to refugees arriving in the northern ports this year." in body
    assert "\n\nNew paragraph here." in body


def test_dehyphenate_uses_document_vocabulary():
    assert dehyphenate("help for refu- gees and other refugees") == "help for refugees and other refugees"
    assert dehyphenate("a high- quality service") == "a high-quality service"
    assert dehyphenate("the govern-\nment said") == "the government said"
    assert dehyphenate("a well-\nknown well-known case") == "a well-known well-known case"
    assert dehyphenate("the 3refu-\ngees and 12-\n15 May") == "the 3refugees and 12-\n15 May"
    assert dehyphenate("no hyphen at all") == "no hyphen at all"


def test_clean_whitespace_collapses_runs_and_odd_spaces():
    assert clean_whitespace("a  b\u00a0c\t d \n  e\u2003 f ") == "a b c d\ne f"
    assert clean_whitespace("one two three") == "one two three"


def test_long_first_line_stays_in_body():
    line = "It gives me great pleasure to address the Assembly, " * 8
    doc = normalize_text(line + "\n\nSecond paragraph.")
    assert doc.title.endswith("…")
    assert len(doc.title) <= 201
    assert doc.body.startswith("It gives me great pleasure")


def test_empty_input():
    doc = normalize_text(b"")
    assert doc.title == ""
    assert doc.body == ""
    assert doc.date is None


def test_clean_body_keeps_short_lines_of_a_list():
    body = clean_body("Speakers:\nJohn Smith\nMaria Rossi\n\nEnd.")
    assert "John Smith\nMaria Rossi" in body


def test_ocr_letter_spacing_is_repaired():
    from index.normalize.text import repair_letter_spacing

    assert repair_letter_spacing("S t a t e m e n t  b y  t h e  M i n i s t e r  f o r  E x t e r n a l") == (
        "Statement by the Minister for External"
    )
    assert repair_letter_spacing("The M i n i s t e r  f o r  A f f a i r s ,  Mr. H a s l u c k ,") == (
        "The Minister for Affairs, Mr. Hasluck,"
    )
    normal = "The Minister said options a, b and c were considered by the committee."
    assert repair_letter_spacing(normal) == normal


def test_mojibake_is_repaired_only_where_it_shows():
    from index.normalize.text import fix_mojibake

    assert fix_mojibake("The Governmentâ€™s decision") == "The Government's decision"
    assert fix_mojibake("Ünïcödé text stays") == "Ünïcödé text stays"


def test_letterhead_lines_are_not_the_title():
    from index.normalize.text import split_title

    text = (
        "CHRIS EXAMPLE MP\nMINISTER FOR IMMIGRATION AND BORDERS\n\nMEDIA RELEASE\n\nTuesday, 3 May 2011\n\n"
        "NEW REGIONAL PROCESSING ARRANGEMENT SIGNED\n\nThe Minister today signed an arrangement with partners."
    )
    title, rest = split_title(text)
    assert title == "NEW REGIONAL PROCESSING ARRANGEMENT SIGNED"
    assert rest.startswith("CHRIS EXAMPLE MP")  # nothing is lost from the body
    transcript = (
        "JANE DOE MP\nSHADOW MINISTER FOR HOME AFFAIRS\nE&OE TRANSCRIPT\nSUBJECTS: Boat arrivals; budget.\nDOE: Thanks."
    )
    assert split_title(transcript)[0] == "Boat arrivals; budget."
    assert split_title("Minister announces new places\n\nText.")[0] == "Minister announces new places"


def test_a_paragraph_ending_on_a_word_no_paragraph_ends_on_goes_on_in_the_next() -> None:
    """One line per paragraph, as text from PDF pages often comes: a sentence broken after "for" or
    "Senator" is one paragraph again, so the name and the role in it are read whole."""
    text = (
        "Boats keep arriving under this Government, Shadow Minister for\n\n"
        "Ports and Harbours, Dana Quell said today.\n\n"
        "The incident was reported to Senator\n\n"
        "Ruth Amberley on Monday.\n\n"
        "Media release\n\n"
        "The Minister will visit Eastvale."
    )
    paragraphs = clean_body(text).split("\n\n")
    assert paragraphs[0] == (
        "Boats keep arriving under this Government, Shadow Minister for Ports and Harbours, Dana Quell said today."
    )
    assert paragraphs[1] == "The incident was reported to Senator Ruth Amberley on Monday."
    assert paragraphs[2:] == ["Media release", "The Minister will visit Eastvale."]
