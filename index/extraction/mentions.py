"""Mentions of people and titles: capitalised runs split into role, honorific, name and post-nominals."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from index.text import fold_name

from .alternation import trie_alternation
from .countries import country_code
from .names import (
    DOTTED_POST_NOMINALS,
    HONORIFICS,
    INITIALS,
    INITIALS_TAIL,
    LOWER,
    PARTICLES,
    POST_NOMINALS,
    ROLE_WORDS,
    UPPER,
    WORD,
    WORD_TAIL,
    display_name,
    is_name_word,
)

LOGGER = logging.getLogger(__name__)

_CONNECTORS = r"of|for|the|and|on|de|da|do|dos|del|van|von|der|den|la|le|du|bin|al|el|ibn"
_SEP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"
_ABBREVIATIONS = (
    "Mr Mrs Ms Dr Prof Hon Gov Sen Rep Gen Lt Col Capt Sgt Rev Jr Sr Adm Maj Cmdr Supt Insp "
    "MR MRS MS DR PROF HON SEN REV"
).split()
#: "Mr.", "Capt.": an abbreviation after its first letter, which ``(?<=M)`` and the like check (the
#: lookahead first rules most words out at once).
_ABBREVIATION_TAIL = (
    rf"(?=[A-Za-z]{{1,{max(len(a) for a in _ABBREVIATIONS) - 1}}}\.)(?:"
    + "|".join(f"(?<={a[0]}){a[1:]}" for a in _ABBREVIATIONS) + r")\."
)
#: A token after its first character, an upper-case letter: initials and a word, an abbreviation,
#: initials, a word.
_TOKEN_TAIL = rf"(?:{INITIALS_TAIL}[ ]?{WORD}|{_ABBREVIATION_TAIL}|{INITIALS_TAIL}|{WORD_TAIL})"
_TOKEN = rf"[{UPPER}]{_TOKEN_TAIL}"
#: A run of capitalised words, initials and inner connectors: "IOM Director General Antonio Vitorino".
#: (It starts with the capital and checks what precedes it after, so the engine jumps between capitals.)
RUN = re.compile(
    rf"[{UPPER}](?<![\w’'.-][{UPPER}]){_TOKEN_TAIL}(?:{_SEP}(?:(?:{_CONNECTORS}){_SEP})*{_TOKEN})*"
)
_TOKENS = re.compile(rf"{INITIALS}|{WORD}|\b(?:{_CONNECTORS})\b")
_INITIAL = re.compile(INITIALS)
_CYRILLIC_NAME = re.compile(r"[А-ЯЁ][а-яё-]+")
_PATRONYMIC = re.compile(r"(?:вич|вна|ична|ич)$")
#: Oblique endings of the place or body named before a Russian name ("Турции", "Мосгордумы",
#: "Роспотребнадзора", "Кремля", "Москве", "Донбассу"); a given name in the nominative ends otherwise.
_CYRILLIC_OBLIQUE = re.compile(r"(?:ии|ы|а|я|е|у|ю|ом|ем|ой)$")
_LOWER_CONNECTORS = frozenset({"of", "for", "the", "and", "on"})
_NAME_KINDS = ("name", "init")
_GENERIC_TITLE_WORDS = frozenset({"general", "acting", "deputy", "vice", "assistant", "shadow", "special"})


@dataclass(slots=True)
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
    if fold_name(word) in DOTTED_POST_NOMINALS:
        return "post"
    if all_caps and len(word) > 2:
        if fold_name(word) in POST_NOMINALS:
            return "post"
        word = display_name(word)
    low = fold_name(word).rstrip(".")
    if low in HONORIFICS or fold_name(word) in HONORIFICS:
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
    if not words:
        return None
    folded = [fold_name(w) for w in words]
    if "by" in folded:  # "STATEMENT BY THE PRIME MINISTER": the role is what follows "by"
        after = len(folded) - folded[::-1].index("by")
        words, folded = words[after:], folded[after:]
    kept: list[str] = []  # connectors lower-cased, honorifics dropped
    kept_folded: list[str] = []
    for word, low in zip(words, folded, strict=True):
        if low in _LOWER_CONNECTORS:
            word = word.lower()
            low = fold_name(word)
        if low not in HONORIFICS:
            kept.append(word)
            kept_folded.append(low)
    first, last = 0, len(kept)
    while first < last and kept_folded[first] in _LOWER_CONNECTORS:
        first += 1
    while first < last and kept_folded[last - 1] in _LOWER_CONNECTORS:
        last -= 1
    kept_folded = kept_folded[first:last]
    if not any(low.rstrip("s") in ROLE_WORDS or low in ROLE_WORDS for low in kept_folded):
        return None
    if all(low in HONORIFICS for low in kept_folded):
        return None
    return " ".join(kept[first:last][:12])


def _caps_mode(tokens: list[str]) -> list[bool]:
    """Per token: True inside a stretch of two or more upper-case words ("THE HON PETER COSTELLO MP")."""
    upper = [t.isupper() and (len(t.rstrip(".")) > 1 or fold_name(t) in _LOWER_CONNECTORS) for t in tokens]
    mode = [False] * len(tokens)
    if upper.count(True) < 2:
        return mode
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
    found = list(_TOKENS.finditer(text, start, end))
    if not found:
        return []
    tokens = [m.group() for m in found]
    starts = [m.start() for m in found]
    ends = [m.end() for m in found]
    n_tokens = len(tokens)
    caps = _caps_mode(tokens)
    if True in caps:
        words = [display_name(t) if c and len(t) > 2 and not _INITIAL.fullmatch(t) else t
                 for t, c in zip(tokens, caps, strict=True)]
        kinds = [_classify(t, c) for t, c in zip(tokens, caps, strict=True)]
    else:
        words = tokens
        kinds = [_classify(t, False) for t in tokens]
    mentions: list[_Fields] = []
    seg_start = 0
    i = 0
    while i < n_tokens:
        if kinds[i] not in _NAME_KINDS:
            i += 1
            continue
        j = i
        while j < n_tokens and (kinds[j] in _NAME_KINDS or (
                kinds[j] == "particle" and _particle_then_name(kinds, j))):
            j += 1
        if kinds[j - 1] != "name":
            i = j
            continue
        n_names = kinds[i:j].count("name")
        if n_names > 5:
            i = j
            continue
        name_words = words[i:j]
        prefix_kinds = kinds[seg_start:i]
        honorific = "hon" in prefix_kinds[-2:]
        role = None if _joined_by_and(words[seg_start:i]) else _role_text(words[seg_start:i])
        if n_names >= 2:
            kind = "full"
        elif kinds[i] == "init" or honorific or (i > 0 and kinds[i - 1] == "role"):
            kind = "partial"
        else:
            kind = "bare"
        k = j
        while k < n_tokens and kinds[k] == "post":
            k += 1
        seg_end = ends[k - 1]
        if k > j or (not role and k < n_tokens and kinds[k] == "role"):
            # "Scott Morrison MP Minister for Immigration", "John Anderson Acting Prime Minister"
            m = k
            while m < n_tokens and kinds[m] in ("role", "conn", "other"):
                m += 1
            after = _role_text(words[k:m])
            if after:
                role = role or after
                seg_end = ends[m - 1]
                k = m
        while len(name_words) >= 3 and not _PATRONYMIC.search(name_words[1]) and all(
                _CYRILLIC_NAME.fullmatch(w) for w in name_words[1:]) and (
                not _CYRILLIC_NAME.fullmatch(name_words[0])
                or _CYRILLIC_OBLIQUE.search(name_words[0]) or len(name_words) == 3):
            # "Молдавии Игорь Додон", "Турции Иван Петров Сидоров", "Partners Денис Сидоров": a place,
            # a body or a company before the name (a Russian name is two words or has a patronymic; a
            # third word is dropped as before, "Беседовал Иван Петров")
            dropped, name_words = name_words[0], name_words[1:]
            i += 1
            if role and _CYRILLIC_OBLIQUE.search(dropped) and not _joined_by_and(words[seg_start:i]):
                role = _role_text(words[seg_start:i]) or role  # "Президент Турции"
        name = " ".join(name_words)
        mentions.append((kind, starts[seg_start], starts[i], ends[j - 1], seg_end,
                         display_name(name), role, honorific))
        seg_start = k + 1 if k < n_tokens and kinds[k] == "conn" else k
        i = k
    if not mentions and seg_start == 0:
        role = _role_text(words)
        if role and kinds[-1] in ("role", "other", "name") and len(words) <= 12:
            first, last = starts[0], ends[-1]
            mentions.append(("title", first, first, last, last, None, role, False))
    return mentions


def _joined_by_and(prefix: list[str]) -> bool:
    """True when the words before a name end with "and" and honorifics only ("Parliamentary Secretary for
    X and Ben Trial", "Minister for Y and Senator Kaye Sample"): the role before them is another person's."""
    for word in reversed(prefix):
        low = fold_name(word).rstrip(".")
        if low == "and" or word == "&":
            return True
        if low not in HONORIFICS:
            return False
    return False


#: Undotted initials after an honorific, "THE HON P J KEATING", rewritten as "P.J.KEATING" (same length).
_HONORIFIC = trie_alternation(("HON", "Hon", "MR", "Mr", "DR", "Dr", "SIR", "Sir", "MRS", "Mrs", "MS", "Ms"),
                              not_after=r"\w")  # after no word character
_BARE_INITIALS = re.compile(
    rf"({_HONORIFIC}\.? )((?:[{UPPER}] ){{1,3}})(?=[{UPPER}][{UPPER}{LOWER}])"
)


def _dot_initials(match: re.Match[str]) -> str:
    return match.group(1) + match.group(2).replace(" ", ".")


_POSSESSIVE = frozenset(("'s", "’s", "'S", "’S"))
#: A given name's last syllable after a hyphen, in lower case ("Ban Ki-moon", "Moon Jae-in", "Chiang
#: Kai-shek"): the romanisation of Korean and older Chinese names, which a capitalised run stops before.
_LOWER_SYLLABLE = re.compile(rf"-([{LOWER}]{{2,5}})(?![\w-])")
#: English words that follow a name in a compound ("the Rudd-era policy", "a Key-led government"), and
#: short words after a dash written as a hyphen ("another Guantanamo Bay-at least").
_COMPOUND_HEADS = frozenset(
    "led era style like type based backed run made owned born linked funded sized wide free ism ist ite "
    "ites esque ish less ness year old day week plus lite "
    "at and but the or to so as if of on by for with from was is are not we he she they it its our".split()
)
#: The longest given-name word a hyphenated syllable is joined to ("Ki", "Jae", "Kyung").
_MAX_SYLLABLE_HEAD = 5


def _with_syllable(text: str, end: int, fields: tuple[_Fields, ...]) -> tuple[tuple[_Fields, ...], int]:
    """The run's mentions and end, the last name taking in the lower-case syllable after its hyphen
    ("Ban Ki" + "-moon") when the name has two words or more and its last word is a short given name."""
    match = _LOWER_SYLLABLE.match(text, end)
    kind, first, name_start, name_end, last, name, role, honorific = fields[-1]
    if match is None or not name or match.group(1) in _COMPOUND_HEADS:
        return fields, end
    words = name.split()
    if len(words) < 2 or not 1 < len(words[-1]) <= _MAX_SYLLABLE_HEAD:
        return fields, end
    grow = match.end() - end
    name = name + "-" + match.group(1)
    return (*fields[:-1], (kind, first, name_start, name_end + grow, last + grow, name, role, honorific)), end + grow


def find_mentions(text: str) -> list[Mention]:
    """All person and title mentions in ``text``, in order."""
    text = _BARE_INITIALS.sub(_dot_initials, text)
    mentions: list[Mention] = []
    add = mentions.append
    for run in RUN.finditer(text):
        start, end = run.span()
        while end > start and text[end - 1] == "." and not _INITIAL.fullmatch(text[max(start, end - 2): end]):
            end -= 1
        # ``parse_run`` inlined: RUN never starts after a word character, so the run parses as a segment
        fields = _parse_segment(text[start:end])
        if not fields:
            continue
        if text[end: end + 1] == "-" and fields[-1][3] == fields[-1][4] == end - start:
            fields, end = _with_syllable(text, end, fields)
        if text[end: end + 2] in _POSSESSIVE and fields[-1][4] == end - start > fields[-1][3]:
            # "Sharon Doe Minister's Office": the role after the name is another person's
            kind, first, name_start, name_end, _, name, role, honorific = fields[-1]
            fields = (*fields[:-1], (kind, first, name_start, name_end, name_end, name, None, honorific))
        for kind, first, name_start, name_end, last, name, role, honorific in fields:
            add(Mention(kind, start + first, start + name_start, start + name_end, start + last, name, role,
                        honorific))
    return mentions


@lru_cache(maxsize=8192)
def role_heads(role: str) -> frozenset[str]:
    """The role words of a title that identify its holder ("Chief of the Service" -> {"chief"})."""
    heads = frozenset(fold_name(w) for w in re.findall(rf"[{UPPER}{LOWER}-]+", role) if fold_name(w) in ROLE_WORDS)
    return (heads - _GENERIC_TITLE_WORDS) or heads
