"""What the speaker name checks need to know about one release, read once: its lower-case words, the places
it names after "in", "at", "near"... and the portfolios and seats after "Minister for", "Member for".

The two scans first find where a match can start: for a locative run, by a regex over the reversed text
that consumes only a capital (rarer than the first letters of the six words, which come after it in the
reversed text); for a portfolio, from each "for" in the text. The forward pattern is then tried at those
starts only, as ``finditer`` would (a start inside the previous match is skipped).
"""

from __future__ import annotations

import re
from functools import lru_cache

from index.text import fold_name

from .keywords import ascii_lowered

#: "in", "at", "near", "around", "across", "throughout" in any case after no word character, then a
#: capitalised run: what ``(?i:\b(?:in|at|near|around|across|throughout))\s+(...)`` matches. The first
#: letter is one plain character class (with "İ" and "ı", which ``(?i)`` also takes for an "i") checked
#: before the rest.
LOCATIVE_RUN = re.compile(
    r"[iIİıaAnNtT](?<!\w.)(?:(?<=[iIİı])(?i:n)|(?<=[aA])(?i:t|round|cross)|(?<=[nN])(?i:ear)|"
    r"(?<=[tT])(?i:hroughout))\s+((?-i:[A-Z])[\w'’-]*(?:[ \t]+(?-i:[A-Z])[\w'’-]*){0,3})"
)
#: What ``(?i)\b(?:minister|(?P<seat>member|senator|mp)|spokes\w+|secretary)\s+for\s+(?:the\s+)?`` matches,
#: the first letter picked as in ``LOCATIVE_RUN`` ("ſ" is an "s" to ``(?i)``); a member's or an MP's seat
#: sets "seat", a senator's "senator".
PORTFOLIO_RUN = re.compile(
    r"[mMsSſ](?<!\w.)(?:(?<=[mM])(?i:inister|(?P<seat>ember|p))|"
    r"(?<=[sSſ])(?i:(?P<senator>enator)|pokes\w+|ecretary))(?i:\s+for\s+(?:the\s+)?)"
    r"(?=(?P<run>(?:[\w'’]+[ \t-]+){0,3}[\w'’]+))"
)
#: In the reversed text: the capital a locative run opens with, then (group 1) the whitespace and the
#: locative word before it, spelled backwards, after no word character.
_LOCATIVE_BACKWARDS = re.compile(r"[A-Z](?=(\s+(?i:ni|ta|raen|dnuora|ssorca|tuohguorht))(?!\w))")
#: In the reversed text, from the end of the whitespace before "for": that whitespace and (group 1) the word
#: before it, spelled backwards.
_WORD_BACKWARDS = re.compile(r"\s+(\w+)")
#: "for" between whitespace in the lower-cased text (the literal first, which the engine looks for as a string).
_FOR = re.compile(r"for(?<=\sfor)(?=\s)")


def _matches_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[re.Match[str]]:
    """What ``pattern.finditer(text)`` finds when its matches can start only at ``starts``."""
    found: list[re.Match[str]] = []
    position = 0
    for start in sorted(starts):
        if start >= position:
            match = pattern.match(text, start)
            if match:
                found.append(match)
                position = match.end()
    return found


def locative_runs(text: str, reversed_text: str = "") -> list[re.Match[str]]:
    """``list(LOCATIVE_RUN.finditer(text))``: the pattern tried only where the reversed text shows a
    capital after whitespace after a locative word."""
    size = len(text)
    backwards = _LOCATIVE_BACKWARDS.finditer(reversed_text or text[::-1])
    return _matches_at(LOCATIVE_RUN, text, [size - match.end(1) for match in backwards])


def portfolio_runs(text: str, reversed_text: str = "") -> list[re.Match[str]]:
    """``list(PORTFOLIO_RUN.finditer(text))``: the pattern tried only at the start of the word before each
    "for" with whitespace on both sides (looked up in the lower-cased text, where ``ascii_lowered``
    allows)."""
    low = ascii_lowered(text)
    if low is None:
        return list(PORTFOLIO_RUN.finditer(text))
    reversed_text = reversed_text or text[::-1]
    size = len(text)
    starts = []
    for at in _FOR.finditer(low):
        word = _WORD_BACKWARDS.match(reversed_text, size - at.start())
        if word:
            starts.append(size - word.end(1))
    return _matches_at(PORTFOLIO_RUN, text, starts)


class Facts:
    """What the name checks need to know about one release, read once."""

    __slots__ = ("lower_words", "places", "portfolios", "single_places")

    def __init__(self, text: str) -> None:
        self.lower_words = LowerWords(text)
        self.places: set[str] = set()
        self.single_places: set[str] = set()
        reversed_text = text[::-1]
        for match in locative_runs(text, reversed_text):
            words = match.group(1).split()
            for size in range(1, len(words) + 1):
                self.places.add(" ".join(fold_name(w) for w in words[:size]))
            if len(words) == 1:
                self.single_places.add(fold_name(words[0]))
        self.portfolios: set[str] = set()
        for match in portfolio_runs(text, reversed_text):
            words = re.split(r"[\s-]+", match.group("run").strip())
            for size in range(1, len(words) + 1):
                self.portfolios.add(" ".join(fold_name(w) for w in words[:size]))
            if match.group("seat") or match.group("senator"):
                self.single_places.add(fold_name(words[0]))


@lru_cache(maxsize=4)
def facts_of(text: str) -> Facts:
    """The ``Facts`` of a release (the checks of one release ask many times)."""
    return Facts(text)


def common_in(word: str, lower_words: LowerWords) -> bool:
    """True when the word or its singular or plural form is a lower-case word of the release."""
    if word in lower_words or word + "s" in lower_words:
        return True
    if word.endswith("ies") and word[:-3] + "y" in lower_words:
        return True
    return word.endswith("s") and not word.endswith("ss") and word[:-1] in lower_words


class LowerWords:
    r"""The lower-case words of a release (not in e-mail and web addresses: "andrew.broad.mp@aph.gov.au"),
    to ask ``word in``: the words ``(?<![\w'’.@/-])[a-z][a-z'’-]+(?![\w'’.@/-]|\.\w)`` finds. Such a word
    is a whole run of ``[\w'’.@/-]`` characters, so a question looks for the word standing alone in the
    text (the answer is kept) instead of listing every word of the release first."""

    __slots__ = ("_absent", "_answers", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._answers: dict[str, bool] = {}
        self._absent: set[str] = set()  # words not in the text at all, even inside another word

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        answer = self._answers.get(word)
        if answer is None:
            answer = self._answers[word] = bool(_LOWER_WORD.fullmatch(word)) and self._stands_alone(word)
        return answer

    def _stands_alone(self, word: str) -> bool:
        if word[:-1] in self._absent:
            return False  # ("judges" where "judge" is nowhere: the plural asked after the word)
        text, size = self._text, len(word)
        start = text.find(word)
        if start < 0:
            self._absent.add(word)
        while start >= 0:
            if not (start and _WORD_CHAR.match(text, start - 1)) and not _WORD_CHAR.match(text, start + size):
                return True
            start = text.find(word, start + 1)
        return False


_LOWER_WORD = re.compile(r"[a-z][a-z'’-]+")
_WORD_CHAR = re.compile(r"[\w'’.@/-]")
