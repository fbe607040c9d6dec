"""Checks on the speakers a release yields: names that are people, roles from the letterhead, one entry
per person, and the people only mentioned.

Each rule is a pure function of the release text and the ``People`` of that text, run after the speaker
rules proper (headers, attributions, transcripts, quotes) have proposed their candidates:

- a candidate must read as a person's name: no headline fragments ("Rules Out Peace", "Additional
  Estimates"), role words ("Assisting"), OCR splinters ("Journali ST", "Howa RD"), electorates;
- a candidate whose every mention sits on a contact line ("Media contact: ...", "Authorised by ...") is
  not a speaker;
- a role is what the letterhead or the text beside the name says, not an honorific ("Senator") and not
  cut short ("Minister" where the letterhead says "Minister for Housing");
- a surname-only entry joins the one fuller name it can belong to ("Di Natale", "Richard Di Natale").
"""

from __future__ import annotations

import logging
import re
from collections.abc import Container
from functools import lru_cache

from index.text import fold_name

from .keywords import Keywords, find_word
from .names import HONORIFICS, NOT_NAME, ROLE_WORDS, canonical_person_key, smart_title
from .not_people import misspelt_role, trim_title_words
from .people import People

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
_LOCATIVE = "in|at|near|around|across|throughout"
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
#: Honorifics and release words that are not a role on their own.
_NOT_ROLE = frozenset(
    """senator sen hon the honourable mp mhr mlc qc dr mr mrs ms media release statement transcript
    joint news press senate sir dame""".split()
)
#: Words that open a new role in a run of roles ("... Minister for Y Member for Z").
_ROLE_HEADS = re.compile(
    r"(?<!\bPrime)(?<!\bPRIME)(?<!\bChief)\s+(?=(?:Shadow\s+|Deputy\s+|Federal\s+|Assistant\s+|Acting\s+|"
    r"Parliamentary\s+|Chief\s+)*"
    r"(?:Minister|Member|Senator\s+for|Leader|Treasurer|Attorney|Secretary|Parliamentary\s+Secretary|"
    r"Manager|Spokesperson|Spokesman|Chair|President)\b)"
)
_ROLE_LINE = re.compile(
    r"^\s*(?:the\s+)?(?:(?-i:[A-Z])[\w'’-]*\s+(?:(?:and|&)\s+)?){0,4}?(?:(?:shadow|deputy|federal|assistant|acting|parliamentary|special)\s+)*"
    r"(?:minister|member|leader|treasurer|attorney|secretary|senator\s+for|spokes\w+|president|premier|"
    r"chief|director|chair|ambassador|commissioner|manager)\b",
    re.IGNORECASE,
)
_MONTHS_DAYS = (r"January|February|March|April|May|June|July|August|September|October|November|December|"
                r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday")
#: Time and sentence words before a title in running text: "In April", "Last week", "Now the".
_LEADING_CONTEXT = re.compile(
    rf"^(?:(?:(?i:in|at|on|as|so|now|well|then|given|last|this|next|early|late|today|yesterday|tonight|earlier|"
    rf"later|meanwhile)|{_MONTHS_DAYS}|\d+)\s+)+"
    rf"(?:the\s+)?(?=[A-Z])"
)
#: Lower-case words and "the (then)" before a title: the end of the sentence a role was cut from.
_LOWER_LEAD = re.compile(
    r"^(?:(?!(?:leader|member|minister|spokes\w*|secretary|president|chair\w*|head|deputy|shadow)\b)[a-z][\w'’-]*\s+)+?"
    r"the\s+(?:then\s+|former\s+|late\s+)?(?=[A-Z])")
#: Words that open a sentence before a title ("As President Example said", "Given Minister Sample's ...").
_SENTENCE_OPENERS = frozenset(
    "as so given then but and if when while now well because since after of for to with from by".split())
HEAD_CHARS = 1200
TAIL_CHARS = 500
_PARTICLES = frozenset(
    "van von de di da bin al el le la du der den dos del ter фон дер де ван ди да ле ла аль эль бен бин ибн".split())
#: A line that names its own holder: "... HON ALEXANDER DOWNER, MP", "Senator X".
_OTHER_HOLDER = re.compile(r"\b(?:(?:HON|Hon|MP|MHR)\b|M\.P\.|(?:SENATOR|Senator)\s+[A-Z])")


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
        facts = _facts(text)
        if all(w.lower() in facts.lower_words for w in words):
            return False  # "Peace Operations", "Debate", "Early Childhood"
        key = " ".join(fold_name(w) for w in _NAME_PARTS.split(name))
        if key in facts.portfolios:
            return False  # a portfolio or an electorate: "Minister for Early Childhood", "Member for Kingsford-Smith"
        if key in facts.places and not re.search(
                rf"(?:\b(?:Mr|Mrs|Ms|Dr|Senator|Minister)\.?\s+|\b[A-Z][a-z]+\s+){re.escape(name)}\b|"
                rf"\b{re.escape(name)},?\s+(?:said|says|told)\b|"
                rf"\b{re.escape(name)}\b[^.,\n]{{0,30}},\s+(?:he|she)\s+(?:\w+\s+)?(?:said|says|told)\b", text):
            return False  # a place: "people in Macquarie Fields" (not "a look at Jane Doe in X, she said")
    return True


class _Facts:
    """What the name checks need to know about one release, read once."""

    __slots__ = ("lower_words", "places", "portfolios", "single_places")

    def __init__(self, text: str) -> None:
        self.lower_words = LowerWords(text)
        self.places: set[str] = set()
        self.single_places: set[str] = set()
        for match in _LOCATIVE_RUN.finditer(text):
            words = match.group(1).split()
            for size in range(1, len(words) + 1):
                self.places.add(" ".join(fold_name(w) for w in words[:size]))
            if len(words) == 1:
                self.single_places.add(fold_name(words[0]))
        self.portfolios: set[str] = set()
        for match in _PORTFOLIO_RUN.finditer(text):
            words = re.split(r"[\s-]+", match.group("run").strip())
            for size in range(1, len(words) + 1):
                self.portfolios.add(" ".join(fold_name(w) for w in words[:size]))
            if match.group("seat") or match.group("senator"):
                self.single_places.add(fold_name(words[0]))


#: "in", "at", "near", "around", "across", "throughout" in any case after no word character, then a
#: capitalised run: what ``(?i:\b(?:in|at|near|around|across|throughout))\s+(...)`` matches. The first
#: letter is one plain character class (with "İ" and "ı", which ``(?i)`` also takes for an "i") checked
#: before the rest, so the engine jumps between those letters instead of trying six words everywhere.
_LOCATIVE_RUN = re.compile(
    r"[iIİıaAnNtT](?<!\w.)(?:(?<=[iIİı])(?i:n)|(?<=[aA])(?i:t|round|cross)|(?<=[nN])(?i:ear)|"
    r"(?<=[tT])(?i:hroughout))\s+((?-i:[A-Z])[\w'’-]*(?:[ \t]+(?-i:[A-Z])[\w'’-]*){0,3})"
)
#: What ``(?i)\b(?:minister|(?P<seat>member|senator|mp)|spokes\w+|secretary)\s+for\s+(?:the\s+)?`` matches,
#: the first letter picked as in ``_LOCATIVE_RUN`` ("ſ" is an "s" to ``(?i)``); a member's or an MP's seat
#: sets "seat", a senator's "senator".
_PORTFOLIO_RUN = re.compile(
    r"[mMsSſ](?<!\w.)(?:(?<=[mM])(?i:inister|(?P<seat>ember|p))|"
    r"(?<=[sSſ])(?i:(?P<senator>enator)|pokes\w+|ecretary))(?i:\s+for\s+(?:the\s+)?)"
    r"(?=(?P<run>(?:[\w'’]+[ \t-]+){0,3}[\w'’]+))"
)


class LowerWords:
    r"""The lower-case words of a release (not in e-mail and web addresses: "andrew.broad.mp@aph.gov.au"),
    to ask ``word in``: the words ``(?<![\w'’.@/-])[a-z][a-z'’-]+(?![\w'’.@/-]|\.\w)`` finds. Such a word
    is a whole run of ``[\w'’.@/-]`` characters, so a question looks for the word standing alone in the
    text (the answer is kept) instead of listing every word of the release first."""

    __slots__ = ("_answers", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._answers: dict[str, bool] = {}

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        answer = self._answers.get(word)
        if answer is None:
            answer = self._answers[word] = bool(_LOWER_WORD.fullmatch(word)) and self._stands_alone(word)
        return answer

    def _stands_alone(self, word: str) -> bool:
        text, size = self._text, len(word)
        start = text.find(word)
        while start >= 0:
            if not (start and _WORD_CHAR.match(text, start - 1)) and not _WORD_CHAR.match(text, start + size):
                return True
            start = text.find(word, start + 1)
        return False


_LOWER_WORD = re.compile(r"[a-z][a-z'’-]+")
_WORD_CHAR = re.compile(r"[\w'’.@/-]")


@lru_cache(maxsize=4)
def _facts(text: str) -> _Facts:
    return _Facts(text)


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
    return bool(text) and fold_name(word) in _facts(text).single_places


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
    common: Container[str] = _facts(text).lower_words if text else frozenset()
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
    words = _contact_words(text)
    for position in positions:
        start = text.rfind("\n", 0, max(0, position)) + 1
        end = text.find("\n", position)
        keyword = None
        # (a mention may open with the keyword itself: "Contact Jon Doe - 0400 ...")
        if words.within(start, position + 8):
            for match in _CONTACT_LINE.finditer(text, start, position + 8):
                keyword = match
        if keyword and position - keyword.end() <= 80:
            continue  # "Media contact: Jane Doe", "Authorised by J. Doe"
        line = text[start: end if end >= 0 else len(text)]
        if len(line) < 160 and _PHONE.search(line) and words.within(start - 120, start) and _CONTACT_LINE.search(
                text, max(0, start - 120), start):
            continue  # a contact's name and number on the line after "Media enquiries:"
        return False
    return True


@lru_cache(maxsize=4)
def _contact_words(text: str) -> Keywords:
    return Keywords(text, _CONTACT_WORDS)


_ROLE_CUT = re.compile(
    r"\s+(?:the\s+)?(?:Hon\b|HON\b|MP\b|M\.P\.|(?:Senator|SENATOR)\s+[A-Z]|to\s+(?!the\b)[a-z]+\b)|"
    r"\s+(?:and|&)\s+(?=(?:[A-Z][\w'’-]+\s+){1,3}(?:MP\b|M\.P\.|MHR\b))|"  # "... for Housing and Ben Trial MP"
    r",\s(?![A-Z][\w'’&-]*[^,\n]{0,40}\s(?:and|&)\s)|\s[|–—]\s|"  # (not "Immigration, Local Government and ...")
    r"\s+(?:(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|\d)|"  # a date after the letterhead role
    r"(?<=[a-z])\s+(?!A\s+N\s+D\b)[A-Z]\.?\s+[A-Z]\.?\s+[A-Z][a-z]{2,}"  # initials and a name ("... I J Doe")
)


def is_role_line(role: str) -> bool:
    """True when ``role`` reads as an office ("Prime Minister", "Senator for Tasmania", "Water Minister"):
    capitalised words, then a role head word."""
    return bool(_ROLE_LINE.match(role)) and role[:1].isupper()


def clean_role(role: str | None, name: str = "") -> str | None:
    """A role without honorifics and release words around it, cut where another person's letterhead,
    the person's own name or a headline starts ("Minister McGauran Owns Up ..." -> "Minister"), and the
    first of several roles run together; None when nothing role-like is left."""
    if not role:
        return None
    role = " ".join(role.split())
    surname = name.split()[-1] if name.split() else ""
    if surname and len(surname) > 2:
        found = find_word(role, surname)
        if found >= 0:
            role = role[:found]
    role = _LEADING_CONTEXT.sub("", role)  # "In April Immigration Minister", "Now the Finance Minister"
    role = _LOWER_LEAD.sub("", role)  # "reading speech the then Minister for ...": the words before "the"
    cut = _ROLE_CUT.search(role)
    if cut and cut.start() > 0:
        role = role[: cut.start()]
    parts = split_roles(role)
    if len(parts) > 1:
        role = next((part for part in parts if _ROLE_LINE.match(part)), parts[0])
    words = role.split()
    while words and (fold_name(words[0]).strip(".,") in _NOT_ROLE | _SENTENCE_OPENERS and not (
            fold_name(words[0]) == "senator" and len(words) > 1 and words[1].lower() == "for")):
        words.pop(0)  # honorifics, release words, a sentence's first word ("As President", "So President")
    name_words = {fold_name(word).strip(".,") for word in name.split()}
    while words and (fold_name(words[-1]).strip(".,") in (_NOT_ROLE - {"senator"}) | name_words | _TRAILING
                     or fold_name(words[-1]) == "senator" and _HEAD_WORD.search(" ".join(words[:-1]))) and not (
            len(words) > 2 and fold_name(words[-1]) == "senate" and words[-2].lower() == "the"):  # "in the Senate"
        # release words, the person's own given name ("Deputy Director Marta" for Marta Lindgren), a
        # connector left where a line or a cut ended ("Leader of the Opposition in"), or "Senator" after
        # another role ("Communications Minister Senator")
        words.pop()
    if len(words) == 1 and fold_name(words[0]) == "senator" or not words:
        return None
    if all(fold_name(word) in _MODIFIERS for word in words):
        return None  # "Shadow" where a blank line cut the role short
    if fold_name(words[0]) in ("office", "department", "electorate"):
        return None  # "Office of Senator X": a body, not an office held
    while words and not re.search(r"[^\W\d_]", words[-1]):
        words.pop()  # "(062)", "-", "|" left after a role
    if not words:
        return None
    role = " ".join(words).strip(" ,;|-–—(")
    if role.isupper() and len(role) > 4:
        role = first_role(role) or role
    return role or None


_HEAD_WORD = re.compile(
    r"(?i)\b(?:minister|member|senator|leader|treasurer|attorney|secretary|manager|spokes\w+|chair\w*|president|"
    r"premier|director|commissioner|ambassador|chief|head|officer)\b"
)
_MODIFIERS = frozenset("shadow deputy federal assistant acting parliamentary special the".split())
#: Words a role never ends with: it runs on after them ("Parliamentary Secretary to the | Prime Minister").
_TRAILING = frozenset("to of for in on at and & with the a an".split())


def split_roles(line: str) -> list[str]:
    """A run of roles split where a new role starts, modifiers kept with the role they open:
    "Deputy Leader of the Opposition Shadow Minister for X" -> ["Deputy Leader of the Opposition",
    "Shadow Minister for X"]."""
    parts: list[str] = []
    for part in (part for part in _ROLE_HEADS.split(line) if part.strip()):
        if parts and parts[-1].split()[-1].lower() in _TRAILING - {"the"}:
            parts[-1] = f"{parts[-1]} {part.strip()}"  # "Parliamentary Secretary to" + "Prime Minister"
        else:
            parts.append(part)
    out: list[str] = []
    carry: list[str] = []
    for index, part in enumerate(parts):
        words = carry + part.split()
        carry = []
        while words and words[-1].lower() in _MODIFIERS:
            carry.insert(0, words.pop())
        if not words:
            continue
        following = parts[index + 1].split()[:1] if index + 1 < len(parts) else []
        if not _HEAD_WORD.search(" ".join(words)) and not carry and following \
                and following[0].lower() not in _MODIFIERS:
            carry = words  # "Australian Greens" qualifies the role that follows: "... Leader"
            continue
        out.append(" ".join(words))
    if carry:
        out.append(" ".join(carry))
    return out


_CAPS_RUN = re.compile(r"\s(?:[A-Z][A-Z'’&-]+\b\s*){2,}")


def _before_caps_headline(line: str) -> str:
    """A mixed-case line up to an upper-case headline run onto it by the PDF's extraction: "Shadow
    Minister for Housing  LABOR'S PLAN WILL CONTINUE" -> "Shadow Minister for Housing"."""
    if line.isupper():
        return line
    caps = _CAPS_RUN.search(line)
    return line[: caps.start()] if caps else line


def first_role(line: str) -> str | None:
    """The first role in a run of roles, as written: "Shadow Minister for Defence Member for Corio" ->
    "Shadow Minister for Defence"; upper-case runs are title-cased; a mixed-case role stops where an
    upper-case headline starts."""
    line = " ".join(line.split()).strip(" ,;|-–—")
    if not line:
        return None
    if line.isupper():
        line = " ".join(w.lower() if w.lower() in ("for", "of", "and", "the", "on", "in") else smart_title(w)
                        for w in line.split())
    else:
        line = _before_caps_headline(line)
    parts = split_roles(line)
    role = parts[0].strip(" ,;") if parts else ""
    role = re.sub(r"\s+(?:MP|M\.P\.|MHR|Senator)$", "", role)
    return role if _ROLE_LINE.match(role) else None


def letterhead_role(people: People, key: str, text: str, speakers: list[str] | None = None) -> str | None:
    """The role the letterhead gives an issuer: the rest of the name's line ("Kelvin Thomson MP Shadow
    Minister for ..."), else a role line just above or below it within the header block, not beyond a
    line that names another of the release's ``speakers`` (keys) or another holder ("Hon", "MP")."""
    person = people.persons[key]
    tail = len(text) - TAIL_CHARS
    positions = [p for p in (person.mentions or [person.first]) if 0 <= p < HEAD_CHARS or p >= tail]
    for position in positions[:2] + positions[-1:]:
        start = text.rfind("\n", 0, position) + 1
        end = text.find("\n", position)
        end = end if end >= 0 else len(text)
        if end - start > 160:
            continue  # prose, not a letterhead
        after = _after_surname(text[position:end], person.name.split()[-1])
        rest = text[position + after: end] if after is not None else ""
        role = first_role(_heading_part(rest)) if rest.strip() else None
        if role:
            return role
        above = [line for line in text[max(0, start - 300): start].split("\n") if line.strip()][-3:]
        following = [line for line in text[end: end + 300].split("\n") if line.strip()][:2]
        others = _other_surnames(people, key, speakers)
        lines = above[-2:]
        if len(above) >= 2 and _holder_line(above[-2], others) and not _holder_line(above[-1], others):
            lines = []  # "BEN TRIAL MP / MINISTER FOR X / SENATOR KAYE SAMPLE": the role above is Trial's
        for direction in (list(reversed(lines)), following):
            for line in direction:
                if _holder_line(line, others):
                    break  # another person's letterhead: the roles beyond it are theirs
                line = _before_caps_headline(line)
                if len(line) > 120 or len(line.split()) >= 12 or not heading_words(line):
                    continue
                role = first_role(line)
                if role:
                    return role
    return _footer_role(people, key, text)


def _footer_role(people: People, key: str, text: str) -> str | None:
    """The role on a line that opens with the person's full name anywhere in the release: a letterhead
    repeated as a page footer ("Jane Doe Federal Member for Northfield | Leader of the Small Party")."""
    person = people.persons[key]
    if len(person.name.split()) < 2:
        return None
    for after in _name_line_starts(text, person.name):
        end = text.find("\n", after)
        line = text[after: end if end >= 0 else len(text)]
        if len(line) <= 120 and heading_words(line.split("|")[0]):
            role = first_role(_heading_part(line))
            if role:
                return role
    return None


_FOOTER_TAIL = re.compile(r"\b[ \t,]*(?:(?:MP|MHR|M\.P\.)\b[ \t,]*)?(?=\S)")


def _name_line_starts(text: str, name: str) -> list[int]:
    r"""Where the rest of each line that opens with ``name`` starts, as ``re.finditer(rf"(?m)^[ \t]*{name}\b
    [ \t,]*(?:(?:MP|MHR|M\.P\.)\b[ \t,]*)?(?=\S)", text)`` ends: the name's places looked up in the text
    instead of a regex per name trying every position."""
    ends = []
    start = text.find(name) if name else -1
    while start >= 0:
        line_start = text.rfind("\n", 0, start) + 1
        if not text[line_start:start].strip(" \t"):
            tail = _FOOTER_TAIL.match(text, start + len(name))
            if tail:
                ends.append(tail.end())
        start = text.find(name, start + 1)
    return ends


_POST_NOMINALS = r"[\s,]*(?:(?:MP|M\.P\.|MHR|QC|AO)\b[\s,.]*)*"
_AFTER_SURNAME = re.compile(rf"(?i){_POST_NOMINALS}")
_WORD_END = re.compile(r"\b")


def _after_surname(line: str, surname: str) -> int | None:
    """Where the post-nominals after a surname end ("Bowen MP, " in "Chris Bowen MP, Minister ..."): the
    first place ``surname`` ends a word in any case, if it starts within 40 characters; ASCII lines are
    searched without a regex per surname."""
    if not (line.isascii() and surname.isascii()):
        pattern = re.escape(surname).replace("'", "['’]")
        found = re.search(rf"(?i){pattern}\b{_POST_NOMINALS}", line)
        return found.end() if found and found.start() < 40 else None
    low, surname = line.lower(), surname.lower()
    start = low.find(surname)
    while 0 <= start < 40:
        if _WORD_END.match(line, start + len(surname)):
            return _AFTER_SURNAME.match(line, start + len(surname)).end()  # type: ignore[union-attr]
        start = low.find(surname, start + 1)
    return None


def _holder_line(line: str, others: list[str]) -> bool:
    """True for a letterhead line that names a holder ("Hon", "MP") or another speaker of the release."""
    return bool(_OTHER_HOLDER.search(line)) or any(find_word(line, o) >= 0 for o in others)


def _other_surnames(people: People, key: str, speakers: list[str] | None) -> list[str]:
    """Surnames of the release's other speakers named in full (a line naming one is their letterhead)."""
    own = people.persons[key].name.split()[-1].lower()
    names = [people.persons[k].name for k in (speakers or []) if k != key and k in people.persons]
    return [name.split()[-1] for name in names
            if len(name.split()) >= 2 and len(name.split()[-1]) > 2 and name.split()[-1].lower() != own]


_HEADING_LOWER = frozenset("for of and the on in to at with & -".split())


def heading_words(line: str) -> bool:
    """True for a line written as a heading or letterhead, not a sentence or a transcript turn: before its
    first comma, the first lower-case word that is not a connector is a role word ("spokesperson",
    "leader") or there is none ("Minister for Housing", "Greens spokesperson for health"); "The Minister
    said the ...", "Prime Minister, good morning.", "PRIME MINISTER:" (the label of someone else's turn)
    are not."""
    line = line.strip()
    if not line or line[-1] in ".?!" or line[-1] == ":" and "," not in line or re.search(r"\w:\s", line):
        return False
    head = line.lstrip(" ,").split(",")[0].split()
    while head and head[-1] in _HEADING_LOWER:
        head.pop()  # "Parliamentary Secretary to" (the office runs on to the next line)
    return _heading_part(line) == " ".join(head)


def _heading_part(line: str) -> str:
    """The start of a line up to its first comma or its first lower-case word that is neither a connector
    nor a role word: "Federal Member for Stirling Labor hiding details" -> "Federal Member for Stirling
    Labor"; "" for a transcript turn (": Prime Minister, good morning")."""
    if line.lstrip().startswith(":"):
        return ""
    kept: list[str] = []
    words = line.lstrip(" ,").split(",")[0].split()
    for index, word in enumerate(words):
        if word[:1].islower() and fold_name(word).strip(".,;:") in ROLE_WORDS:
            kept.extend(words[index:])  # "Greens spokesperson on family and community services"
            break
        if word[:1].islower() and word not in _HEADING_LOWER:
            break
        kept.append(word)
    while kept and kept[-1] in _HEADING_LOWER:
        kept.pop()
    return " ".join(kept)


def better_role(current: str | None, letterhead: str | None, name: str = "") -> str | None:
    """The letterhead's role where the current one is missing, an honorific, or a cut-off start of it."""
    current = clean_role(current, name)
    letterhead = clean_role(letterhead, name)
    if not letterhead:
        return current
    if not current:
        return letterhead
    low, full = fold_name(current), fold_name(letterhead)
    if full.startswith(low) and len(full) > len(low):
        return letterhead  # "Minister" for "Minister for Housing"
    return current


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


def _glued_words(words: list[str], text: str) -> bool:
    """True when the words before a name end a portfolio or an electorate of the release or are common
    lower-case words of it ("Minister for Education and Training | Simon Sample"): glued to the name."""
    facts = _facts(text)
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
    if len(words) == 1 and not re.search(rf"(?im)^[ \t]*{re.escape(key)}[ \t]*:", people.text):
        # (a given name that labels turns, "DAVID:", is a speaker of its own, whoever it is)
        owners = [other for other in keys if len(other.split()) >= 2 and other.split()[0] == key]
        return len(owners) == 1 and not any(
            other != key and other.split()[-1] == key for other in keys)  # not "Sample" as a surname
    return False


def display_key(name: str) -> str:
    """The canonical key of a display name (one place for the rules here and in ``extract``)."""
    return canonical_person_key(name)


_ROLE_BEFORE = re.compile(
    r"(?P<role>(?:[\w'’-]+\s+){0,4}(?:[Ss]pokes(?:person|man|woman)|[Cc]andidate|[Aa]nalyst|[Cc]ommentator|[Ee]conomist|[Aa]mbassador|[Aa]dviser|Leader|Minister|Secretary|Treasurer|"
    r"Attorney-General|Senator|Member|Chair(?:man|woman)?|President|Director|Commissioner|Premier|"
    r"Coroner|Ombudsman|Auditor-General|Solicitor-General|Inspector-General|Governor|Mayor|Magistrate|Registrar)"
    r"(?:\s+(?:for|of|on)\s+(?:the\s+)?[\w'’&-]+(?:,?\s+(?:and|&)\s+[\w'’&-]+|,\s+[A-Z][\w'’&-]*(?=[^,\n]{0,40}\s(?:and|&)\s)"
    r"|\s+(?!Senator\b|Mr\b|Ms\b|Dr\b|The\s+Hon\b|(?:has|have|had|is|was|were|are|will|would|said|says|who|which|"
    r"that|with|joined|and)\b)[A-Za-z][\w'’&-]*){0,8})?)\s*,?\s+"
    r"(?:(?:Senator|[Tt]he\s+Hon\.?|Hon\.?|Dr|Mr|Ms|Mrs|Professor)\s+)*(?:the\s+)?$"
)


#: Occupations written in lower case before a name ("Electoral analyst Professor X", "our ambassador X").
_LOWER_HEADS = frozenset("candidate analyst commentator economist ambassador adviser".split())
_LEAD_WORDS = frozenset(
    "the a an and that said says say by of with his her their our its former today yesterday also as but "
    "when while after according to from".split()
)


def label_role(role: str) -> str | None:
    """A transcript label's role in normal case: "LEADER OF THE OPPOSITION" -> "Leader of the Opposition"."""
    role = " ".join(role.replace(":", " ").split()).strip(" ,")
    if not role or len(role.split()) > 12:
        return None
    if role.isupper():
        role = " ".join(w.lower() if w.lower() in ("for", "of", "and", "the", "on", "in") else smart_title(w)
                        for w in role.split())
        role = role[:1].upper() + role[1:]
    return clean_role(split_roles(role)[0] if split_roles(role) else role)


_ROLE_AFTER = re.compile(
    r"\s*,\s+(?:the\s+|a\s+)?(?P<role>(?:[A-Z][\w'’-]*\s+){0,3}(?:Minister|Secretary|Treasurer|Attorney-General|"
    r"Leader|[Ss]pokes(?:person|man|woman)|Senator|Member|Chair(?:man|woman)?|President|Director|Commissioner|Premier)"
    r"(?:\s+(?:for|of|on)\s+(?:the\s+)?[\w'’&-]+(?:,?\s+(?:and|&)\s+[\w'’&-]+|\s+[A-Z][\w'’&-]*){0,6})?)\s*(?=,|\.|$)"
)


def role_after(people: People, key: str, text: str) -> str | None:
    """The role in an apposition after a name: "Senator Chris Evans, the Minister for Immigration and
    Citizenship, will depart ..."."""
    person = people.persons[key]
    for mention in people.mentions:
        if mention.person == key and mention.kind in ("full", "partial"):
            match = _ROLE_AFTER.match(text, mention.end, mention.end + 160)
            segment = text[mention.end: mention.end + 160].split("\n")[0]
            if not match and segment[:60].isupper():  # "... WITH MRS JANE DOE MHR, SHADOW MINISTER FOR X"
                match = _ROLE_AFTER.match(" ".join(
                    w.lower() if w.lower() in ("for", "of", "and", "the", "on", "in") else smart_title(w)
                    for w in segment.split(" ")))
            if match:
                return clean_role(_before_other_person(match.group("role"), people, key), person.name)
    return None


def fuller_role(people: People, key: str, text: str, role: str | None) -> str | None:
    """A one-word role ("Spokesperson" from "Spokesperson Sarah Doe" in the letterhead) replaced by a
    fuller one the release gives the same person with that word ("Senator Doe, Greens spokesperson on
    Immigration, says"): from an apposition after the name, or the role run into one of its mentions."""
    if not role or len(role.split()) != 1:
        return role
    head = fold_name(role)
    options = [role_after(people, key, text)]
    options += [m.role for m in people.mentions if m.person == key and m.role and m.kind in ("full", "partial")]
    options += [m.role for index, m in enumerate(people.mentions) if m.kind == "apposition" and index
                and people.mentions[index - 1].person == key]
    fuller = [clean_role(o, people.persons[key].name) for o in options if o]
    fuller = [o for o in fuller if o and len(o.split()) > 1 and head in fold_name(o).split()]
    return max(fuller, key=len) if fuller else role


def _before_other_person(role: str, people: People, key: str) -> str:
    """A role cut where another person of the release is named in it: "Shadow Minister for Immigration and
    Michael Sample" (the apposition ran on to the next person) -> "Shadow Minister for Immigration"."""
    for other_key, other in people.persons.items():
        if other_key == key or len(other.name.split()) < 2:
            continue
        found = re.search(rf"(?:\s+(?:and|&))?\s+{re.escape(other.name.split()[0])}\s", role + " ")
        if found and other.name.split()[-1] in role[found.end():found.end() + 40]:
            role = role[: found.start()]
    return role


def role_before(people: People, key: str, text: str) -> str | None:
    """The role written right before a person's name in running text: "Greens spokesperson for overseas aid
    Senator Lee Rhiannon said", "Shadow Minister for Immigration and Citizenship, Scott Morrison said"."""
    person = people.persons[key]
    for position in (person.mentions or [person.first])[:3]:
        start = max(text.rfind("\n", 0, position) + 1, position - 160)
        last = re.search(r"([A-Z][\w'’.-]*)\s+$", text[start:position])
        if last and fold_name(last.group(1)).strip(".") not in _NOT_ROLE | {"minister", "professor", "senator"} \
                and fold_name(last.group(1)).strip(".") not in NOT_NAME:
            continue  # the position is inside a name ("Lee | Example"), not at its start ("... Ethnic Affairs | X")
        match = _ROLE_BEFORE.search(text, start, position)
        if match and find_word(match.group("role"), person.name.split()[-1]) >= 0:
            continue  # the position is a title after the name ("X Sample, Shadow"): what precedes is not a role
        if match:
            words = match.group("role").split()
            while words and (words[0].lower() in _LEAD_WORDS or not re.search(r"\w", words[0])):
                words.pop(0)
            role = clean_role(" ".join(words), person.name)
            if role and role.split()[-1] in _LOWER_HEADS and any(
                    word[:1].islower() and word not in _HEADING_LOWER for word in role.split()[:-1]):
                continue  # "in Eastfield with our candidate": a sentence, not a title
            if role and _ROLE_LINE.match(role.split(" ", 1)[-1] if role.split()[0][:1].isupper() else role) or (
                    role and re.search(r"(?i)spokes|leader|minister|secretary|member|senator|coroner|ombudsman|"
                                       r"-general|governor|mayor|magistrate|registrar", role)
                    or role and role.split()[-1].lower() in _LOWER_HEADS):
                return role
    return None
