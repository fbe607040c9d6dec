"""Organisations: a table of well-known bodies, acronyms the text defines, and institutional name patterns."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from .alternation import capitalised_alternation, trie_alternation
from .countries import is_country_name
from .keywords import WORD_BOUNDARY, ascii_lowered
from .variants import unify_name

LOGGER = logging.getLogger(__name__)

#: Well-known organisations: acronym -> full English name(s). The acronym is the display value.
KNOWN: dict[str, tuple[str, ...]] = {
    "IOM": ("International Organization for Migration", "International Organisation for Migration"),
    "UNHCR": ("United Nations High Commissioner for Refugees", "UN Refugee Agency",
              "UN High Commissioner for Refugees",
              "Office of the United Nations High Commissioner for Refugees"),
    "WHO": ("World Health Organization", "World Health Organisation"),
    "UNICEF": ("United Nations Children's Fund", "United Nations Children’s Fund"),
    "UNDP": ("United Nations Development Programme",),
    "ILO": ("International Labour Organization", "International Labour Organisation",
            "International Labor Organization"),
    "OHCHR": ("Office of the High Commissioner for Human Rights",
              "Office of the United Nations High Commissioner for Human Rights"),
    "EU": ("European Union",),
    "Frontex": ("European Border and Coast Guard Agency",),
    "EUAA": ("European Union Agency for Asylum",),
    "EASO": ("European Asylum Support Office",),
    "ICMPD": ("International Centre for Migration Policy Development",),
    "OSCE": ("Organization for Security and Co-operation in Europe",
             "Organisation for Security and Co-operation in Europe"),
    "ASEAN": ("Association of Southeast Asian Nations", "Association of South East Asian Nations"),
    "AU": ("African Union",),
    "UN": ("United Nations",),
    "UNGA": ("United Nations General Assembly", "UN General Assembly"),
    "UNSC": ("United Nations Security Council", "UN Security Council"),
    "GFMD": ("Global Forum on Migration and Development",),
    "UNRWA": ("United Nations Relief and Works Agency",),
    "WFP": ("World Food Programme",),
    "OCHA": ("Office for the Coordination of Humanitarian Affairs",),
    "ICRC": ("International Committee of the Red Cross",),
    "IFRC": ("International Federation of Red Cross and Red Crescent Societies",),
    "OECD": ("Organisation for Economic Co-operation and Development",
             "Organization for Economic Co-operation and Development"),
    "CIS": ("Commonwealth of Independent States",),
    "NATO": ("North Atlantic Treaty Organization",),
    "UNODC": ("United Nations Office on Drugs and Crime",),
    "ECOWAS": ("Economic Community of West African States",),
    "IGAD": ("Intergovernmental Authority on Development",),
    "ICE": ("Immigration and Customs Enforcement",),
    "DHS": ("Department of Homeland Security",),
    "AHRC": ("Australian Human Rights Commission",),
}
#: Acronyms that are also ordinary words: only counted when upper-case and not at a line start label.
_AMBIGUOUS_ACRONYMS = frozenset({"WHO", "AU", "ICE", "CIS", "UN"})
_BY_NAME = {name.lower(): acronym for acronym, names in KNOWN.items() for name in names}

#: A capitalised word ("Migration", "IOM"); upper-case words need no branch of their own, and one would
#: make the engine try every split of a run of them before giving up.
_CAP = r"[A-Z][a-zA-Z'’&-]*"
_JOIN = r"(?:\s+(?:of|for|on|and|the|&)\s+|\s+)"
#: "Full Name (ACR)": an acronym defined in the text; the name is read back from the parenthesis.
DEFINITION = re.compile(r"\(\s*([A-Z][A-Za-z]{1,9})\s*\)")
_NAME_BEFORE = re.compile(rf"({_CAP}(?:{_JOIN}{_CAP}){{1,10}})\s*$")
_HEADS = (
    "Agency|Commission|Office|Council|Service|Services|Ministry|Department|Committee|Organi[sz]ation|"
    "Institute|Centre|Center|Bureau|Authority|Tribunal|Programme|Fund|Secretariat|Directorate|Parliament|"
    "Foundation|Association|Union|Federation|Coalition|Network|Alliance|Police|Force"
)
#: "State Migration Service", "Ministry of Foreign Affairs", "Refugee Council of Australia".
PATTERN = re.compile(
    rf"\b(?=[A-Z])((?:{_CAP}\s+){{0,5}}(?:{_HEADS})(?:\s+(?:of|for|on)\s+(?:the\s+)?{_CAP}(?:(?:\s+and\s+|\s+)"
    rf"{_CAP}){{0,5}})?)(?![\w-])"
)
#: A head word where ``PATTERN`` can have it: at the start of a word (the first letter is matched before
#: what precedes it is checked, so the engine jumps between those letters).
_HEAD_AT = re.compile(trie_alternation(
    [head for head in _HEADS.split("|") if "[" not in head] + ["Organisation", "Organization"], not_after=r"\w"))
#: Read backwards from a head: the (up to five) capitalised words and spaces ``PATTERN`` allows before it.
_WORDS_BEFORE_REVERSED = re.compile(r"(?:\s+[a-zA-Z'’&-]+){0,5}")
_CAPITAL_AT_WORD_START = re.compile(r"[A-Z](?<!\w[A-Z])")
#: A known name in any case but capitalised, as a whole word (longest name first).
_KNOWN_ALTERNATION = capitalised_alternation(_BY_NAME, not_after=r"\w")
_KNOWN_NAMES = re.compile(rf"({_KNOWN_ALTERNATION})\b")
_KNOWN_WITH_ACRONYM = re.compile(rf"({_KNOWN_ALTERNATION})(?i:\s*\([A-Za-z]{{2,10}}\))?")
_ACRONYMS = re.compile("(" + trie_alternation(KNOWN, not_after=r"[\w-]") + r")(?![\w-])")  # whole words
_LEADING_JUNK = re.compile(
    r"^(?:(?:The|This|That|A|An|Our|Its|Their|His|Her|Republic\s+of\s+\w+|At|In|On|By|For|From|With|"
    r"Both|All|Each|Every|Under|Minister|Secretary|Chief|Head|Director|Deputy|Shadow|Acting)\s+)+"
)
_AFTER_WHO = re.compile(r"\s+(?:Director|Secretariat|[a-z]|,|\.|\))")
_GENERIC = frozenset(
    "service services office council department ministry committee agency commission union force police "
    "programme fund centre center parliament government bureau authority tribunal".split()
)


def acronym_definitions(text: str) -> dict[str, str]:
    """Acronyms the text defines: "Full Name (FN)" -> {"full name": "FN"}."""
    found: dict[str, str] = {}
    for match in DEFINITION.finditer(text):
        acronym = match.group(1)
        if sum(c.isupper() for c in acronym) < 2:
            continue
        name = _NAME_BEFORE.search(text, max(0, match.start() - 160), match.start())
        if name is None:
            continue
        full = name.group(1)
        words = [w for w in re.split(r"[\s-]+", full) if w]
        initials = "".join(w[0] for w in words if w[0].isupper())
        # keep only the trailing words whose initials spell the acronym
        if initials.endswith(acronym.upper()):
            caps = [w for w in words if w[0].isupper()]
            first = caps[len(caps) - len(acronym)]
            full = full[full.index(first):] if len(acronym) < len(caps) else full
            found[" ".join(full.split()).lower()] = acronym
        elif acronym in KNOWN:
            found[" ".join(full.split()).lower()] = acronym
    return found


def canonical_organisation(name: str, defined: dict[str, str] | None = None) -> str:
    """Canonical display value: the acronym when one is known or defined in the text, else the full name."""
    key = " ".join(name.split()).lower()
    if key.startswith("the "):
        key = key[4:]
    if defined and key in defined:
        return defined[key]
    return _BY_NAME.get(key, " ".join(name.split()))


def abbreviate(text: str, defined: dict[str, str], keep: frozenset[str] = frozenset()) -> str:
    """Replace full organisation names by their acronym (known or ``defined``), dropping "(ACR)" after them.

    Acronyms in ``keep`` are left spelled out.
    """
    def replace(name: str, whole: str) -> str:
        acronym = defined.get(name.lower()) or _BY_NAME.get(name.lower())
        if not acronym or acronym in keep:
            return whole
        return acronym

    text = _KNOWN_WITH_ACRONYM.sub(lambda match: replace(match.group(1), match.group(0)), text)
    if defined:
        text = _replace_defined(text, sorted(defined, key=len, reverse=True), replace)
    return text


#: What may follow a defined name: its acronym in brackets, dropped with it.
_ACRONYM_AFTER_PATTERN = r"(?:\s*\([A-Za-z]{2,10}\))?"
_ACRONYM_AFTER = re.compile(_ACRONYM_AFTER_PATTERN, re.IGNORECASE)


def _replace_defined(text: str, names: list[str], replace: Callable[[str, str], str]) -> str:
    r"""``re.sub(rf"(?i)\b({'|'.join(map(re.escape, names))})(?:\s*\([A-Za-z]{2,10}\))?", ...)`` with
    ``replace(name, whole match)``: the names (lower case) looked up in the lower-cased text where that
    finds what ``(?i)`` would, instead of compiling an alternation for every release."""
    low = ascii_lowered(text) if all(c.isascii() or c == "’" for name in names for c in name) else None
    if low is None:
        pattern = rf"\b({'|'.join(re.escape(n) for n in names)}){_ACRONYM_AFTER_PATTERN}"

        def whole(match: re.Match[str]) -> str:
            return replace(match.group(1), match.group(0))

        return re.sub(pattern, whole, text, flags=re.IGNORECASE)
    first_name: dict[int, int] = {}  # start -> the first name of the alternation found there
    for index, name in enumerate(names):
        start = low.find(name)
        while start >= 0:
            if start not in first_name and WORD_BOUNDARY.match(text, start):
                first_name[start] = index
            start = low.find(name, start + 1)
    pieces: list[str] = []
    position = 0
    for start in sorted(first_name):
        if start < position:
            continue  # inside the previous replacement
        name_end = start + len(names[first_name[start]])
        end = _ACRONYM_AFTER.match(text, name_end).end()  # type: ignore[union-attr]
        pieces += [text[position:start], replace(text[start:name_end], text[start:end])]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def find_organisations(text: str) -> list[str]:
    """Organisations named in the text, in order of first mention, as acronyms or full names."""
    defined = acronym_definitions(text)
    hits: list[tuple[int, str]] = []
    lowered = text.lower() if defined else ""
    for full, acronym in defined.items():
        position = lowered.find(full)
        hits.append((max(position, 0), acronym))
    spans: list[tuple[int, int]] = []
    for match in _KNOWN_NAMES.finditer(text):
        hits.append((match.start(), _BY_NAME[match.group(1).lower()]))
        spans.append(match.span())
    for match in _ACRONYMS.finditer(text):
        word = match.group(1)
        if any(start <= match.start() < end for start, end in spans):
            continue
        if word in _AMBIGUOUS_ACRONYMS and not _acronym_in_context(text, match):
            continue
        hits.append((match.start(), word))
    for match in _pattern_matches(text):
        name = _LEADING_JUNK.sub("", match.group(1)).strip()
        words = name.split()
        for size in (3, 2, 1):
            if len(words) > size + 1 and is_country_name(" ".join(words[:size])):
                name = " ".join(words[size:])
                break
        first = name.split()[0] if name else ""
        if not name or name.lower() in _GENERIC or first.isupper() and first in KNOWN:
            continue
        if len(name.split()) < 2 or name.count("\n"):
            continue
        hits.append((match.start(), canonical_organisation(name, defined)))
    ordered: list[str] = []
    for _, name in sorted(hits):
        name = unify_name(name)
        if name not in ordered:
            ordered.append(name)
    return ordered


def _pattern_matches(text: str) -> list[re.Match[str]]:
    """``list(PATTERN.finditer(text))``, trying ``PATTERN`` only where a match can start: at a capital
    at most five capitalised words before a head word ("Agency", "Council"...)."""
    starts: set[int] = set()
    reversed_text = ""
    for head in _HEAD_AT.finditer(text):
        if not reversed_text:
            reversed_text = text[::-1]
        # the words before the head reach back no further than this (a superset of what PATTERN allows)
        back = _WORDS_BEFORE_REVERSED.match(reversed_text, len(text) - head.start()).end()
        starts.update(m.start() for m in _CAPITAL_AT_WORD_START.finditer(text, len(text) - back, head.start() + 1))
    matches = []
    position = 0
    for start in sorted(starts):
        if start >= position:
            match = PATTERN.match(text, start)
            if match:
                matches.append(match)
                position = match.end()
    return matches


def _acronym_in_context(text: str, match: re.Match[str]) -> bool:
    """An ambiguous acronym ("WHO", "AU") counts only inside mixed-case text, followed by a noun-ish word."""
    line_start = text.rfind("\n", 0, match.start()) + 1
    line_end = text.find("\n", match.end())
    line = text[line_start: line_end if line_end >= 0 else len(text)]
    if sum(map(str.isupper, line)) > 0.5 * sum(map(str.isalpha, line)):
        return False
    word = match.group(1)
    if word == "WHO":
        return bool(_AFTER_WHO.match(text[match.end(): match.end() + 12]))
    return True
