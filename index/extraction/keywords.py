"""Whether a few lower-case words occur in a stretch of a release, so a case-insensitive regex need not scan
a stretch that holds none of them; a word found without a regex built for it.

A ``(?i)`` regex whose every match contains one of some ASCII words (``"media"``, ``"contact"``) can
only match in a stretch where the lower-cased text has one of them: ``(?i)`` pairs an ASCII letter with
its other case and, beyond ASCII, only with "İ", "ı" (an "i"), "ſ" (an "s") and the Kelvin sign (a
"k"). A text holding one of those four is never ruled out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_OTHER_CASES = ("İ", "ı", "ſ", "\u212a")


@lru_cache(maxsize=32)
def ascii_lowered(text: str) -> str | None:
    """``text.lower()`` where a lower-case ASCII word found in it is where ``(?i)`` finds the word in
    ``text`` (same offsets, none of the four other cases); None otherwise. Kept for the few texts in hand,
    as several rules search the same release."""
    low = text.lower()
    if not text.isascii() and (len(low) != len(text) or any(c in text for c in _OTHER_CASES)):
        return None
    return low


def any_within(text: str, words: Iterable[str], start: int, end: int) -> bool:
    """False only when none of the lower-case ASCII ``words`` stands wholly inside ``text[start:end]``, in
    any case: the words are looked for in that stretch of the lower-cased text only (a rule asks about a
    few lines of a release, so listing the words' places over the whole release first costs more)."""
    low = ascii_lowered(text)
    if low is None:
        return True
    start = max(0, start)
    return any(low.find(word, start, end) >= 0 for word in words)


#: A word boundary, to test one place of a text (``WORD_BOUNDARY.match(text, at)``).
WORD_BOUNDARY = re.compile(r"\b")


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
        if WORD_BOUNDARY.match(text, start) and WORD_BOUNDARY.match(text, start + len(word)):
            return start
        start = low.find(word, start + 1)
    return -1
