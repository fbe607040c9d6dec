"""Mentions of people and titles: capitalised runs split into role, honorific, name and post-nominals."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from .alternation import trie_alternation
from .countries import country_code
from .names import (
    DOTTED_POST_NOMINALS,
    HONORIFICS,
    INITIALS,
    LOWER,
    PARTICLES,
    POST_NOMINALS,
    ROLE_WORDS,
    UPPER,
    WORD,
    display_name,
    fold,
    is_name_word,
)

LOGGER = logging.getLogger(__name__)

_CONNECTORS = r"of|for|the|and|on|de|da|do|dos|del|van|von|der|den|la|le|du|bin|al|el|ibn"
_SEP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"
_ABBREVIATION = (
    r"(?:Mr|Mrs|Ms|Dr|Prof|Hon|Gov|Sen|Rep|Gen|Lt|Col|Capt|Sgt|Rev|Jr|Sr|Adm|Maj|Cmdr|Supt|Insp"
    r"|MR|MRS|MS|DR|PROF|HON|SEN|REV)\."
)
_TOKEN = rf"(?:{INITIALS}[ ]?{WORD}|{_ABBREVIATION}|{INITIALS}|{WORD})"
#: A run of capitalised words, initials and inner connectors: "IOM Director General Antonio Vitorino".
RUN = re.compile(rf"(?<![\w’'.-])(?:{_TOKEN})(?:{_SEP}(?:(?:{_CONNECTORS}){_SEP})*{_TOKEN})*")
_TOKENS = re.compile(rf"{INITIALS}|{WORD}|\b(?:{_CONNECTORS})\b")
_INITIAL = re.compile(INITIALS)
_CYRILLIC_NAME = re.compile(r"[А-ЯЁ][а-яё-]+")
_PATRONYMIC = re.compile(r"(?:вич|вна|ична|ич)$")
_LOWER_CONNECTORS = frozenset({"of", "for", "the", "and", "on"})
_GENERIC_TITLE_WORDS = frozenset({"general", "acting", "deputy", "vice", "assistant", "shadow", "special"})


@dataclass
class Mention:
    """A person (``name`` set) or a bare title (``name`` None) found in the text, with character offsets."""

    kind: str  # "full" (two or more name words), "partial" (surname with initial or title), "bare", "title"
    start: int  # start of the segment, role and honorific included
    name_start: int
    name_end: int
    end: int  # end of the segment, post-nominals and a following role included
    name: str | None
    role: str | None = None
    honorific: bool = False
    person: str | None = None  # canonical key once resolved


@lru_cache(maxsize=65536)
def _classify(word: str, all_caps: bool) -> str:
    if fold(word) in DOTTED_POST_NOMINALS:
        return "post"
    if all_caps and len(word) > 2:
        if fold(word) in POST_NOMINALS:
            return "post"
        word = display_name(word)
    low = fold(word).rstrip(".")
    if low in HONORIFICS or fold(word) in HONORIFICS:
        return "hon"
    if low in POST_NOMINALS and (word.isupper() or "." in word):
        return "post"
    if low in {"of", "for", "the", "and", "on"}:
        return "conn"
    if low in PARTICLES and word.islower():
        return "particle"
    if low in ROLE_WORDS or low.rstrip("s") in ROLE_WORDS:
        return "role"
    if _INITIAL.fullmatch(word):
        return "init"
    if not all_caps and word.isupper() and len(word) > 1:
        return "other"
    if not is_name_word(word) or country_code(word) is not None:
        return "other"
    return "name"


def _role_text(words: list[str]) -> str | None:
    by = [index for index, word in enumerate(words) if fold(word) == "by"]
    if by:  # "STATEMENT BY THE PRIME MINISTER": the role is what follows "by"
        words = words[by[-1] + 1:]
    words = [w.lower() if fold(w) in {"the", "and", "of", "for", "on"} else w for w in words]
    words = [w for w in words if fold(w) not in HONORIFICS]
    while words and fold(words[0]) in {"the", "and", "of", "for", "on"}:
        words = words[1:]
    while words and fold(words[-1]) in {"the", "and", "of", "for", "on"}:
        words = words[:-1]
    if not any(fold(w).rstrip("s") in ROLE_WORDS or fold(w) in ROLE_WORDS for w in words):
        return None
    if all(fold(w) in HONORIFICS for w in words):
        return None
    return " ".join(words[:12])


def _caps_mode(tokens: list[str]) -> list[bool]:
    """Per token: True inside a stretch of two or more upper-case words ("THE HON PETER COSTELLO MP")."""
    upper = [t.isupper() and (len(t.rstrip(".")) > 1 or fold(t) in _LOWER_CONNECTORS) for t in tokens]
    mode = [False] * len(tokens)
    i = 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and upper[j]:
            j += 1
        if j - i >= 2:
            mode[i:j] = [True] * (j - i)
        i = max(j, i + 1)
    return mode


def _particle_then_name(kinds: list[str], j: int) -> bool:
    while j < len(kinds) and kinds[j] == "particle":
        j += 1
    return j < len(kinds) and kinds[j] == "name"


#: The fields of a ``Mention`` before resolution: kind, start, name_start, name_end, end, name, role, honorific.
_Fields = tuple[str, int, int, int, int, str | None, str | None, bool]


def parse_run(text: str, start: int, end: int) -> list[Mention]:
    """Split one capitalised run into mentions of named people and of bare titles."""
    if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
        # a word character before the run could decide a token's \b: parse the run in place
        return [Mention(*fields) for fields in _parse(text, start, end)]
    # The same runs ("The", "United Nations", "Minister") come back in every document: parse each once.
    return [
        Mention(kind, start + first, start + name_start, start + name_end, start + last, name, role, honorific)
        for kind, first, name_start, name_end, last, name, role, honorific in _parse_segment(text[start:end])
    ]


@lru_cache(maxsize=32768)
def _parse_segment(segment: str) -> tuple[_Fields, ...]:
    """``_parse`` of a whole run, offsets relative to it (the result depends on the run's text only)."""
    return tuple(_parse(segment, 0, len(segment)))


def _parse(text: str, start: int, end: int) -> list[_Fields]:
    """The mentions of the run ``text[start:end]`` as ``Mention`` fields, with offsets into ``text``."""
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKENS.finditer(text, start, end)]
    if not tokens:
        return []
    caps = _caps_mode([t for t, _, _ in tokens])
    words = [display_name(t) if c and len(t) > 2 and not _INITIAL.fullmatch(t) else t
             for (t, _, _), c in zip(tokens, caps, strict=True)]
    kinds = [_classify(t, c) for (t, _, _), c in zip(tokens, caps, strict=True)]
    mentions: list[_Fields] = []
    seg_start = 0
    i = 0
    while i < len(tokens):
        if kinds[i] not in ("name", "init"):
            i += 1
            continue
        j = i
        while j < len(tokens) and (kinds[j] in ("name", "init") or (
                kinds[j] == "particle" and _particle_then_name(kinds, j))):
            j += 1
        name_words = words[i:j]
        n_names = sum(1 for k in kinds[i:j] if k == "name")
        if kinds[j - 1] != "name" or n_names == 0 or n_names > 5:
            i = j
            continue
        prefix_kinds = kinds[seg_start:i]
        honorific = "hon" in prefix_kinds[-2:]
        role = _role_text(words[seg_start:i])
        if n_names >= 2:
            kind = "full"
        elif kinds[i] == "init" or honorific or (i > 0 and kinds[i - 1] == "role"):
            kind = "partial"
        else:
            kind = "bare"
        k = j
        while k < len(tokens) and kinds[k] == "post":
            k += 1
        seg_end = tokens[k - 1][2]
        if k > j or (not role and k < len(tokens) and kinds[k] == "role"):
            # "Scott Morrison MP Minister for Immigration", "John Anderson Acting Prime Minister"
            m = k
            while m < len(tokens) and kinds[m] in ("role", "conn", "other"):
                m += 1
            after = _role_text(words[k:m])
            if after:
                role = role or after
                seg_end = tokens[m - 1][2]
                k = m
        if len(name_words) == 3 and _CYRILLIC_NAME.fullmatch(name_words[0]) and not _PATRONYMIC.search(
                name_words[1]):
            name_words = name_words[1:]  # "Молдавии Игорь Додон": a Russian name is two words or has a patronymic
            i += 1
        name = " ".join(name_words)
        mentions.append((kind, tokens[seg_start][1], tokens[i][1], tokens[j - 1][2], seg_end,
                         display_name(name), role, honorific))
        seg_start = k + 1 if k < len(tokens) and kinds[k] == "conn" else k
        i = k
    if not mentions and seg_start == 0:
        role = _role_text(words)
        if role and kinds[-1] in ("role", "other", "name") and len(words) <= 12:
            first, last = tokens[0][1], tokens[-1][2]
            mentions.append(("title", first, first, last, last, None, role, False))
    return mentions


