"""Roles of the speakers a release names: what the letterhead, a transcript label or the text around a
name says the person is ("Minister for Immigration and Citizenship", "Leader of the Opposition").

Each rule is a pure function of the release text and its ``People``:

- a role is what the letterhead or the text beside the name says, not an honorific ("Senator") and not
  cut short ("Minister" where the letterhead says "Minister for Housing");
- ``clean_role`` strips release words, sentence words and other people's names from what a rule found;
- ``letterhead_role``, ``role_before``, ``role_after`` and ``fuller_role`` read the header block, the words
  before or after a name, and a longer form of the same role elsewhere in the text.
"""

from __future__ import annotations

import logging
import re

from index.text import fold_name

from .keywords import find_word
from .names import NOT_NAME, ROLE_WORDS, smart_title
from .people import People

LOGGER = logging.getLogger(__name__)

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
_ROLE_CUT = re.compile(
    r"\s+(?:the\s+)?(?:Hon\b|HON\b|MP\b|M\.P\.|(?:Senator|SENATOR)\s+[A-Z]|to\s+(?!the\b)[a-z]+\b)|"
    r"\s+(?:Mr|MR|Mrs|MRS|Ms|MS|Dr|DR)\.?\s+[A-Z]|"  # another person's name begins ("... Opposition Mr. Jane Doe")
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
    venue = _VENUE.search(role)
    if venue:
        role = role[: venue.start(1)]  # "Minister for Foreign Affairs at the National Press Club"
    parts = split_roles(role)
    if len(parts) > 1:
        role = next((part for part in parts if _ROLE_LINE.match(part)), parts[0])
    words = role.split()
    while words and (fold_name(words[0]).strip(".,") in _LEADING_NOT_ROLE and not (
            fold_name(words[0]) == "senator" and len(words) > 1 and words[1].lower() in ("for", "from"))):
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
    role = " ".join(words).strip(" ,;:|-–—(")
    if role.isupper() and len(role) > 4:
        role = first_role(role) or role
    return role or None

#: Where a role with a portfolio runs on into the place it was spoken at: the " at the ..." after
#: "Minister for Foreign Affairs" (not "Ambassador at Large", which has no portfolio before "at").
_VENUE = re.compile(r"\b(?:for|of)\s+\S.*?(\s+at\s+the\s+[A-Z].*)$")
#: Possessives before a title in running text ("your candidate", "our Prime Minister"): not the role.
_POSSESSIVES = frozenset("your our my his her their its".split())
#: Words dropped from the start of a role: honorifics, release words, sentence openers, possessives.
_LEADING_NOT_ROLE = _NOT_ROLE | _SENTENCE_OPENERS | _POSSESSIVES

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


def before_caps_headline(line: str) -> str:
    """A mixed-case line up to an upper-case headline run onto it by the PDF's extraction: "Shadow
    Minister for Housing  LABOR'S PLAN WILL CONTINUE" -> "Shadow Minister for Housing"."""
    if line.isupper():
        return line
    caps = _CAPS_RUN.search(line)
    return line[: caps.start()] if caps else line


#: An upper-case run of three words or more at the start of a line, before mixed-case words.
_LEADING_CAPS = re.compile(r"(?:[A-Z][A-Z'’&-]*\s+){3,}(?=[A-Z][a-z])")


def first_role(line: str) -> str | None:
    """The first role in a run of roles, as written: "Shadow Minister for Defence Member for Corio" ->
    "Shadow Minister for Defence"; upper-case runs are title-cased; a mixed-case role stops where an
    upper-case headline starts."""
    line = " ".join(line.split()).strip(" ,;|-–—")
    if not line:
        return None
    caps = _LEADING_CAPS.match(line)
    if caps and not line.isupper():
        line = caps.group().strip()  # "LEADER OF THE OPPOSITION IN THE SENATE Tuesday, 5 November"
    if line.isupper():
        line = " ".join(w.lower() if w.lower() in ("for", "of", "and", "the", "on", "in") else smart_title(w)
                        for w in line.split())
    else:
        line = before_caps_headline(line)
    parts = split_roles(line)
    role = parts[0].strip(" ,;") if parts else ""
    role = re.sub(r"\s+(?:MP|M\.P\.|MHR|Senator)$", "", role)
    return role if _ROLE_LINE.match(role) else None

_HEADING_LOWER = frozenset("for of and the on in to at with & -".split())


def heading_words(line: str) -> bool:
    """True for a line written as a heading or letterhead, not a sentence or a transcript turn: before its
    first comma, the first lower-case word that is not a connector is a role word ("spokesperson",
    "leader") or there is none ("Minister for Housing", "Greens spokesperson for health"); "The Minister
    said the ...", "Prime Minister, good morning.", "PRIME MINISTER:" (the label of someone else's turn)
    are not."""
    line = line.strip()  # (the first comma: not one inside a portfolio list, as in ``heading_part``)
    if not line or line[-1] in ".?!" or line[-1] == ":" and "," not in line or re.search(r"\w:\s", line):
        return False
    head = _first_part(line).split()
    while head and head[-1] in _HEADING_LOWER:
        head.pop()  # "Parliamentary Secretary to" (the office runs on to the next line)
    return heading_part(line) == " ".join(head)


#: A comma that ends a heading's part, not one inside a portfolio list ("Minister for Justice, Customs and
#: Border Protection", "Minister for School Education, Early Childhood and Youth"), as in ``_ROLE_CUT``.
_PART_COMMA = re.compile(r",(?!\s*[A-Z][\w'’&-]*[^,\n]{0,40}\s(?:and|&)\s)")


def _first_part(line: str) -> str:
    """A heading line up to its first comma that is not inside a portfolio list."""
    line = line.lstrip(" ,")
    comma = _PART_COMMA.search(line)
    return line[: comma.start()] if comma else line


def heading_part(line: str) -> str:
    """The start of a line up to its first comma (not one inside a portfolio list) or its first lower-case
    word that is neither a connector nor a role word: "Federal Member for Stirling Labor hiding details"
    -> "Federal Member for Stirling Labor"; "" for a transcript turn (": Prime Minister, good morning")."""
    if line.lstrip().startswith(":"):
        return ""
    kept: list[str] = []
    words = _first_part(line).split()
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

#: An apposition after a name that states a role: ", the Minister for Immigration,", ", who is now
#: Treasurer.", ", he is the Shadow Attorney-General,", ", former Secretary General of the United Nations on
#: ...", ", the Senator from Tasmania," (a former holder keeps "former"; a preposition or a reporting verb may
#: end the apposition).
#: A title with its portfolio: up to three capitalised words, a head ("Minister", "Senator", "Spokesperson"),
#: then "for/of/on/from" and the portfolio ("Shadow Minister for Justice, Customs and Border Protection").
ROLE_PHRASE = (
    r"(?:[A-Z][\w'’-]*\s+){0,3}(?:Minister|Secretary|Treasurer|"
    r"Attorney-General|Leader|[Ss]pokes(?:person|man|woman)|Senator|Member|Chair(?:man|woman)?|President|Director|"
    r"Commissioner|Premier)(?:[ -]General)?"
    r"(?:\s+(?:for|of|on|from)\s+(?:the\s+)?[\w'’&-]+(?:,?\s+(?:and|&)\s+[\w'’&-]+|\s+[A-Z][\w'’&-]*){0,6})?"
)
_ROLE_AFTER = re.compile(
    r"\s*,\s+(?:who\s+is\s+(?:now\s+)?|having\s+(?:now\s+)?been\s+(?:now\s+)?(?:elected|appointed|made)\s+(?:as\s+)?"
    r"|(?:he|she)\s+is\s+|(?:he|she)['’]s\s+)?"
    rf"(?:the\s+|a\s+)?(?P<role>(?:(?:former|then)\s+)?{ROLE_PHRASE})"
    r"(?:\s*(?=,|\.|$)|\s+(?=(?:on|in|at|said|says|told)\s))"
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
        first = other.name.split()[0]
        if not _spaced_in(first, role + " "):
            continue  # (the search below cannot match: no regex compiled for this name)
        found = re.search(rf"(?:\s+(?:and|&))?\s+{re.escape(first)}\s", role + " ")
        if found and other.name.split()[-1] in role[found.end():found.end() + 40]:
            role = role[: found.start()]
    return role


_SPACE = re.compile(r"\s")


def _spaced_in(word: str, text: str) -> bool:
    """True when ``word`` stands in ``text`` between two whitespace characters."""
    start = text.find(word, 1)
    while start >= 0:
        if _SPACE.match(text, start - 1) and _SPACE.match(text, start + len(word)):
            return True
        start = text.find(word, start + 1)
    return False


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
