"""Snippets and highlighted full text, cut from the store's copy of the body (the index stores none).

A token is a match when the field's own analyzer turns it into one of the query's indexed words
(so "migrants" matches the stem "migrant"). Only tokens that share a prefix with a query word are
analysed, which keeps highlighting a long release to a few milliseconds.
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from collections.abc import Callable

LOGGER = logging.getLogger(__name__)

SNIPPET_SENTENCES = 2
MAX_SENTENCE_CHARS = 300
FALLBACK_CHARS = 260
PREFIX_CHARS = 3
MAX_CANDIDATES = 12  # matching sentences looked at before choosing the best ones

_TOKEN_RE = re.compile(r"\w+(?:[.'’]\w+)*")
_SENTENCE_RE = re.compile(r"[^.!?…\n]+(?:[.!?…]+[\"'”’»)]*|\n|$)")
_SPACE_RE = re.compile(r"\s+")


def _fold(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def token_matcher(words: set[str], analyzer) -> Callable[[str], bool]:
    """A predicate telling whether a token of the text is one of the query's indexed ``words``."""
    prefixes = tuple({_fold(word.lower())[:PREFIX_CHARS] for word in words if word})
    cache: dict[str, bool] = {}

    def is_match(token: str) -> bool:
        low = token.lower()
        if not _fold(low).startswith(prefixes):
            return False
        known = cache.get(low)
        if known is None:
            known = any(t.text in words for t in analyzer(low, mode="query"))
            cache[low] = known
        return known

    return is_match


def mark(text: str, is_match: Callable[[str], bool]) -> tuple[str, int, int]:
    """``text`` as escaped HTML with matching tokens in ``<mark>``; also distinct and total matches."""
    parts: list[str] = []
    seen: set[str] = set()
    total = 0
    last = 0
    for match in _TOKEN_RE.finditer(text):
        token = match.group()
        if not is_match(token):
            continue
        parts.append(html.escape(text[last : match.start()], quote=False))
        parts.append(f'<mark class="hl">{html.escape(token, quote=False)}</mark>')
        seen.add(token.lower())
        total += 1
        last = match.end()
    parts.append(html.escape(text[last:], quote=False))
    return "".join(parts), len(seen), total


def _sentences(text: str):
    """The text's sentences (and lines), whitespace collapsed, lazily."""
    for match in _SENTENCE_RE.finditer(text):
        sentence = _SPACE_RE.sub(" ", match.group()).strip()
        if sentence:
            yield sentence


def _prefix_pattern(words: set[str]) -> re.Pattern:
    """A cheap first test for a sentence: does any word start like one of the query's words?"""
    prefixes = sorted({re.escape(_fold(word.lower())[:PREFIX_CHARS]) for word in words if word})
    return re.compile(r"(?<!\w)(?:" + "|".join(prefixes) + ")", re.IGNORECASE)


def _trim(sentence: str, is_match: Callable[[str], bool]) -> str:
    if len(sentence) <= MAX_SENTENCE_CHARS:
        return sentence
    first = next((m.start() for m in _TOKEN_RE.finditer(sentence) if is_match(m.group())), 0)
    start = max(0, first - MAX_SENTENCE_CHARS // 3)
    start = sentence.find(" ", start) + 1 if start else 0
    end = sentence.rfind(" ", 0, start + MAX_SENTENCE_CHARS)
    piece = sentence[start : end if end > start else start + MAX_SENTENCE_CHARS]
    return ("… " if start else "") + piece + " …"


def snippet(text: str, words: set[str], analyzer) -> str:
    """Safe HTML: the sentences that best match ``words``, matches in ``<mark>``, in text order.

    Falls back to the start of the text (escaped) when nothing matches.
    """
    if words:
        is_match = token_matcher(words, analyzer)
        candidate = _prefix_pattern(words)
        scored: list[tuple[int, int, int, str]] = []
        for position, sentence in enumerate(_sentences(text)):
            if not candidate.search(sentence if sentence.isascii() else _fold(sentence)):
                continue
            marked, distinct, total = mark(_trim(sentence, is_match), is_match)
            if total:
                scored.append((distinct, total, -position, marked))
                if len(scored) >= MAX_CANDIDATES:
                    break
        if scored:
            best = sorted(scored, reverse=True)[:SNIPPET_SENTENCES]
            return " … ".join(marked for _, _, _, marked in sorted(best, key=lambda item: -item[2]))
    start = _SPACE_RE.sub(" ", text[: FALLBACK_CHARS + 40]).strip()
    if len(start) > FALLBACK_CHARS:
        start = start[:FALLBACK_CHARS].rsplit(" ", 1)[0] + " …"
    return html.escape(start, quote=False)


def highlight_paragraphs(text: str, words: set[str], analyzer) -> str:
    """The whole text as escaped ``<p>`` paragraphs, with ``words`` in ``<mark>``."""
    is_match = token_matcher(words, analyzer) if words else (lambda token: False)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    return "\n".join(f"<p>{mark(paragraph, is_match)[0]}</p>" for paragraph in paragraphs)
