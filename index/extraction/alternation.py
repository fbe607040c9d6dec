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


def trie_alternation(
    words: Iterable[str], *, space: str | None = None, flags: int = 0, not_after: str | None = None
) -> str:
    """A regex matching exactly what ``"|".join(map(re.escape, sorted(words, key=len, reverse=True)))``
    matches, as a trie. ``space`` replaces each space (e.g. ``r"\\s+"``); ``flags`` are the flags the
    pattern is compiled with (``re.IGNORECASE`` is checked: no two branches of a node may match the same
    character, or the longest word would no longer be tried first).

    ``not_after`` (a one-character class such as ``r"[\\w-]"``) requires what precedes a word not to
    match it, like a ``(?<!...)`` before the alternation; it is checked after each word's first character,
    so that (without ``re.IGNORECASE``) the engine jumps between those characters instead of trying the
    pattern at every position."""
    root: dict = {}
    for word in words:
        if not word:
            continue
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[_END] = {}
    if not_after is None:
        return _render(root, space, flags)
    chars = sorted(key for key in root if key != _END)
    _check_distinct(chars, space, flags)
    branches = []
    for char in chars:
        if char == " " and space is not None:
            raise ValueError("not_after needs words that start with a character, not a space")
        first = _piece(char, space)
        branches.append(f"{first}(?<!{not_after}{first}){_render(root[char], space, flags)}")
    return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"


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


def capitalised_alternation(words: Iterable[str], *, not_after: str, space: str | None = None) -> str:
    """A regex (for a pattern compiled without flags) matching what
    ``(?<!{not_after})(?=(?-i:[A-Z]))(?i:{longest-first alternation of words})`` matches: the words in any
    case, but starting with an ASCII capital. The capital is matched as a plain character and
    ``not_after`` checked after it, so the engine jumps from capital to capital; the rest of each word
    is a case-insensitive trie. The branches are returned bare ("A...|B..."): put them in a group, as
    the first thing in it (other branches that start with a character may sit beside them)."""
    rests: dict[str, list[str]] = {}
    for word in words:
        if not word:
            continue
        for capital in _CAPITALS:
            if re.fullmatch(re.escape(word[0]), capital, re.IGNORECASE):
                rests.setdefault(capital, []).append(word[1:])
    branches = []
    for capital, tails in sorted(rests.items()):
        rest = trie_alternation([tail for tail in tails if tail], space=space, flags=re.IGNORECASE)
        if rest and "" in tails:
            rest = f"(?:{rest})?"
        branches.append(f"{capital}(?<!{not_after}{capital})" + (f"(?i:{rest})" if rest else ""))
    return "|".join(branches)


_CAPITALS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
