"""Person names: honorifics, post-nominals, folding and partial-name compatibility."""

from __future__ import annotations

import pytest

from index.extraction.names import canonical_person_key, compatible, display_name, strip_titles


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Mr. Vusal Huseynov", "Vusal Huseynov"),
        ("H.E. Mr Antonio Vitorino", "Antonio Vitorino"),
        ("the Hon. Scott Morrison MP", "Scott Morrison"),
        ("Senator Sarah Hanson-Young", "Sarah Hanson-Young"),
        ("Dr Neal Blewett AO", "Neal Blewett"),
        ("Ms Jane Smith QC", "Jane Smith"),
    ],
)
def test_strip_titles(raw, expected):
    assert strip_titles(raw) == expected


def test_key_folds_case_accents_and_titles():
    names = ("Vusal Huseynov", "Vüsal Hüseynov", "VUSAL HUSEYNOV", "Mr. Vusal Huseynov")
    keys = {canonical_person_key(n) for n in names}
    assert keys == {"vusal huseynov"}
    assert canonical_person_key("Brendan O’Connor") == canonical_person_key("BRENDAN O'CONNOR")


def test_display_name_title_cases_upper_case():
    assert display_name("CHRIS BOWEN") == "Chris Bowen"
    assert display_name("NICK MCKIM") == "Nick McKim"
    assert display_name("THE HON TANYA PLIBERSEK MP") == "Tanya Plibersek"


def test_partial_names_are_compatible_with_full_names():
    assert compatible("V. Huseynov", "Vusal Huseynov")
    assert compatible("Huseynov", "Vusal Huseynov")
    assert not compatible("A. Huseynov", "Vusal Huseynov")
    assert not compatible("Bowen", "Vusal Huseynov")
