"""Whether a release writes a capitalised name as a person somewhere ("Mr X", "Mayor X", "X said", "X in
Perth, she said"), for names that also read as places ("people in Macquarie Fields")."""

from __future__ import annotations

import logging
import re

LOGGER = logging.getLogger(__name__)

_TITLES = frozenset(("Mr", "Mrs", "Ms", "Dr", "Senator", "Minister"))
_SAID_AFTER = re.compile(r",?\s+(?:said|says|told)\b")
_PRONOUN_SAID_AFTER = re.compile(r"[^.,\n]{0,30},\s+(?:he|she)\s+(?:\w+\s+)?(?:said|says|told)\b")


def read_as_person(name: str, text: str) -> bool:
    r"""True when ``text`` writes ``name`` as a person somewhere: after a title or a capitalised word
    ("Mr X", "Mayor X"), before "said", or before ", she said". The same answer as searching
    ``(?:\b(?:Mr|Mrs|Ms|Dr|Senator|Minister)\.?\s+|\b[A-Z][a-z]+\s+)NAME\b|\bNAME,?\s+(?:said|says|told)\b|
    \bNAME\b[^.,\n]{0,30},\s+(?:he|she)\s+(?:\w+\s+)?(?:said|says|told)\b``, without a regex per name."""
    size = len(name)
    start = text.find(name) if size else -1
    while start >= 0:
        end = start + size
        ends_word = _boundary(text, end)
        if ends_word and _title_word_before(text, start):
            return True
        if _boundary(text, start) and (_SAID_AFTER.match(text, end) or (
                ends_word and _PRONOUN_SAID_AFTER.match(text, end))):
            return True
        start = text.find(name, start + 1)
    return False


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _boundary(text: str, index: int) -> bool:
    r"""``\b`` at ``index``: a word character on one side only."""
    before = index > 0 and _is_word_char(text[index - 1])
    after = index < len(text) and _is_word_char(text[index])
    return before != after


def _title_word_before(text: str, start: int) -> bool:
    r"""True when ``text[:start]`` ends with ``\b[A-Z][a-z]+\s+`` or ``\b(?:Mr|Mrs|...)\.\s+``."""
    space = start
    while space > 0 and text[space - 1].isspace():
        space -= 1
    if space == start:
        return False
    word_end = space - 1 if space > 0 and text[space - 1] == "." else space
    first = word_end
    while first > 0 and "a" <= text[first - 1] <= "z":
        first -= 1
    if first == word_end or first == 0 or not "A" <= text[first - 1] <= "Z":
        return False
    first -= 1
    if first > 0 and _is_word_char(text[first - 1]):
        return False
    return word_end == space or text[first:word_end] in _TITLES
