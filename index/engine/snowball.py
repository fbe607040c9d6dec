"""Stemmers: Snowball's own algorithms (the ``snowballstemmer`` package), as OpenSearch's ``snowball`` filter.

Both engines must turn a word into the same stem, or a word matches different documents on each.
Whoosh's own stemmers are older Python ports of Snowball with small faults of their own (English
"realization" -> "realize" where Snowball gives "realiz"; Russian transliterated Latin words and
garbled a few Cyrillic ones), so the schema stems with the package generated from the Snowball
sources, as Lucene's stemmers are: on 69,000 distinct English and 67,000 distinct Russian words of the
shared corpora both give the same stems (tests/test_opensearch_node.py checks a sample on a real node).

English keeps the one thing Whoosh's port added and users rely on: typographic apostrophes are read
as "'" before stemming (don’t = don't, Australia’s = Australia's), and a leading one is dropped; the
OpenSearch mapping does the same with two ``pattern_replace`` filters before its stemmer.
"""

from __future__ import annotations

import threading

import snowballstemmer

SNOWBALL_NAMES = {"en": "english", "ru": "russian", "fr": "french", "es": "spanish", "de": "german"}
APOSTROPHES = "\u2019\u2018\u201b"
_APOSTROPHE_TABLE = str.maketrans(dict.fromkeys(APOSTROPHES, "'"))
_LOCAL = threading.local()  # a Snowball stemmer keeps the word in its own state: one per thread and language


def _stemmer(language: str):
    found = getattr(_LOCAL, language, None)
    if found is None:
        found = snowballstemmer.stemmer(SNOWBALL_NAMES[language])
        setattr(_LOCAL, language, found)
    return found


def snowball_stem(language: str, word: str) -> str:
    """Snowball's stem of a lower-case ``word`` in ``language`` (a key of ``SNOWBALL_NAMES``)."""
    return _stemmer(language).stemWord(word)


def english_stem(word: str) -> str:
    """The English (Porter2) stem, typographic apostrophes read as "'" and a leading one dropped."""
    word = word.translate(_APOSTROPHE_TABLE)
    if word.startswith("'"):
        word = word[1:]
    return _stemmer("en").stemWord(word)


def french_stem(word: str) -> str:
    """The French Snowball stem."""
    return _stemmer("fr").stemWord(word)


def spanish_stem(word: str) -> str:
    """The Spanish Snowball stem."""
    return _stemmer("es").stemWord(word)


def german_stem(word: str) -> str:
    """The German Snowball stem."""
    return _stemmer("de").stemWord(word)
