"""Completions for the search box and "did you mean" corrections for misspelt words."""

from __future__ import annotations

import logging

from index.engine.contract import EngineReader
from index.text import fold

LOGGER = logging.getLogger(__name__)

MIN_WORD_FOR_CORRECTION = 4


def suggest_completions(reader: EngineReader, prefix: str, limit: int = 10) -> list[dict]:
    """Speakers and events with a word starting with ``prefix``, then title words; most frequent first."""
    folded = fold(prefix.strip())
    if not folded:
        return []
    last_words = folded.split()
    found: list[tuple[int, int, str, str]] = []
    for kind, name in (("speaker", "speaker"), ("event", "event")):
        for facet in reader.facet_values(name):
            folded_value = fold(facet.value)
            words = folded_value.split()
            if folded_value.startswith(folded) or (
                len(last_words) == 1 and any(word.startswith(folded) for word in words)
            ):
                found.append((0, -facet.count, facet.value, kind))
    found.sort()
    suggestions = [{"value": value, "kind": kind} for _, _, value, kind in found[:limit]]
    if len(suggestions) < limit and len(last_words) == 1 and len(folded) >= 2:
        title_words = sorted((-word.count, word.value) for word in reader.prefix_words(folded))
        seen = {s["value"].casefold() for s in suggestions}
        for _, word in title_words:
            if word not in seen:
                suggestions.append({"value": word, "kind": "title"})
                seen.add(word)
            if len(suggestions) >= limit:
                break
    return suggestions


def did_you_mean(reader: EngineReader, text: str) -> str | None:
    """The query with misspelt plain words replaced by the closest indexed title word, or None.

    A word is misspelt when no body, title or name field knows it; corrections come from the
    engine's unstemmed title vocabulary, the most frequent close word first.
    """
    if any(ch in text for ch in ':"*?~'):
        return None
    languages = reader.languages()
    changed = False
    corrected: list[str] = []
    for token in text.split():
        word = token.casefold()
        if len(word) < MIN_WORD_FOR_CORRECTION or not word.isalpha() or token in ("AND", "OR", "NOT"):
            corrected.append(token)
            continue
        if reader.is_known(token, languages):
            corrected.append(token)
            continue
        best = reader.spelling(word, languages)
        if best and best != word:
            corrected.append(best)
            changed = True
        else:
            corrected.append(token)
    return " ".join(corrected) if changed else None
