"""Completions for the search box and "did you mean" corrections for misspelt words."""

from __future__ import annotations

import logging
import re
import unicodedata

from index.engine.schema import field_suffix

LOGGER = logging.getLogger(__name__)

_WORD = re.compile(r"\w+", re.UNICODE)
MIN_WORD_FOR_CORRECTION = 4


def fold(text: str) -> str:
    """Lowercase without accents, for prefix matching ("hüs" finds "Hüseynov" and "Huseynov")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def suggest_completions(reader, facets, prefix: str, limit: int = 10) -> list[dict]:
    """Speakers and events with a word starting with ``prefix``, then title words; most frequent first."""
    folded = fold(prefix.strip())
    if not folded:
        return []
    last_words = folded.split()
    found: list[tuple[int, int, str, str]] = []
    for kind, name in (("speaker", "speaker"), ("event", "event")):
        for value, count in facets.values(name):
            folded_value = fold(value)
            words = folded_value.split()
            if folded_value.startswith(folded) or (
                len(last_words) == 1 and any(word.startswith(folded) for word in words)
            ):
                found.append((0, -count, value, kind))
    found.sort()
    suggestions = [{"value": value, "kind": kind} for _, _, value, kind in found[:limit]]
    if len(suggestions) < limit and len(last_words) == 1 and len(folded) >= 2:
        words: list[tuple[int, str]] = []
        for fieldname in ("spell_title", "title"):
            if fieldname not in reader.indexed_field_names():
                continue
            for term in reader.expand_prefix(fieldname, folded):
                text = term.decode("utf-8") if isinstance(term, bytes) else term
                words.append((-reader.doc_frequency(fieldname, term), text))
            if words:
                break
        seen = {s["value"].casefold() for s in suggestions}
        for _, word in sorted(words):
            if word not in seen:
                suggestions.append({"value": word, "kind": "title"})
                seen.add(word)
            if len(suggestions) >= limit:
                break
    return suggestions


def did_you_mean(searcher, text: str, languages: tuple[str, ...]) -> str | None:
    """The query with misspelt plain words replaced by the closest indexed title word, or None.

    A word is misspelt when no body, title or name field knows it; corrections come from the
    unstemmed title vocabulary (``spell_title*``), the most frequent close word first.
    """
    if any(ch in text for ch in ':"*?~'):
        return None
    reader = searcher.reader()
    schema = searcher.schema
    indexed = set(reader.indexed_field_names())
    suffixes = sorted({field_suffix(lang) for lang in languages})
    spell_fields = [f"title{s}" for s in suffixes if f"spell_title{s}" in indexed]
    if not spell_fields:
        return None
    known_fields = [f for s in suffixes for f in (f"body{s}", f"title{s}") if f in indexed]
    known_fields += [f for f in ("speaker", "event", "org", "country") if f in indexed]
    changed = False
    corrected: list[str] = []
    for token in text.split():
        word = token.casefold()
        if len(word) < MIN_WORD_FOR_CORRECTION or not word.isalpha() or token in ("AND", "OR", "NOT"):
            corrected.append(token)
            continue
        if _is_known(reader, schema, known_fields, token):
            corrected.append(token)
            continue
        best = None
        for fieldname in spell_fields:
            options = searcher.corrector(fieldname).suggest(word, limit=1, maxdist=2, prefix=1)
            if options:
                best = options[0]
                break
        if best and best != word:
            corrected.append(best)
            changed = True
        else:
            corrected.append(token)
    return " ".join(corrected) if changed else None


def _is_known(reader, schema, fieldnames: list[str], word: str) -> bool:
    for fieldname in fieldnames:
        for term in schema[fieldname].process_text(word, mode="query"):
            if reader.doc_frequency(fieldname, term) > 0:
                return True
    return False
