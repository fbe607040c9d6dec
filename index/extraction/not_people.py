"""Candidates that are named things, not people: organisations, programmes, portfolios and headline nouns.

A speaker candidate is a capitalised run the rules took for a name. Three general signs say it names a
thing instead, each a pure function of the name and the release:

- a word built as an abstract or collective noun ("Coordination", "Appointment", "Security",
  "Economics"): English personal names almost never end so;
- the name ends with, or every mention of it is followed by, the head noun of an organisation or an
  instrument ("Murray-Darling Basin Authority", "the Rescue Coordination Centre", "the Safe Haven Act");
- every mention of it follows "of" or "for" directly: the name completes an office or a body ("Ambassador
  for People Smuggling Issues", "Founder of Smart Population"); a person is named in their own right at
  least once.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Container
from functools import lru_cache

from index.text import fold_name

LOGGER = logging.getLogger(__name__)

#: Endings of abstract and collective nouns, each with the shortest word it applies to (so that given
#: names and surnames such as "Clement" or "Rita" stay names).
_NOUN_ENDINGS = (("ation", 7), ("ition", 7), ("ution", 7), ("ment", 8), ("ity", 7), ("ism", 6), ("ics", 7),
                 ("ship", 8), ("ness", 9))
#: Head nouns of organisations, bodies, programmes and instruments.
ORGANISATION_HEADS = frozenset(
    """centre center council commission committee department institute university authority agency
    foundation association party group court tribunal bank fund program programme network union society
    board forum alliance company corporation trust project unit school college hospital church scheme
    strategy plan act bill treaty convention declaration agreement summit conference office bureau
    ministry taskforce force secretariat assembly parliament senate congress organisation organization
    service services initiative campaign fellowship institution inquiry review report centres projects
    programs programmes schemes plans councils committees funds panel limited ltd inc pty war coalition
    administration games olympics championships cup agreements accords treaties protocols conventions
    declarations theatre theater avenue highway gardens poll survey""".split()
)
#: "Founder of", "AMBASSADOR FOR", "Minister for the": an office or a body completed by what follows (not
#: "think of Joe Doe": the word before "of" must be capitalised or a role word).
_OF_FOR = re.compile(r"(?:\b[A-Z][\w'’-]*|\b(?i:founder|head|director|chair|member|minister|secretary|"
                     r"spokesperson|ambassador|commissioner|president|leader))[ \t]+(?:of|for|OF|FOR)[ \t]+"
                     r"(?:(?:the|THE)[ \t]+)?$"
                     # "Minister for Health and | Aged Care": the second portfolio of a list
                     r"|\b(?:of|for|OF|FOR)[ \t]+(?:the[ \t]+)?(?:[A-Z][\w'’-]*[ \t]+){1,2}(?:and|&|AND)[ \t]+$")
_THE_BEFORE = re.compile(r"\b(?:the|The|THE)[ \t]+$")
#: A house number before a name: "13 Munro Street" is an address (a year is not: "In 2009 X said").
_HOUSE_NUMBER = re.compile(r"(?<![\d,.])(?!(?:1[89]|20)\d\d\b)\b\d{1,4}[A-Za-z]?[ \t]+$")
_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z][\w'’-]*)")


def noun_like(word: str) -> bool:
    """True for a word built as an abstract or collective noun: "Coordination", "Appointment", "Security"."""
    low = fold_name(word).strip(".,'’")
    return any(low.endswith(ending) and len(low) >= size for ending, size in _NOUN_ENDINGS)


def names_a_thing(name: str, text: str, spans: list[tuple[int, int]]) -> bool:
    """True when a candidate name reads as an organisation, programme, portfolio or headline noun:
    a noun-built word in it, an organisation head noun ending it or after each of its mentions
    (``spans``: start and end of the name in ``text``), or "of"/"for" before each of its mentions."""
    words = name.split()
    if not words or re.search(r"[А-ЯЁа-яё]", name):
        return False
    # (a given name may end so: "Felicity", "Verity"; the words after it may not)
    if any(noun_like(word) for word in words[1:]) or noun_like(words[0]) and not fold_name(words[0]).endswith("ity") \
            or fold_name(words[-1]) in ORGANISATION_HEADS:
        return True
    if not spans:
        return False
    heads = 0
    after_of = 0
    after_the = 0
    for start, end in spans:
        if _THE_BEFORE.search(text, max(0, start - 5), start) or _HOUSE_NUMBER.search(text, max(0, start - 8), start):
            after_the += 1  # "the Khmer Rouge": a person's name takes no article; "13 Munro Street": an address
        following = _NEXT_WORD.match(text, end)
        if following and fold_name(following.group(1)) in ORGANISATION_HEADS and following.group(1)[:1].isupper():
            heads += 1
        if _OF_FOR.search(text, max(0, start - 40), start):
            after_of += 1
    return heads == len(spans) or after_of == len(spans) or after_the == len(spans)


#: Ranks, offices and occupations written before a name as a title ("Air Marshal Mark Binskin", "Coroner
#: Greg Cavanagh", "Clinical Psychologist Zachary Steel"); never the given name of the person after them.
TITLE_WORDS = frozenset(
    """air marshal brigadier colonel commodore admiral lieutenant sergeant corporal constable detective
    coroner magistrate cardinal archbishop rabbi imam pastor vice-chairman vice-president clinical senior
    psychologist psychiatrist economist scientist journalist columnist commentator historian analyst
    academic lawyer barrister solicitor researcher demographer sociologist former""".split()
)
#: Given names that are also common lower-case words ("Will Goodings", "Mark Butler", "Bill Shorten").
_WORD_NAMES = frozenset(
    """will mark bill grace hope may rose joy guy frank dawn faith june april pat sue rob don ray gene art
    nick pearl ruby amber victor carol sandy iris ivy holly""".split()
)


def trim_title_words(words: list[str], common: Container[str]) -> list[str]:
    """A name without the rank, office or occupation written before it, and without a leading common word
    of the release glued to a three-word run ("Time Julia Gillard"); at least one word is left."""
    while len(words) > 1 and fold_name(words[0]).strip(".,") in TITLE_WORDS:
        words = words[1:]
    while len(words) > 2 and words[0].lower() in common and words[0].lower() not in _WORD_NAMES:
        words = words[1:]
    return words


@lru_cache(maxsize=8192)
def misspelt_role(word: str, roles: frozenset[str]) -> bool:
    """True for a word one letter or one swap away from a role word of six letters or more ("Miniser",
    "Minsiter", "Senatr"): an OCR-damaged title, not a surname."""
    low = fold_name(word).strip(".,")
    if low in roles:
        return False  # a role word itself, spelt right
    for role in roles:
        if len(role) < 6 or abs(len(role) - len(low)) > 1 or low == role:
            continue
        if len(low) == len(role):
            diff = [i for i, (a, b) in enumerate(zip(low, role, strict=True)) if a != b]
            if len(diff) == 1 or len(diff) == 2 and diff[1] == diff[0] + 1 and \
                    low[diff[0]] == role[diff[1]] and low[diff[1]] == role[diff[0]]:
                return True
        else:
            short, long_ = sorted((low, role), key=len)
            if any(long_[:i] + long_[i + 1:] == short for i in range(len(long_))):
                return True
    return False