#: Undotted initials after an honorific, "THE HON P J KEATING", rewritten as "P.J.KEATING" (same length).
_HONORIFIC = trie_alternation(("HON", "Hon", "MR", "Mr", "DR", "Dr", "SIR", "Sir", "MRS", "Mrs", "MS", "Ms"),
                              not_after=r"\w")  # after no word character
_BARE_INITIALS = re.compile(
    rf"({_HONORIFIC}\.? )((?:[{UPPER}] ){{1,3}})(?=[{UPPER}][{UPPER}{LOWER}])"
)


def _dot_initials(match: re.Match[str]) -> str:
    return match.group(1) + match.group(2).replace(" ", ".")


def find_mentions(text: str) -> list[Mention]:
    """All person and title mentions in ``text``, in order."""
    text = _BARE_INITIALS.sub(_dot_initials, text)
    mentions: list[Mention] = []
    for run in RUN.finditer(text):
        end = run.end()
        while end > run.start() and text[end - 1] == "." and not _INITIAL.fullmatch(
                text[max(run.start(), end - 2): end]):
            end -= 1
        mentions.extend(parse_run(text, run.start(), end))
    return mentions


@lru_cache(maxsize=8192)
def role_heads(role: str) -> frozenset[str]:
    """The role words of a title that identify its holder ("Chief of the Service" -> {"chief"})."""
    heads = frozenset(fold(w) for w in re.findall(rf"[{UPPER}{LOWER}-]+", role) if fold(w) in ROLE_WORDS)
    return (heads - _GENERIC_TITLE_WORDS) or heads
