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

_OTHER_CASES = ("İ", "ı", "ſ", "\u212a")


class Keywords:
    """The places of some lower-case ASCII words in one text, in any case."""

    __slots__ = ("_ends", "_starts")

    def __init__(self, text: str, words: Iterable[str]) -> None:
        low = text.lower()
        self._starts: list[int] | None = None
        self._ends: list[int] = []
        if not text.isascii() and (len(low) != len(text) or any(c in text for c in _OTHER_CASES)):
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


_BOUNDARY = re.compile(r"\b")


def find_word(text: str, word: str) -> int:
    """Where ``re.search(rf"(?i)\\b{re.escape(word)}\\b", text)`` starts, -1 where it finds nothing; for
    ASCII text and word without building a regex for the word (names differ in every release)."""
    if not (text.isascii() and word.isascii()):
        found = re.search(rf"(?i)\b{re.escape(word)}\b", text)
        return found.start() if found else -1
    low, word = text.lower(), word.lower()
    start = low.find(word)
    while start >= 0:
        if _BOUNDARY.match(text, start) and _BOUNDARY.match(text, start + len(word)):
            return start
        start = low.find(word, start + 1)
    return -1
