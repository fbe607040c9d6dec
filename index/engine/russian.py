"""Russian stemming: the Snowball stemmer, then two rules that join forms Snowball keeps apart.

Snowball cuts case endings but leaves two common Russian alternations split:

- the fleeting vowel of nouns in ``-ец``: беженец (stem беженец) / беженцы, беженцев (беженц),
  переселенец / переселенцы. A stem ending in ``-ец`` loses its ``е``.
- the possessive suffix of surnames and of nouns in ``-ов``/``-ев``: Колокольцев (колокольц) /
  Колокольцева, Колокольцевым (колокольцев); Иванов / Иванова. A stem of six letters or more
  ending in ``-ов``/``-ев`` loses it.

A dictionary lemmatizer (pymorphy3) was tried first and not kept: its best parse of
"Колокольцев" is the genitive plural of "колоколец", so the surname's forms still split, and it
adds a 15 MB dictionary. The rules apply at indexing and at query time alike (the same analyzer).
"""

from __future__ import annotations

from whoosh.lang import stemmer_for_language

_SNOWBALL = stemmer_for_language("ru")
_FLEETING_MIN = 5  # беженец -> беженц, but not отец (too short to tell)
_POSSESSIVE_MIN = 6  # колокольцев -> колокольц, but not основ, готов


def russian_stem(word: str) -> str:
    """The stem of a lower-case Russian word (Snowball, then the ``-ец`` and ``-ов``/``-ев`` rules)."""
    stem = _SNOWBALL(word)
    if len(stem) >= _FLEETING_MIN and stem.endswith("ец"):
        return stem[:-2] + "ц"
    if len(stem) >= _POSSESSIVE_MIN and stem.endswith(("ов", "ев")):
        return stem[:-2]
    return stem
