"""Russian stemming: the Snowball stemmer, then two rules that join forms Snowball keeps apart.

The stemmer is Snowball's own Russian algorithm (``index.engine.snowball``), not Whoosh's port: that one
turns words into a Latin transliteration first, so it stemmed Latin words with Russian rules ("media" ->
"med"), garbled a few Cyrillic ones ("воюющим" -> "вои^", "объем" -> "обь") and missed ``-ующая``. The
OpenSearch mapping applies the same two rules after its ``snowball`` filter.

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

from index.engine.snowball import snowball_stem

FLEETING_MIN = 5  # беженец -> беженц, but not отец (too short to tell)
POSSESSIVE_MIN = 6  # колокольцев -> колокольц, but not основ, готов


def russian_stem(word: str) -> str:
    """The stem of a lower-case Russian word (Snowball, then the ``-ец`` and ``-ов``/``-ев`` rules)."""
    stem = snowball_stem("ru", word)
    if len(stem) >= FLEETING_MIN and stem.endswith("ец"):
        return stem[:-2] + "ц"
    if len(stem) >= POSSESSIVE_MIN and stem.endswith(("ов", "ев")):
        return stem[:-2]
    return stem
