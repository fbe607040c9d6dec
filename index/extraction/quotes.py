"""Direct quotes and who said them: '"...," X said', 'X said: "..."', '"...," said X', '"...", he said'."""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass

from .people import People
from .speakers import _VERBS_BEFORE, QUOTE_ATTRIBUTION_AFTER, QUOTE_VERBS

LOGGER = logging.getLogger(__name__)

_PARA = r"(?:[^\n]|\n(?![ \t]*\n))"
#: Curly and straight double quotes, guillemets; an unclosed quote runs to the end of its paragraph.
_DOUBLE = re.compile(rf"“({_PARA}{{8,3000}}?)(?:”|(?=\n[ \t]*\n)|\Z)")
# The character before an opening mark is checked after it ("'(?<![\w']')"), so the engine jumps from
# mark to mark instead of trying every position.
_STRAIGHT = re.compile(r"\"(?<![\w\"]\")((?:[^\"\n]|\n(?![ \t]*\n)){8,3000}?)(?:\"|(?=\n[ \t]*\n)|\Z)")
_GUILLEMETS = re.compile(r"«([^«»]{8,3000}?)»")
_TWO_SINGLE = re.compile(r"''(?<!\w'')((?:[^\n]|\n(?![ \t]*\n)){8,3000}?)''")
#: Single quotes (Australian and British releases): closing mark after punctuation, so "Government's" is safe.
_SINGLE = re.compile(rf"['‘](?<![\w'’]['‘])(?=[A-Z0-9\"“])({_PARA}{{8,3000}}?[.,!?;…—-])['’](?![\w])")
_PRONOUN_AFTER = re.compile(rf"^\s*,?\s*(?:he|she|He|She)\s+(?:\w+\s+)?(?:{QUOTE_VERBS})\b")
_VERB_THEN_NAME = re.compile(rf"^\s*,?\s*(?:{_VERBS_BEFORE})\s+(?:today\s+|yesterday\s+)?(?:the\s+)?")
_PRONOUN_BEFORE = re.compile(
    rf"\b(?:he|she|He|She)\s+(?:\w+\s+)?(?:{QUOTE_VERBS})\b[^.!?“”\"\n]{{0,80}}$"
)
#: A quoted title, not a quote: 'a session on "The impact of COVID-19..."'.
_TITLE_BEFORE = re.compile(
    r"\b(?:on|entitled|titled|themed|theme|named|motto|slogan|headlined|book|report|film)\s*$"
)
_COLON_GAP = re.compile(r"\s*:\s*")
_LINE_START = re.compile(
    rf"(?:^|\n|[.!?]\s+|(?:{_VERBS_BEFORE}|stated|continued|added)\s+)\s*$", re.IGNORECASE
)
_EMPTY_LEAD = re.compile(r"[\s,]*(?:the\s+)?")
_LEAD_IN = re.compile(r"^[^.!?“”\"\n]{0,80}$")
_MIN_WORDS = 4


@dataclass(frozen=True)
class QuoteSpan:
    """A quote's text, its offsets (marks included) and the key of its speaker."""

    start: int
    end: int
    text: str
    speaker: str


#: Each quote pattern with the characters one of which opens each of its matches: a pattern is only run
#: over a text holding one of them (``in`` finds a missing character faster than the engine).
_QUOTE_PATTERNS = (
    (_TWO_SINGLE, "'"), (_DOUBLE, "“"), (_STRAIGHT, '"'), (_GUILLEMETS, "«"), (_SINGLE, "'‘"),
)


def _candidates(text: str) -> list[tuple[int, int, str, bool]]:
    spans: list[tuple[int, int, str, bool]] = []
    for pattern, openers in _QUOTE_PATTERNS:
        if not any(opener in text for opener in openers):
            continue
        for match in pattern.finditer(text):
            closed = match.end() > match.end(1)
            spans.append((match.start(), match.end(), match.group(1), closed))
    spans.sort(key=lambda span: (span[0], -span[1]))
    kept: list[tuple[int, int, str, bool]] = []
    for span in spans:
        if kept and span[0] < kept[-1][1]:
            continue
        if len(span[2].split()) >= _MIN_WORDS:
            kept.append(span)
    return kept


def _clean(quote: str) -> str:
    quote = " ".join(quote.split())
    return quote.strip(" ,;:'‘’\"“”")


