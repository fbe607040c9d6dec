"""Text folding and tokenizing shared by index time and query time, so both read words the same way.

One module for every word pattern and every fold, so that what must agree does:

- ``TOKEN_PATTERN`` is the word pattern of the index's analyzers (``index/engine/schema.py``, the
  OpenSearch mapping) and of highlighting (``search/highlight.py``), so a highlighted word is a word the
  index has. ``WORD_RE`` (runs of word characters) is the plainer pattern for comparing names and
  cutting quotes around their first match.
- ``fold_name`` folds person names and extraction's word lists: the speaker keys written at index time
  (``index.extraction.names.canonical_person_key``) and the speaker filter read at query time both go
  through it. It also folds letters that carry no combining accent ("ı", "ə", "ł", "ß").
- ``fold`` (case folded, accents stripped) matches typed prefixes against facet values for completions;
  ``strip_accents`` (case kept) is highlighting's quick test for words that start like a query word.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Words of at least one letter or digit; keeps "COVID-19" as "covid", "19" and Cyrillic words whole;
#: "U.S." and "don't" stay one token.
TOKEN_PATTERN = r"\w+(?:[.'’]\w+)*"
TOKEN_RE = re.compile(TOKEN_PATTERN)
#: Runs of word characters: "COVID-19" is "COVID" and "19", "don't" is "don" and "t".
WORD_RE = re.compile(r"\w+")

#: Letters that are not a base letter plus a combining accent, folded as their nearest Latin letters.
_NAME_LETTERS = str.maketrans({"ı": "i", "ə": "a", "Ə": "A", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O",
                               "æ": "ae", "Æ": "AE", "ß": "ss", "đ": "d", "Đ": "D", "þ": "th", "’": "'"})


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


@lru_cache(maxsize=65536)
def fold_name(text: str) -> str:
    """A name lower-cased without accents, special letters folded: "Vüsal Hüseynov" -> "vusal huseynov",
    "Əliyev" -> "aliyev"."""
    if text.isascii():  # nothing to translate, decompose or strip
        return text.lower()
    return strip_accents(text.translate(_NAME_LETTERS)).lower()
