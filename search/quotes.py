"""Quote-first snippets: the quote a search asked for, who said it, and the sentence around it.

A ``quote:`` search, or a search that names a speaker (``speaker:`` in the query or the speaker
filter), is answered with the quote that matches rather than the opening of the release. The quote
comes from the release's extracted quotes (speaker and text); the sentence around it is found in
the body, so the attribution that follows a quote (", the minister said.") is shown too.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from index.extraction.names import canonical_person_key
from index.text import WORD_RE
from search.highlight import count_matches, mark, token_matcher
from search.spans import Snippet

LOGGER = logging.getLogger(__name__)

#: Characters of context kept on each side of a quote inside its sentence(s).
CONTEXT_CHARS = 160
#: A quote longer than this is cut around its first matching word.
MAX_QUOTE_CHARS = 360
_SPACE_RE = re.compile(r"\s+")
_SENTENCE_END_RE = re.compile(r"[.!?…](?:[\"'”’»)]*)(?=\s)|\n")
#: ``quote:`` (or an alias) with its value, as typed in the query.
_QUOTE_FIELD_RE = re.compile(r'(?<![\w:])(?:quotes?|said):(?:"([^"]*)"|([^\s()"]+))', re.IGNORECASE)
#: ``speaker:`` (or an alias) with its value, as typed in the query.
_SPEAKER_FIELD_RE = re.compile(r'(?<![\w:])(?:speakers?|by|who):(?:"([^"]*)"|([^\s()"]+))', re.IGNORECASE)


@dataclass(frozen=True)
class QuoteSnippet:
    """One quote chosen for a hit: who said it, the quote, and the sentence(s) around it (plain text),
    with ``spans`` the same sentence(s) with the matching words marked (the hit's snippet)."""

    speaker: str
    text: str
    context: str
    spans: Snippet

    def to_dict(self) -> dict:
        """A JSON-ready view (plain text; ``spans`` is the hit's snippet)."""
        return {"speaker": self.speaker, "text": self.text, "context": self.context}


def same_person(speaker: str, wanted: str) -> bool:
    """True when ``speaker`` (a quote's canonical name) is the person a filter or ``speaker:`` names:
    the same canonical key, or every word of ``wanted`` among the speaker's words."""
    if not wanted:
        return True
    if canonical_person_key(speaker) == canonical_person_key(wanted):
        return True
    have = {w.casefold() for w in WORD_RE.findall(speaker)}
    need = [w.casefold() for w in WORD_RE.findall(wanted)]
    return bool(need) and all(w in have for w in need)


def choose_quote(
    quotes: Sequence[dict],
    is_match: Callable[[str], bool] | None,
    *,
    speaker: str = "",
    require_match: bool = True,
) -> dict | None:
    """The quote to show: by ``speaker`` (when given), with the most matching words.

    Without a match, the first quote by the speaker when ``require_match`` is false, else None.
    """
    best: tuple[int, int, dict] | None = None
    first = None
    for quote in quotes:
        text = quote.get("text") or ""
        if not text or not same_person(quote.get("speaker") or "", speaker):
            continue
        if first is None:
            first = quote
        if is_match is None:
            continue
        distinct, total = count_matches(text, is_match)
        if total and (best is None or (distinct, total) > best[:2]):
            best = (distinct, total, quote)
    if best is not None:
        return best[2]
    return None if require_match else first


@dataclass(frozen=True)
class QuoteFocus:
    """What a search asks of quotes: words to find in them and the person who said them."""

    words: frozenset[str]
    speaker: str
    quote_words: bool  # the words came from ``quote:`` (a quote without them is no answer)

    @property
    def active(self) -> bool:
        """True when hits should show quotes rather than the body's best sentences."""
        return self.quote_words or bool(self.speaker)


def quote_snippet(
    body: str, quote: dict, is_match: Callable[[str], bool] | None
) -> QuoteSnippet:
    """The snippet for ``quote`` in ``body``: the sentence(s) holding it, matching words marked."""
    text = _SPACE_RE.sub(" ", quote.get("text") or "").strip()
    speaker = quote.get("speaker") or ""
    context = sentence_around(body, text) or f"“{text}”"
    shown = _shorten(context, text, is_match)
    marked = mark(shown, is_match)[0] if is_match else Snippet.plain(shown)
    return QuoteSnippet(speaker=speaker, text=text, context=shown, spans=marked)


def sentence_around(body: str, quote_text: str) -> str | None:
    """The sentence(s) of ``body`` that hold ``quote_text``, whitespace collapsed; None when the
    quote cannot be found in the body (it was reassembled from several pieces)."""
    flat = _SPACE_RE.sub(" ", body)
    start = _find(flat, quote_text)
    if start < 0:
        return None
    end = start + len(quote_text)
    left = start
    for found in _SENTENCE_END_RE.finditer(flat, max(0, start - CONTEXT_CHARS), start):
        left = found.end()
    if start - left > CONTEXT_CHARS:
        left = start
    following = _SENTENCE_END_RE.search(flat, end + 1)
    right = following.end() if following and following.end() - end <= CONTEXT_CHARS else end + 1
    return flat[left:right].strip()


def _find(flat: str, quote_text: str) -> int:
    """Where the quote starts in the flattened body: the whole quote, else its first 60 characters."""
    for probe in (quote_text, quote_text[:60]):
        if probe:
            found = flat.find(probe)
            if found >= 0:
                return found
    return -1


def _shorten(context: str, quote_text: str, is_match: Callable[[str], bool] | None) -> str:
    """A long quote cut to about ``MAX_QUOTE_CHARS`` around its first matching word, with "…"."""
    if len(context) <= MAX_QUOTE_CHARS + CONTEXT_CHARS // 2:
        return context
    first = 0
    if is_match is not None:
        first = next((m.start() for m in WORD_RE.finditer(context) if is_match(m.group())), 0)
    start = max(0, first - MAX_QUOTE_CHARS // 3)
    start = context.find(" ", start) + 1 if start else 0
    end = context.rfind(" ", 0, start + MAX_QUOTE_CHARS)
    piece = context[start : end if end > start else start + MAX_QUOTE_CHARS]
    return ("… " if start else "") + piece + (" …" if end < len(context) else "")


def quote_focus(reader, req, language: str) -> QuoteFocus:
    """What request ``req`` asks of a ``language`` hit's quotes, through the engine ``reader``: the
    words of its ``quote:`` parts (else the query's words in the body), and the speaker of the filter
    or of ``speaker:``."""
    analyze = reader.analyze(language)
    asked = " ".join(m.group(1) or m.group(2) for m in _QUOTE_FIELD_RE.finditer(req.q))
    said = {word for token in WORD_RE.findall(asked.lower()) for word in analyze(token)}
    words = said or (reader.highlight_terms(req.q, language) if req.q else frozenset())
    speaker = req.speaker or " ".join(m.group(1) or m.group(2) for m in _SPEAKER_FIELD_RE.finditer(req.q))
    return QuoteFocus(frozenset(words), speaker, bool(said))


def quote_for_hit(row, focus: QuoteFocus, analyze) -> QuoteSnippet | None:
    """The quote snippet of a stored row (``body``, ``quotes`` as JSON) for ``focus``, or None when
    the search is not about quotes or no quote of the row answers it."""
    if not focus.active:
        return None
    try:
        quotes = json.loads(row["quotes"] or "[]")
    except (TypeError, ValueError):
        return None
    is_match = token_matcher(set(focus.words), analyze) if focus.words else None
    chosen = choose_quote(quotes, is_match, speaker=focus.speaker, require_match=bool(focus.words))
    return quote_snippet(row["body"], chosen, is_match) if chosen else None
