"""Snippets and highlighted full text, cut from the store's copy of the body (the index stores none).

A token is a match when the field's own analyzer turns it into one of the query's indexed words
(so "migrants" matches the stem "migrant"). Only tokens that share a prefix with a query word are
analysed, which keeps highlighting a long release to a few milliseconds.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable, Iterator, Set

from index.text import TOKEN_RE, strip_accents

LOGGER = logging.getLogger(__name__)

SNIPPET_SENTENCES = 2
MAX_SENTENCE_CHARS = 300
FALLBACK_CHARS = 260
PREFIX_CHARS = 3
MAX_CANDIDATES = 12  # matching sentences looked at before choosing the best ones

_TOKEN_RE = TOKEN_RE  # the index analyzers' word pattern
_SENTENCE_RE = re.compile(r"[^.!?…\n]+(?:[.!?…]+[\"'”’»)]*|\n|$)")
_SPACE_RE = re.compile(r"\s+")
_WORD_RE = re.compile(r"\w+")


_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
_INERT: dict[str, bool] = {}


def _inert(text: str) -> bool:
    """True when folding cannot change which words of ``text`` start like a query word: the text
    is ASCII, or each other character is no word character and folds to one or more non-word ones
    (curly quotes, dashes, ellipses...)."""
    if text.isascii():
        return True
    for char in set(_NON_ASCII_RE.findall(text)):
        known = _INERT.get(char)
        if known is None:
            folded = _fold(char)
            known = _INERT[char] = not _WORD_RE.match(char) and bool(folded) and not _WORD_RE.search(folded)
        if not known:
            return False
    return True


_fold = strip_accents  # (the name the quick paths use below)


def token_matcher(words: Set[str], analyze: Callable[[str], list[str]]) -> Callable[[str], bool]:
    """A predicate telling whether a token of the text is one of the query's indexed ``words``
    (``analyze`` turns a lower-cased token into indexed words: the engine's analysis)."""
    prefixes = tuple({_fold(word.lower())[:PREFIX_CHARS] for word in words if word})
    cache: dict[str, bool] = {}

    def is_match(token: str) -> bool:
        low = token.lower()
        if not _fold(low).startswith(prefixes):
            return False
        known = cache.get(low)
        if known is None:
            known = any(word in words for word in analyze(low))
            cache[low] = known
        return known

    is_match.candidates = _candidate_tokens(prefixes)  # type: ignore[attr-defined]
    return is_match


def _candidate_tokens(prefixes: tuple[str, ...]) -> re.Pattern | None:
    """In ``_inert`` text, the tokens ``_TOKEN_RE`` finds that start with one of ``prefixes`` (case
    ignored), found directly: a token starts at a word character that follows neither a word
    character nor a word character and an apostrophe or dot. None when a prefix is not all word
    characters."""
    if not prefixes or not all(_WORD_RE.fullmatch(prefix) for prefix in prefixes):
        return None
    alternatives = "|".join(sorted(map(re.escape, prefixes)))
    return re.compile(r"(?<!\w)(?<!\w[.'’])(?:" + alternatives + r")\w*(?:[.'’]\w+)*", re.IGNORECASE)


def mark(text: str, is_match: Callable[[str], bool]) -> tuple[str, int, int]:
    """``text`` as escaped HTML with matching tokens in ``<mark>``; also distinct and total matches."""
    parts: list[str] = []
    seen: set[str] = set()
    total = 0
    last = 0
    tokens = getattr(is_match, "candidates", None) if _inert(text) else None
    for match in (tokens or _TOKEN_RE).finditer(text):
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


def count_matches(text: str, is_match: Callable[[str], bool]) -> tuple[int, int]:
    """The distinct and total matches ``mark`` finds in ``text``, without building its HTML."""
    seen: set[str] = set()
    total = 0
    tokens = getattr(is_match, "candidates", None) if _inert(text) else None
    for match in (tokens or _TOKEN_RE).finditer(text):
        token = match.group()
        if is_match(token):
            seen.add(token.lower())
            total += 1
    return len(seen), total


def _prefix_pattern(words: Set[str]) -> re.Pattern:
    """A cheap first test for a sentence: does any word start like one of the query's words?"""
    prefixes = sorted({re.escape(_fold(word.lower())[:PREFIX_CHARS]) for word in words if word})
    return re.compile(r"(?<!\w)(?:" + "|".join(prefixes) + ")", re.IGNORECASE)


def _candidate_sentences(text: str, words: Set[str]) -> Iterator[tuple[int, str]]:
    """(start, text) of the sentences holding a word that starts like one of ``words``, in order.

    When folding cannot matter (``_inert``) and the prefixes are word characters, the prefixes are
    searched in the whole text at once and only the sentences holding a hit are visited: no
    sentence starts just after a word character, so each gets the answer it gets searched alone.
    """
    candidate = _prefix_pattern(words)
    prefixes = {_fold(word.lower())[:PREFIX_CHARS] for word in words if word}
    if not all(_WORD_RE.fullmatch(prefix) for prefix in prefixes) or not _inert(text):
        for found in _SENTENCE_RE.finditer(text):
            raw = found.group()
            if candidate.search(raw if raw.isascii() else _fold(raw)):
                yield found.start(), raw
        return
    end = 0
    while (hit := candidate.search(text, end)) is not None:  # (the look-behind sees text before ``end``)
        # Sentences never run across a line break, so reading them again from the line's start
        # (or the end of the last sentence yielded) finds the ones the whole text holds.
        restart = max(end, text.rfind("\n", 0, hit.start()) + 1)
        for found in _SENTENCE_RE.finditer(text, restart):
            if found.end() > hit.start():
                break
        else:
            return
        end = found.end()
        yield found.start(), found.group()


def _trim(sentence: str, is_match: Callable[[str], bool]) -> str:
    if len(sentence) <= MAX_SENTENCE_CHARS:
        return sentence
    tokens = getattr(is_match, "candidates", None) if _inert(sentence) else None
    first = next((m.start() for m in (tokens or _TOKEN_RE).finditer(sentence) if is_match(m.group())), 0)
    start = max(0, first - MAX_SENTENCE_CHARS // 3)
    start = sentence.find(" ", start) + 1 if start else 0
    end = sentence.rfind(" ", 0, start + MAX_SENTENCE_CHARS)
    piece = sentence[start : end if end > start else start + MAX_SENTENCE_CHARS]
    return ("… " if start else "") + piece + " …"


def snippet(text: str, words: Set[str], analyze: Callable[[str], list[str]]) -> str:
    """Safe HTML: the sentences that best match ``words``, matches in ``<mark>``, in text order.

    Falls back to the start of the text (escaped) when nothing matches.
    """
    if words:
        is_match = token_matcher(words, analyze)
        scored: list[tuple[int, int, int, str]] = []
        for position, raw in _candidate_sentences(text, words):
            sentence = _trim(_SPACE_RE.sub(" ", raw).strip(), is_match)
            distinct, total = count_matches(sentence, is_match)  # only the chosen sentences are marked up
            if total:
                scored.append((distinct, total, -position, sentence))
                if len(scored) >= MAX_CANDIDATES:
                    break
        if scored:
            best = sorted(scored, reverse=True)[:SNIPPET_SENTENCES]  # (positions differ: no text compared)
            chosen = sorted(best, key=lambda item: -item[2])
            return " … ".join(mark(sentence, is_match)[0] for _, _, _, sentence in chosen)
    start = _SPACE_RE.sub(" ", text[: FALLBACK_CHARS + 40]).strip()
    if len(start) > FALLBACK_CHARS:
        start = start[:FALLBACK_CHARS].rsplit(" ", 1)[0] + " …"
    return html.escape(start, quote=False)


def highlight_paragraphs(text: str, words: Set[str], analyze: Callable[[str], list[str]]) -> str:
    """The whole text as escaped ``<p>`` paragraphs, with ``words`` in ``<mark>``."""
    is_match = token_matcher(words, analyze) if words else (lambda token: False)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    return "\n".join(f"<p>{mark(paragraph, is_match)[0]}</p>" for paragraph in paragraphs)
