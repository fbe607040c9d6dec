"""Regex alternations of many words, built as a trie so a scan does not try every word at every position.

``"|".join(words sorted longest first)`` makes the regex engine compare each word in turn wherever the
rest of a pattern lets it try; with hundreds of country names that is most of the cost of a scan. The
trie form (``"niger(?:ia)?|nor(?:way|th\\ korea)"``) tries one branch per distinct first character
and longer words before their prefixes, so it finds the same match as the longest-first alternation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_END = ""  # trie key marking that a word ends at this node


def trie_alternation(words: Iterable[str], *, space: str | None = None, flags: int = 0) -> str:
    """A regex matching exactly what ``"|".join(map(re.escape, sorted(words, key=len, reverse=True)))``
    matches, as a trie. ``space`` replaces each space (e.g. ``r"\\s+"``); ``flags`` are the flags the
    pattern is compiled with (``re.IGNORECASE`` is checked: no two branches of a node may match the same
    character, or the longest word would no longer be tried first)."""
    root: dict = {}
    for word in words:
        if not word:
            continue
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[_END] = {}
    return _render(root, space, flags)


def _piece(char: str, space: str | None) -> str:
    return space if char == " " and space is not None else re.escape(char)


def _render(node: dict, space: str | None, flags: int) -> str:
    chars = sorted(key for key in node if key != _END)
    _check_distinct(chars, space, flags)
    branches = []
    for char in chars:
        # follow a chain of single children as one literal run
        literal, child = _piece(char, space), node[char]
        while len(child) == 1 and _END not in child:
            (next_char, grandchild), = child.items()
            literal += _piece(next_char, space)
            child = grandchild
        branches.append(literal + _render(child, space, flags))
    if not branches:
        return ""
    body = "|".join(branches)
    if _END in node:
        return f"(?:{body})?"
    return body if len(branches) == 1 else f"(?:{body})"


def _check_distinct(chars: list[str], space: str | None, flags: int) -> None:
    """Refuse sibling branches whose first characters can match the same character."""
    for index, char in enumerate(chars):
        for other in chars[index + 1:]:
            if re.fullmatch(_piece(other, space), char, flags) or re.fullmatch(_piece(char, space), other, flags):
                raise ValueError(f"trie branches {char!r} and {other!r} overlap under flags {flags}")
