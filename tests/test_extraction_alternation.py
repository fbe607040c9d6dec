"""Word alternations built as a trie match what the longest-first alternation matches."""

from __future__ import annotations

import re

import pytest

from index.extraction.alternation import trie_alternation

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
