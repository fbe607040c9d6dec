"""Word alternations built as a trie match what the longest-first alternation matches."""

from __future__ import annotations

import re

import pytest

from index.extraction.alternation import capitalised_alternation, trie_alternation

WORDS = ["niger", "nigeria", "norway", "north korea", "korea", "the gambia", "gambia", "côte d'ivoire"]
TEXT = (
    "Nigeria and Niger, then NORTH   KOREA and North Korea's envoy; Nigerians, Norway-based groups,\n"
    "the Gambia, The Gambia and Côte d'Ivoire. north korea, Koreas, korea."
)


def _flat(words: list[str], space: str | None) -> str:
    escaped = (re.escape(w) for w in sorted(words, key=len, reverse=True))
    return "|".join(e.replace(r"\ ", space) if space else e for e in escaped)


@pytest.mark.parametrize("space", [None, r"\s+"])
@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
def test_trie_matches_like_longest_first_alternation(space, flags):
    template = r"(?<![\w.])({})(?![\w-])"
    flat = re.compile(template.format(_flat(WORDS, space)), flags)
    trie = re.compile(template.format(trie_alternation(WORDS, space=space, flags=flags)), flags)
    expected = [(m.span(), m.group(1)) for m in flat.finditer(TEXT)]
    assert expected  # the text exercises the patterns
    assert [(m.span(), m.group(1)) for m in trie.finditer(TEXT)] == expected


def test_trie_shares_prefixes():
    assert trie_alternation(["niger", "nigeria", "norway"]) == "n(?:iger(?:ia)?|orway)"


def test_trie_refuses_branches_that_match_the_same_character():
    with pytest.raises(ValueError):
        trie_alternation(["ab", "Ab"], flags=re.IGNORECASE)
    assert trie_alternation(["ab", "Ab"]) == "(?:Ab|ab)"


def test_not_after_is_a_lookbehind_checked_after_the_first_character():
    words = ["IOM", "UN", "UNHCR", "EU"]
    flat = re.compile(rf"(?<![\w-])({_flat(words, None)})(?![\w-])")
    trie = re.compile("(" + trie_alternation(words, not_after=r"[\w-]") + r")(?![\w-])")
    text = "UNHCR and IOM; xUN, pre-EU, UN-led, EU.UN (IOM)UNHCR"
    assert [(m.span(), m.group(1)) for m in trie.finditer(text)] == [
        (m.span(), m.group(1)) for m in flat.finditer(text)
    ]
    assert [m.group(1) for m in trie.finditer(text)] == ["UNHCR", "IOM", "EU", "UN", "IOM", "UNHCR"]


@pytest.mark.parametrize("space", [None, r"\s+"])
def test_capitalised_alternation_matches_like_a_lookahead_on_the_capital(space):
    expected = re.compile(rf"(?<![\w.])(?=(?-i:[A-Z]))({_flat(WORDS, space)})(?![\w-])", re.IGNORECASE)
    names = capitalised_alternation(WORDS, not_after=r"[\w.]", space=space)
    found = re.compile(rf"({names})(?![\w-])")
    matches = [(m.span(), m.group(1)) for m in found.finditer(TEXT)]
    assert matches == [(m.span(), m.group(1)) for m in expected.finditer(TEXT)]
    assert "north korea" not in [name for _, name in matches]  # lower-case initial
