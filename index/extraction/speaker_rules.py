"""Checks on the speakers a release yields: names that are people, one entry per person, and the people
only mentioned (their roles are read by ``roles`` and ``header_roles``).

Each rule is a pure function of the release text and the ``People`` of that text, run after the speaker
rules proper (headers, attributions, transcripts, quotes) have proposed their candidates:

- a candidate must read as a person's name: no headline fragments ("Rules Out Peace", "Additional
  Estimates"), role words ("Assisting"), OCR splinters ("Journali ST", "Howa RD"), electorates;
- a candidate whose every mention sits on a contact line ("Media contact: ...", "Authorised by ...") is
  not a speaker;
- a surname-only entry joins the one fuller name it can belong to ("Di Natale", "Richard Di Natale").
"""

from __future__ import annotations

import logging
import re
from collections.abc import Container

from index.text import fold_name

from .keywords import any_within, ascii_lowered, find_word
from .names import HONORIFICS, NOT_NAME, ROLE_WORDS, canonical_person_key, smart_title
from .not_people import misspelt_role, trim_title_words
from .people import People
from .person_or_place import read_as_person
from .release_facts import common_in, facts_of

LOGGER = logging.getLogger(__name__)

#: Words that are never a person's name, beyond the extractor's ``NOT_NAME``: participles and modifiers of
#: roles ("Minister Assisting the Prime Minister"), headline verbs, and common headline nouns.
_NEVER_NAME = frozenset(
    """assisting acting representing responsible designate elect continues continue owns rules says
    calls slams backs urges warns welcomes debate operations operation estimates additional summary study
    islanders funded taxpayer graffiti toilet update budget review inquiry release one two three four five
    six seven eight nine ten more most speaks speak appointed announces visits meets about caller library
    stadium museum airport hotel arena st customs""".split()  # "St": a street or a saint ("619 Elizabeth St Redfern")
)
#: Words that glue a sentence to a name in a capitalised run ("Like Chris Bowen", "Thanks Penny Wong").
_GLUE = frozenset(
    "like as with by and but from to for when if said says thanks thank dear hi hello welcome congratulations "
    "ask tell meet please yes no well so look both all each because yet alright okay ok".split()
)
#: Lines that name contacts, not speakers.
_CONTACT_LINE = re.compile(
    r"(?i)\b(?:media\s+(?:contact|enquir|inquir|adviser|advisor|officer|liaison)|contacts?\s*[:\-–]|"
    r"(?m:^[ \t]*contact\b)|"
    r"further\s+information|for\s+more\s+information|enquiries|inquiries|authori[sz]ed\s+by|"
    r"press\s+secretary|spokes(?:person|man|woman)\s*:|adviser\s*[:,]|advisor\s*[:,])"
)
#: A word every ``_CONTACT_LINE`` match holds (the regex need not scan a stretch without one).
_CONTACT_WORDS = ("media", "contact", "information", "nquiries", "authori", "press", "spokes", "advis")
_PHONE = re.compile(r"\(?\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}")
_PARTICLES = frozenset(
    "van von de di da bin al el le la du der den dos del ter фон дер де ван ди да ле ла аль эль бен бин ибн".split())


_SPLINTER = re.compile(r"[A-Z]{1,2}")
_INITIAL = re.compile(r"[A-Z]\.?")
_CYRILLIC = re.compile(r"[А-ЯЁа-яё]")
_NAME_PARTS = re.compile(r"[\s-]+")


def looks_like_name(name: str, text: str = "") -> bool:
    """True when ``name`` reads as a person's name: capitalised words, no role or headline words, no OCR
    splinters of one or two capitals, and not every word a common lower-case word of the release."""
    words = name.split()
    if not words or len(words) > 5:
        return False
    if any(_SPLINTER.fullmatch(w) and not _INITIAL.fullmatch(w) for w in words[1:]):
        return False  # "Journali ST", "Howa RD", "McGauran Owns UP"
    folded = [fold_name(w).strip(".,'’") for w in words]
    if any(w in _NEVER_NAME or w in ROLE_WORDS for w in folded) or (len(words) == 1 and folded[0] in NOT_NAME):
        return False
    if len(words) == 1 and misspelt_role(words[0], ROLE_WORDS):
        return False  # "Miniser", "Minsiter": an OCR-damaged title
    if not all(w[:1].isupper() or w[:1] in "'’" or w.lower() in _PARTICLES for w in words):
        return False
    if text and not _CYRILLIC.search(name):
        facts = facts_of(text)
        if all(w.lower() in facts.lower_words for w in words) or len(words) > 1 and all(
                common_in(w.lower(), facts.lower_words) for w in words):
            return False  # "Peace Operations", "Debate", "Early Childhood", "Families Matter" (family, matters)
        key = " ".join(fold_name(w) for w in _NAME_PARTS.split(name))
        if key in facts.portfolios:
            return False  # a portfolio or an electorate: "Minister for Early Childhood", "Member for Kingsford-Smith"
        if key in facts.places and not read_as_person(name, text):
            return False  # a place: "people in Macquarie Fields" (not "a look at Jane Doe in X, she said")
    return True


