"""Text folding and tokenizing shared by index time and query time, so both read words the same way.

``TOKEN_PATTERN`` is the word pattern of the index's analyzers (``index/engine/schema.py``) and of
highlighting (``search/highlight.py``); ``strip_accents`` and ``fold`` fold text for highlighting's quick
tests and for completions' prefix matching. (Person names have their own canonical keys:
``index.extraction.names``.)
"""

from __future__ import annotations

import re
import unicodedata

#: Words of at least one letter or digit; keeps "COVID-19" as "covid", "19" and Cyrillic words whole;
#: "U.S." and "don't" stay one token.
TOKEN_PATTERN = r"\w+(?:[.'’]\w+)*"
TOKEN_RE = re.compile(TOKEN_PATTERN)


class _CombiningMarks(dict):
    """A ``str.translate`` table dropping combining marks, filled in as characters are met."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_DROP_COMBINING = _CombiningMarks()


def strip_accents(text: str) -> str:
    """``text`` without accents (NFKD, combining marks dropped); case kept."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed if decomposed.isascii() else decomposed.translate(_DROP_COMBINING)


def fold(text: str) -> str:
    """Lower case without accents, for prefix matching ("hüs" finds "Hüseynov" and "Huseynov")."""
    return strip_accents(text.casefold())
