"""People reported through a pronoun after being named: "Dana Example in Northfield, she has said ...",
"Mr Sample chaired the meeting. He told members that ...".

A pronoun subject ("He", "she") of a speech verb is resolved to a person only when exactly one person is
named in the sentence that holds the pronoun (before it) or, failing that, in the sentence before; a
pronoun right after a quotation ('"...," he said') is left to the quote rules, which resolve it to the
speaker of the quote.
"""

from __future__ import annotations

import logging
import re

from .alternation import trie_alternation
from .people import People
from .speakers import _ADVERBS

LOGGER = logging.getLogger(__name__)

#: Verbs that report what someone said (not "called", "welcomed", "thanked": acts, not words).
_REPORT_VERBS = (
    r"said|says|told|tells|added|stated|argued|argues|claimed|claims|warned|warns|announced|announces|"
    r"insisted|insists|declared|explained|explains|wrote|writes|reckons|reckoned|noted|stressed|suggested|"
    r"conceded|admitted|predicted|replied|responded|commented|remarked|maintained|pointed\s+out|"
    r"indicated|assured|confirmed|revealed|acknowledged"
)
#: ``\b(?:He|She|he|she)``, the look back after the first letter (the engine jumps between h's and s's).
_SUBJECT = trie_alternation(("He", "She", "he", "she"), not_after=r"\w")
_PRONOUN = re.compile(rf"{_SUBJECT}\s+{_ADVERBS}(?:{_REPORT_VERBS})\b")
#: What may stand right before a pronoun subject: a sentence start, a comma, "when", "as", "and", "but".
_SUBJECT_PLACE = re.compile(r"(?:[.!?]\s+|\n\s*|,\s+|\b(?:when|as|and|but|where)\s+)$")
_QUOTE_CLOSE = re.compile(r"[\"”’'][\s,]*$")
_SENTENCE_END = re.compile(r"[.!?][\"”’]?\s+(?=[A-Z\"“‘'])|\n[ \t]*\n")
_NAMED = ("full", "partial", "bare")
#: A title after these words says what the person named before it became or was ("When Jane Doe became
#: the Chancellor in 1969, she said"): a predicate, not another person.
_PREDICATE = re.compile(r"\b(?:became|becomes|become|was|is|as)\s+(?:the\s+)?$")
#: A pronoun before the one name of a sentence ("But he is new, Roe is ..."): that sentence
#: is about someone else, so a pronoun after it may be too.
_OTHER_PRONOUN = re.compile(r"\b(?:he|she|He|She|his|her|His|Her)\b")


def _sentence_start(text: str, position: int, floor: int) -> int:
    """Start of the sentence holding ``position`` (not before ``floor``)."""
    start = floor
    for match in _SENTENCE_END.finditer(text, floor, position):
        start = match.end()
    return start


def pronoun_speakers(people: People, text: str) -> list[tuple[int, str]]:
    """(position, key) of people a pronoun subject of a speech verb refers to."""
    found: list[tuple[int, str]] = []
    for match in _PRONOUN.finditer(text):
        before = text[max(0, match.start() - 40): match.start()]
        if not _SUBJECT_PLACE.search(before) or _QUOTE_CLOSE.search(before):
            continue
        here = _sentence_start(text, match.start(), max(0, match.start() - 400))
        previous = _sentence_start(text, max(0, here - 1), max(0, here - 400)) if here > 0 else here
        for start, end in ((here, match.start()), (previous, here)):
            named = [m for m in people.mentions if start <= m.start < end and (
                m.kind == "title" and not _PREDICATE.search(text, max(0, m.start - 16), m.start)
                or m.person and m.kind in _NAMED)]
            keys = {m.person if m.kind in _NAMED else f"title:{m.start}" for m in named}
            if len(keys) == 1 and named[0].kind in _NAMED and not _OTHER_PRONOUN.search(
                    text, start, named[0].start):
                found.append((match.start(), named[0].person))
                _role_from_predicate(people, named[0].person, text, start, match.start())
            if keys:
                break  # two people or a title named, or a pronoun before the name: ambiguous
    return found


def _role_from_predicate(people: People, key: str, text: str, start: int, end: int) -> None:
    """Give the person the title the sentence says they became or were, when they have no role yet."""
    person = people.persons[key]
    if person.role:
        return
    for mention in people.mentions:
        if start <= mention.start < end and mention.kind == "title" and mention.role and _PREDICATE.search(
                text, max(0, mention.start - 16), mention.start):
            person.role = mention.role
            return