def _one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by one substituted, inserted or deleted letter."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _word_counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for word in re.findall(r"\b[A-Z][a-z'’]{3,}\b", text):
        counts[word] = counts.get(word, 0) + 1
    return counts


def _is_place(word: str, text: str) -> bool:
    """True when the release uses ``word`` as a place or an electorate ("Member for Chifley", "in Chifley")."""
    return bool(text) and fold_name(word) in facts_of(text).single_places


def _elsewhere(part: str, whole: str, text: str) -> bool:
    """True when ``part`` of a run of names also stands in the release without the rest of the run."""
    return len(re.findall(rf"\b{re.escape(part)}\b", text)) > len(re.findall(re.escape(whole), text))


def repair_name(name: str, text: str) -> str | None:
    """Join an OCR-split word ("Howa RD" -> "Howard") when the joined word appears in the release, and
    put right a word misread once ("Tonv Abbott", "Senator Corman") when the release spells it otherwise
    at least twice; None when the name stays broken."""
    words = name.split()
    while len(words) > 2 and (words[0].lower() in _GLUE or _is_place(words[0], text)):
        words = words[1:]  # "Like Chris Bowen", "Chifley Ed Husic"
    if len(words) == 2 and words[0].lower() in _GLUE:
        return None  # "Like Chris"
    common: Container[str] = facts_of(text).lower_words if text else frozenset()
    while len(words) > 2 and (fold_name(words[-1]) in _NEVER_NAME or words[-1].lower() in common
                              or _is_place(words[-1], text)):
        words = words[:-1]  # "Terence Higgins Speaks About", "Louise Arbour Appointed", "X Sinodinos Dandenong"
    words = trim_title_words(words, common)  # "Air Marshal Mark Binskin", "Time Julia Gillard"
    if len(words) > 1 and misspelt_role(words[0], ROLE_WORDS):
        words = words[1:]  # "Minsiter Sample", "Secrtary Example": an OCR-damaged title before the name
    if len(words) >= 4 and text:
        for cut in range(2, len(words) - 1):
            first, second = " ".join(words[:cut]), " ".join(words[cut:])
            if _elsewhere(first, name, text) and _elsewhere(second, name, text):
                return None  # "Joe Hockey Bill Shorten": two people run together
    name = " ".join(words)
    for index in range(1, len(words)):
        if re.fullmatch(r"[A-Z]{1,3}", words[index]) and words[index - 1][:1].isupper():
            joined = smart_title((words[index - 1] + words[index]).upper())
            if find_word(text, joined) >= 0:
                return " ".join(words[: index - 1] + [joined] + words[index + 1:])
            return None
    return name


def on_contact_lines(people: People, key: str, text: str) -> bool:
    """True when every mention of a person sits on a contact line ("Media contact: Jane Doe 0400 ...")."""
    positions = people.persons[key].mentions or [people.persons[key].first]
    for position in positions:
        start = text.rfind("\n", 0, max(0, position)) + 1
        end = text.find("\n", position)
        keyword = None
        # (a mention may open with the keyword itself: "Contact Jon Doe - 0400 ...")
        if any_within(text, _CONTACT_WORDS, start, position + 8):
            for match in _CONTACT_LINE.finditer(text, start, position + 8):
                keyword = match
        if keyword and position - keyword.end() <= 80:
            continue  # "Media contact: Jane Doe", "Authorised by J. Doe"
        line = text[start: end if end >= 0 else len(text)]
        if len(line) < 160 and _PHONE.search(line) and any_within(
                text, _CONTACT_WORDS, start - 120, start) and _CONTACT_LINE.search(text, max(0, start - 120), start):
            continue  # a contact's name and number on the line after "Media enquiries:"
        return False
    return True


def merge_variants(keys: list[str], people: People) -> list[str]:
    """One entry for spellings of one person in a release: surnames one letter apart with the same given
    name or initial ("Corman" / "Cormann", "Tonv Abbott" / "Tony Abbott"); the form mentioned more often
    stays."""
    out = list(keys)
    for key in keys:
        if key not in out:
            continue
        words = key.split()
        for other in list(out):
            if other == key or other not in out:
                continue
            other_words = other.split()
            same_surname = words[-1] == other_words[-1]
            if not (same_surname or (len(words[-1]) >= 5 and _one_edit(words[-1], other_words[-1]))):
                continue
            given, other_given = words[:-1], other_words[:-1]
            if given and other_given and not (given[0] == other_given[0] or (
                    same_surname and len(given[0]) >= 3 and _one_edit(given[0], other_given[0]))):
                continue
            if same_surname and (not given or not other_given):
                continue  # "Bowen" and "Chris Bowen": merge_partials decides
            weaker, stronger = sorted((key, other), key=lambda k: len(people.persons[k].mentions))
            out.remove(weaker)
            people.persons[stronger].role = people.persons[stronger].role or people.persons[weaker].role
            if weaker == key:
                break
    return out


def merge_partials(keys: list[str], people: People) -> list[str]:
    """Drop a surname-only key when exactly one fuller speaker ends with that surname ("di natale" and
    "richard di natale"; "hanson-young" and "sarah hanson-young"); the fuller one keeps the place."""
    out: list[str] = []
    for key in keys:
        words = key.split()
        fuller = [
            other for other in keys
            if other != key and len(other.split()) > len(words) and other.split()[-len(words):] == words
        ]
        if len(fuller) == 1 and (len(words) == 1 or words[0] in _PARTICLES or _always_titled(people, key) and not
                                 _glued_words(fuller[0].split()[: -len(words)], people.text)
                                 and not _glued_in_run(people, fuller[0])):
            kept = people.persons[fuller[0]]
            kept.role = kept.role or people.persons[key].role
            continue  # "Di Natale" is Richard Di Natale; "Senator Hill Marsh" is Lena Hill Marsh
        out.append(key)
    # "Customs Sussan Ley" beside "Sussan Ley": a word glued before a name the release also gives alone
    out = [key for key in out if not any(
        other != key and len(other.split()) >= 2 and len(key.split()) > len(other.split())
        and key.split()[-len(other.split()):] == other.split() and other.split()[0] not in _PARTICLES
        for other in out)]
    return [key for key in out if not _variant_of_other(key, out, people)]


def absorb_fuller(keys: list[str], people: People) -> list[str]:
    """Keys of speakers named only by a double surname after a title ("Senator Hill Marsh said") whose full
    name the release gives once without their speaking ("Senator for Tasmania Lena Hill Marsh has written"):
    the speaker takes that name, its mentions and its role. Only where the last word never stands without
    the word before it in the text (a double surname, not a given name: "Senator Penny Wong" beside "Wong"),
    the fuller name follows a title at least once, and its first words appear nowhere without the rest
    ("Training Simon Sample" beside "Minister for Education and Training" is glued). Returns the keys of the
    fuller names absorbed."""
    from .roles import clean_role

    absorbed: list[str] = []
    for key in keys:
        words = key.split()
        if len(words) < 2 or not _always_titled(people, key):
            continue
        fuller = [other for other in people.persons
                  if other not in keys and len(other.split()) > len(words) and other.split()[-len(words):] == words]
        if len(fuller) != 1 or not _double_surname(people.persons[key].name, people.text) or not any(
                m.person == fuller[0] and m.kind == "full" and (m.honorific or m.name_start > m.start)
                for m in people.mentions):
            continue  # (the fuller name must itself follow a title once: "Senator for Tasmania Lena Hill Marsh")
        person, other = people.persons[key], people.persons[fuller[0]]
        given = " ".join(other.name.split()[: -len(words)])
        if not looks_like_name(other.name, people.text) or people.text.count(given) != people.text.count(
                f"{given} {person.name}"):
            continue  # "Training" of "Minister for Education and Training" stands elsewhere: glued, not a name
        person.name = other.name
        person.mentions = sorted({*person.mentions, *other.mentions})
        stated = [clean_role(m.role, other.name) for m in people.mentions if m.person == fuller[0] and m.role]
        person.role = next((role for role in stated if role), None) or person.role or other.role
        for mention in people.mentions:
            if mention.person == fuller[0]:
                mention.person = key  # (the roles around those mentions are the speaker's)
        absorbed.append(fuller[0])
    return absorbed


def _double_surname(name: str, text: str) -> bool:
    """True when the last word of ``name`` appears in ``text`` only right after the word before it."""
    *before, last = name.split()
    joined = f"{before[-1]} {last}"
    return find_word(text, last) >= 0 and text.count(last) == text.count(joined)


def _glued_words(words: list[str], text: str) -> bool:
    """True when the words before a name end a portfolio or an electorate of the release or are common
    lower-case words of it ("Minister for Education and Training | Simon Sample"): glued to the name."""
    facts = facts_of(text)
    portfolio_words = {word for run in facts.portfolios for word in run.split()}
    return any(word in facts.lower_words or word in facts.single_places
               or any(p.startswith(word) for p in portfolio_words) for word in words)  # ("Affair" of "Affairs")


def _glued_in_run(people: People, key: str) -> bool:
    """True when a name's first word follows a connector or another capitalised word that is no title in
    its run ("... and Multicultural Affair David Doe"): the end of a portfolio glued to the name, where
    "Senator Natasha Doe" has a title before it."""
    for mention in people.mentions:
        if mention.person != key or mention.kind != "full":
            continue
        before = re.search(r"([\w&'’.]+)[ \t]+$", people.text[max(0, mention.name_start - 40): mention.name_start])
        if not before:
            continue
        word = fold_name(before.group(1)).strip(".")
        if word in ("and", "&", "for", "of") or before.group(1)[:1].isupper() and word not in HONORIFICS \
                and word not in ROLE_WORDS:
            return True
    return False


def _always_titled(people: People, key: str) -> bool:
    """True when every mention of a name comes after an honorific ("Senator Hill Marsh"): a double
    surname, not a given name and a surname, so a fuller name ending with it is the same person (where
    "Simon Sample" beside "Training Simon Sample" is the name, and the longer one glued)."""
    named = [m for m in people.mentions if m.person == key and m.kind in ("full", "partial", "bare")]
    return bool(named) and all(m.honorific or m.name_start > m.start for m in named)


def _variant_of_other(key: str, keys: list[str], people: People) -> bool:
    """True when a speaker key is another speaker's name with a word glued after it ("Rob Example Tel",
    "Jane Doe Julie" beside "Rob Example", "Jane Doe"), or is only the given name of exactly one
    other speaker ("Gareth" beside "Gareth Sample", as a host greets a guest); the other keeps the role."""
    words = key.split()
    for cut in range(2, len(words)):
        other_key = " ".join(words[:cut])
        if other_key in keys and words[cut - 1] not in _PARTICLES:  # ("... Hill Tel", "... Doe Lift Your Game")
            other = people.persons[other_key]
            other.role = other.role or people.persons[key].role
            return True
    if len(words) == 1 and not _labels_a_line(key, people.text):
        # (a given name that labels turns, "DAVID:", is a speaker of its own, whoever it is)
        owners = [other for other in keys if len(other.split()) >= 2 and other.split()[0] == key]
        return len(owners) == 1 and not any(
            other != key and other.split()[-1] == key for other in keys)  # not "Sample" as a surname
    return False


_COLON_AFTER = re.compile(r"[ \t]*:")


def _labels_a_line(key: str, text: str) -> bool:
    """``re.search(rf"(?im)^[ \t]*{re.escape(key)}[ \t]*:", text)``: a line opens with the word and a colon
    ("DAVID:"); looked up in the lower-cased text where ``ascii_lowered`` allows (no regex per name)."""
    low = ascii_lowered(text) if key.isascii() else None
    if low is None:
        return bool(re.search(rf"(?im)^[ \t]*{re.escape(key)}[ \t]*:", text))
    key = key.lower()
    start = low.find(key)
    while start >= 0:
        line_start = text.rfind("\n", 0, start) + 1
        if not text[line_start:start].strip(" \t") and _COLON_AFTER.match(text, start + len(key)):
            return True
        start = low.find(key, start + 1)
    return False


def display_key(name: str) -> str:
    """The canonical key of a display name (one place for the rules here and in ``extract``)."""
    return canonical_person_key(name)


