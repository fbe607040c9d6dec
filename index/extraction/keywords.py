"""Where a few lower-case words occur in a release, so a case-insensitive regex need not scan a stretch
of text that holds none of them.

A ``(?i)`` regex whose every match contains one of some ASCII words (``"media"``, ``"contact"``) can
only match in a stretch where the lower-cased text has one of them: ``(?i)`` pairs an ASCII letter with
its other case and, beyond ASCII, only with "İ", "ı" (an "i"), "ſ" (an "s") and the Kelvin sign (a
"k"). A text holding one of those four is never ruled out.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from functools import lru_cache

_OTHER_CASES = ("İ", "ı", "ſ", "\u212a")


class Keywords:
    """The places of some lower-case ASCII words in one text, in any case."""

    __slots__ = ("_ends", "_starts")

    def __init__(self, text: str, words: Iterable[str]) -> None:
        low = ascii_lowered(text)
        self._starts: list[int] | None = None
        self._ends: list[int] = []
        if low is None:
            return  # (offsets into the lower-cased text would not be the text's, or a match may hide)
        spans = []
        for word in words:
            start = low.find(word)
            while start >= 0:
                spans.append((start, start + len(word)))
                start = low.find(word, start + 1)
        spans.sort()
        self._starts = [start for start, _ in spans]
        self._ends = [end for _, end in spans]

    def within(self, start: int, end: int) -> bool:
        """False only when none of the words stands wholly inside ``text[start:end]``."""
        if self._starts is None:
            return True
        index = bisect_left(self._starts, max(0, start))
        while index < len(self._starts) and self._starts[index] < end:
            if self._ends[index] <= end:
                return True
            index += 1
        return False


@lru_cache(maxsize=8)
def ascii_lowered(text: str) -> str | None:
    """``text.lower()`` where a lower-case ASCII word found in it is where ``(?i)`` finds the word in
    ``text`` (same offsets, none of the four other cases); None otherwise. Kept for the few texts in hand,
    as several rules search the same release."""
    low = text.lower()
    if not text.isascii() and (len(low) != len(text) or any(c in text for c in _OTHER_CASES)):
        return None
    return low


_BOUNDARY = re.compile(r"\b")


def find_word(text: str, word: str) -> int:
    """Where ``re.search(rf"(?i)\\b{re.escape(word)}\\b", text)`` starts, -1 where it finds nothing; for
    an ASCII word in a text ``ascii_lowered`` can search, without building a regex for the word (names
    differ in every release)."""
    low = ascii_lowered(text) if word.isascii() else None
    if low is None:
        found = re.search(rf"(?i)\b{re.escape(word)}\b", text)
        return found.start() if found else -1
    word = word.lower()
    start = low.find(word)
    while start >= 0:
        if _BOUNDARY.match(text, start) and _BOUNDARY.match(text, start + len(word)):
            return start
        start = low.find(word, start + 1)
    return -1
