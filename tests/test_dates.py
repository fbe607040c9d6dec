"""Date parsing and release-date finding."""

from datetime import date

import pytest

from index.extraction.dates import find_release_date, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-03-12", date(2021, 3, 12)),
        ("2021-03-12T10:00:00+02:00", date(2021, 3, 12)),
        ("12 March 2021", date(2021, 3, 12)),
        ("March 12, 2021", date(2021, 3, 12)),
        ("Friday, 12th March 2021", date(2021, 3, 12)),
        ("Sept. 5, 2020", date(2020, 9, 5)),
        ("12/03/2021", date(2021, 3, 12)),
        ("03/25/2021", date(2021, 3, 25)),
        ("12.03.2021", date(2021, 3, 12)),
        ("14:05 12.03.2021", date(2021, 3, 12)),
        ("16 октября 2024", date(2024, 10, 16)),
        ("16 октября 2024 года", date(2024, 10, 16)),
        ("среда, 1 мая 2019 г.", date(2019, 5, 1)),
        ("3 марта 2020", date(2020, 3, 3)),
        ("Tue, 15 Nov 1994 08:12:31 GMT", date(1994, 11, 15)),
        ("20210312", date(2021, 3, 12)),
    ],
)
def test_parse_date_formats(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["", "March 2021", "2021", "1850-01-01", "2999-01-01", "31/02/2021", "hello"]
)
def test_parse_date_refuses_partial_or_implausible(text):
    assert parse_date(text) is None


def test_release_date_from_label_line():
    text = "Minister visits reception centre\n\nReleased: 4 May 2020\n\nThe minister said..."
    assert find_release_date(text) == date(2020, 5, 4)


def test_release_date_near_top():
    text = "GENEVA, 16 June 2022 - The agency welcomed the decision.\n\nMore text."
    assert find_release_date(text) == date(2022, 6, 16)


def test_copyright_year_is_not_a_release_date():
    text = "Session continues\n\n© 2023 State Migration Service\nTerms for users | Privacy Policy"
    assert find_release_date(text) is None
    assert find_release_date("Title\n\nCopyright 12 January 2019 Foo Ltd\n\nBody") is None


def test_date_far_below_the_head_is_ignored():
    text = "Title\n\n" + "Words without any date. " * 60 + "\n\nOn 3 March 2020 something happened."
    assert find_release_date(text) is None


@pytest.mark.parametrize(
    "head, expected",
    [
        ("MINISTER FOR IMMIGRATION\n27 NOVEMBER 1977\nREFUGEE PROGRAM", date(1977, 11, 27)),
        ("No. 12/78\n12th March, 1978\nNEW ARRIVALS", date(1978, 3, 12)),
        ("FOR PRESS 19 MARCH 1978\nMIGRANT CENTRES", date(1978, 3, 19)),
        ("FOR PRESS 20. NOVEMBER 1977\nHOSTELS", date(1977, 11, 20)),
        ("Media release\nDate: 5 May 2003\nVisa changes", date(2003, 5, 5)),
        ("NEWS RELEASE\n29.May 1979\nRefugees", date(1979, 5, 29)),
    ],
)
def test_trove_style_datelines(head, expected):
    assert find_release_date(head + "\n\nThe Minister announced a new program for arrivals.") == expected


def test_dateline_in_the_sign_off():
    body = "Title\n\n" + "The Minister announced the program today. " * 30
    assert find_release_date(body + "\n\nCANBERRA 17 October, 1985 .\nContact: press office") == date(1985, 10, 17)
    assert find_release_date(body + "\n\nBangkok, 6th October, 1979.") == date(1979, 10, 6)


def test_a_dateline_beats_a_date_in_prose_at_the_top():
    text = "Minister leaves for Israel tomorrow, Monday 11 July 1988, on an official visit to the region.\n\n"
    text += "Details of the program follow in this release. " * 20 + "\n\n10 July 1988 Sydney"
    assert find_release_date(text) == date(1988, 7, 10)


def test_sign_off_that_is_not_a_release_date():
    body = "Title\n\n" + "The Minister announced the program today. " * 30
    assert find_release_date(body + "\n\n© 12 March 2011 Commonwealth of Australia") is None
    assert find_release_date(body + "\n\n4/06/2012 http://www.minister.example.au/media/cb1.htm") is None
    assert find_release_date(body + "\n\nLast update: Thursday, 22 March 2012") is None
    assert find_release_date(body + "\n\nOn 3 March 2020 the review began.") is None