class _Timeline:
    """Positions of attributed speakers, to resolve "he said" to the last named speaker."""

    def __init__(self, events: list[tuple[int, str]]) -> None:
        self.events = sorted(events)
        self.positions = [p for p, _ in self.events]

    def add(self, position: int, key: str) -> None:
        index = bisect.bisect(self.positions, position)
        self.positions.insert(index, position)
        self.events.insert(index, (position, key))

    def last_before(self, position: int) -> str | None:
        index = bisect.bisect_left(self.positions, position)
        return self.events[index - 1][1] if index else None


def find_quotes(people: People, text: str, attributions: list[tuple[int, str]]) -> list[QuoteSpan]:
    """Quotes of at least four words with the person each is attributed to (unattributed ones are dropped)."""
    timeline = _Timeline(list(attributions))
    full_mentions = sorted((m.start, m.person) for m in people.mentions if m.person and m.kind == "full")
    mention_starts = [m.start for m in people.mentions]
    quotes: list[QuoteSpan] = []
    previous: QuoteSpan | None = None
    for start, end, inner, closed in _candidates(text):
        if _TITLE_BEFORE.search(text, max(0, start - 30), start):
            continue
        key = _attribute(people, text, start, end, closed, mention_starts, timeline, full_mentions)
        if key is None and previous is not None and _continues(text, previous.end, start):
            key = previous.speaker
        if key is None:
            previous = None
            continue
        span = QuoteSpan(start, end, _clean(inner), key)
        quotes.append(span)
        timeline.add(start, key)
        previous = span
    return quotes


def _continues(text: str, previous_end: int, start: int) -> bool:
    """A quote that opens the paragraph right after an attributed quote continues it."""
    gap = text[previous_end:start]
    return gap.count("\n") >= 1 and not gap.strip(" \t\n,.") and gap.count("\n\n") <= 1


def _attribute(people: People, text: str, start: int, end: int, closed: bool, mention_starts: list[int],
               timeline: _Timeline, full_mentions: list[tuple[int, str]]) -> str | None:
    after = text[end: end + 220] if closed else ""
    if "\n" in after:
        after = after[: after.index("\n")]
    if after.strip():
        if _PRONOUN_AFTER.match(after):
            return _last_speaker(timeline, full_mentions, start)
        mention = _mention_from(people, mention_starts, end, min(160, len(after)))
        if mention and (mention.person or mention.kind == "bare"):
            lead = text[end: mention.start]
            if _VERB_THEN_NAME.fullmatch(lead):
                return _person(people, mention)
            said = QUOTE_ATTRIBUTION_AFTER.match(text, mention.end, mention.end + 260)
            if said and _EMPTY_LEAD.fullmatch(lead):
                return _person(people, mention)
    line_start = max(0, start - 260)
    before = text[line_start:start]
    if _PRONOUN_BEFORE.search(before):
        return _last_speaker(timeline, full_mentions, start)
    index = bisect.bisect_left(mention_starts, start) - 1
    while index >= 0 and mention_starts[index] >= line_start:
        mention = people.mentions[index]
        index -= 1
        if not mention.person and mention.kind != "bare":
            continue
        gap = text[mention.end: start]
        if _COLON_GAP.fullmatch(gap) and (mention.person or _LINE_START.search(text, 0, mention.start)):
            return _person(people, mention)  # 'Clinton: "..."', 'Stated Stone: "..."'
        verb = QUOTE_ATTRIBUTION_AFTER.match(text, mention.end, start)
        if verb and _LEAD_IN.match(text[verb.end(): start]):
            return _person(people, mention)
        break
    return None


def _person(people: People, mention) -> str | None:
    """The mention's person; a bare surname that is the subject of a quote becomes a person of its own."""
    if mention.person:
        return mention.person
    if mention.name and mention.name[:1].isupper() and len(mention.name) > 2:
        mention.person = people.add_person(mention.name, mention.role, mention.start)
    return mention.person


def _mention_from(people: People, mention_starts: list[int], position: int, window: int):
    index = bisect.bisect_left(mention_starts, position)
    if index < len(mention_starts) and mention_starts[index] < position + window:
        return people.mentions[index]
    return None


def _last_speaker(timeline: _Timeline, full_mentions: list[tuple[int, str]], position: int) -> str | None:
    key = timeline.last_before(position)
    if key:
        return key
    index = bisect.bisect_left(full_mentions, (position, "")) - 1
    return full_mentions[index][1] if index >= 0 else None
