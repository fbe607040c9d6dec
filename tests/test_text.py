"""One text module: the folds and word patterns index time and query time share (``index/text.py``)."""

from __future__ import annotations

import re

from helpers import REPO

from index.extraction.names import canonical_person_key
from index.text import TOKEN_RE, WORD_RE, fold, fold_name, strip_accents


def test_names_fold_case_accents_and_letters_without_accents() -> None:
    assert fold_name("Vüsal HÜSEYNOV") == "vusal huseynov"
    assert fold_name("Əliyev") == "aliyev"  # schwa has no accent to strip: folded by the letter table
    assert fold_name("Łódź Straße þór Ørsted") == "lodz strasse thor orsted"
    assert fold_name("O’Connor") == "o'connor"
    assert canonical_person_key("Mr Vüsal HÜSEYNOV") == canonical_person_key("Vusal Huseynov") == "vusal huseynov"


def test_the_other_folds_keep_their_own_jobs() -> None:
    assert strip_accents("Hüseynov") == "Huseynov"  # case kept: highlighting's quick prefix test
    assert fold("HÜS") == "hus" and fold("Straße") == "strasse"  # completions: case folded
    assert strip_accents("Йошкар-Ола") == "Иошкар-Ола"  # (Russian text is never folded by the analyzers)


def test_word_patterns() -> None:
    assert TOKEN_RE.findall("COVID-19 in the U.S. don't") == ["COVID", "19", "in", "the", "U.S", "don't"]
    assert WORD_RE.findall("don't COVID-19") == ["don", "t", "COVID", "19"]


def test_folding_and_word_patterns_are_defined_once() -> None:
    """No module outside ``index/text.py`` folds text with ``unicodedata`` or defines a fold or a word
    pattern of its own (the SimHash recipe of ``index/store/dedup.py`` is the index's alone)."""
    own_fold = re.compile(
        r"unicodedata\.normalize\(\s*[\"']NFK?D[\"']"  # accents stripped by hand
        r"|def _?fold(?:_name)?\("  # a fold of its own
        r"|re\.compile\(r[\"']\\w\+[\"']"  # a word pattern of its own
    )
    found = []
    for package in ("index", "search", "web"):
        for path in (REPO / package).rglob("*.py"):
            relative = path.relative_to(REPO).as_posix()
            if relative in ("index/text.py", "index/store/dedup.py"):
                continue
            source = path.read_text(encoding="utf-8")
            if own_fold.search(source):
                found.append(relative)
    assert found == []
