"""Roles that the head or the foot of a release states: the office on the letterhead beside a speaker's name
("The Hon Jane Doe MP | Minister for Housing"), a role on a line of its own ("Presenter: Bill Example"), and a
letterhead office with no name under it ("LEADER OF THE OPPOSITION" above a transcript whose one named speaker
is "BEAZLEY:").

All are pure functions of the release text; ``extract`` uses them only for speakers that have no role
from the letterhead beside their name, the words around it or a transcript label.
"""

from __future__ import annotations

import logging
import re

from .keywords import ascii_lowered, find_word
from .names import canonical_person_key, strip_titles
from .people import People
from .roles import before_caps_headline, first_role, heading_part, heading_words

LOGGER = logging.getLogger(__name__)

HEAD_CHARS = 1200
TAIL_CHARS = 500
#: A line that names its own holder: "... HON ALEXANDER DOWNER, MP", "Senator X".
_OTHER_HOLDER = re.compile(r"\b(?:(?:HON|Hon|MP|MHR)\b|M\.P\.|(?:SENATOR|Senator)\s+[A-Z])")

#: "Presenter: Bill Example", "HOST: Jane Doe", "Interviewer - John Doe": a function, then a name alone.
_LABEL_LINE = re.compile(
    r"^[ \t]*(?P<role>(?:[A-Z][\w'’-]*[ \t]+){0,2}(?i:presenter|host|interviewer|reporter|moderator|"
    r"compere|anchor|correspondent|chair|chairperson|facilitator|panellist|panelist))[ \t]*[:–—-][ \t]*"
    r"(?P<name>[A-Z][\w'’.-]*(?:[ \t]+[A-Z][\w'’.-]*){1,4})[ \t]*$",
    re.MULTILINE,
)
HEAD_LINES = 12


def label_line_roles(text: str) -> dict[str, str]:
    """Canonical key -> role for every "Role: Name" line ("Presenter: Bill Example" -> Presenter)."""
    roles: dict[str, str] = {}
    for match in _label_lines(text):
        key = canonical_person_key(strip_titles(match.group("name")))
        role = " ".join(match.group("role").split())
        if key and key not in roles:
            roles[key] = role[:1].upper() + role[1:].lower() if role.isupper() else role
    return roles


#: A word every ``_LABEL_LINE`` match holds, in any case ("chair" of "chairperson", "panel" of "panelist").
_LABEL_WORDS = ("presenter", "host", "interviewer", "reporter", "moderator", "compere", "anchor", "correspondent",
                "chair", "facilitator", "panel")


def _label_lines(text: str) -> list[re.Match[str]]:
    """``list(_LABEL_LINE.finditer(text))``, the pattern tried only on lines that hold one of its words (a
    match is one whole line), where ``ascii_lowered`` lets them be looked up."""
    low = ascii_lowered(text)
    if low is None:
        return list(_LABEL_LINE.finditer(text))
    starts = set()
    for word in _LABEL_WORDS:
        at = low.find(word)
        while at >= 0:
            starts.add(text.rfind("\n", 0, at) + 1)
            at = low.find(word, at + 1)
    found = []
    for start in sorted(starts):
        end = text.find("\n", start)
        match = _LABEL_LINE.match(text, start, end if end >= 0 else len(text))
        if match:
            found.append(match)
    return found


def unnamed_letterhead_role(text: str, names: list[str]) -> str | None:
    """The office on a line of its own in the header block (the lines before the first transcript turn
    or paragraph) when no line of the block names a person (``names``: the display names of the
    release's people): "LEADER OF THE OPPOSITION" above a doorstop transcript. None when the block names
    someone or holds more than one office."""
    head = text[:HEAD_CHARS]
    lines = [line.strip() for line in head.split("\n") if line.strip()][:HEAD_LINES]
    surnames = {name.split()[-1].lower() for name in names if name.split()}
    found: list[str] = []
    for line in lines:
        if re.match(r"[A-Z][A-Z .,'’-]*:", line) or len(line.split()) > 12:
            break  # the first turn or paragraph ends the header block
        if any(re.search(rf"\b{re.escape(surname)}\b", line.lower()) for surname in surnames):
            return None
        if len(line.split()) > 8 or not heading_words(line):
            continue
        role = first_role(line)
        if role and role.lower() == " ".join(line.lower().split()):
            found.append(role)
    return found[0] if len(found) == 1 else None


#: "Interview with", "Q&A WITH" before a name on its line: the name is the interviewer's, not the issuer's.
_WITH_BEFORE = re.compile(r"(?i)\bwith\b")
#: ... unless the line marks the person as the one interviewed: "DOORSTOP INTERVIEW WITH DR JANE DOE",
#: "INTERVIEW WITH THE HON. JANE DOE MP".
_INTERVIEWEE = re.compile(r"\b(?:HON|Hon|MP|M\.P\.|MHR|DR|Dr|SENATOR|Senator|DOORSTOP|[Dd]oorstop)\b")


_CONNECTOR_END = re.compile(r"(?i)\s(?:and|for|of|the|to|&)$")


def _continued(lines: list[str]) -> list[str]:
    """Lines with a role broken after a connector joined again: "THE MINISTER FOR IMMIGRATION AND" +
    "MULTICULTURAL AFFAIRS" -> one line."""
    joined: list[str] = []
    for line in lines:
        if joined and _CONNECTOR_END.search(joined[-1].rstrip()):
            joined[-1] = f"{joined[-1].rstrip()} {line.strip()}"
        else:
            joined.append(line)
    return joined


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
        role = first_role(heading_part(rest)) if rest.strip() else None
        if role:
            return role
        above = _continued([line for line in text[max(0, start - 300): start].split("\n") if line.strip()])[-3:]
        following = _continued([line for line in text[end: end + 300].split("\n") if line.strip()])[:2]
        others = _other_surnames(people, key, speakers)
        lines = above[-2:]
        surname_at = text[position:end].upper().find(person.name.split()[-1].upper())  # (this line only)
        if surname_at >= 0 and _WITH_BEFORE.search(text, start, position + surname_at) and not _INTERVIEWEE.search(
                text, start, end):
            lines = []  # "LEADER OF THE HOUSE / INTERVIEW WITH JANE DOE": the role above is the interviewee's
        elif len(above) >= 2 and _holder_line(above[-2], others) and not _holder_line(above[-1], others):
            lines = []  # "BEN TRIAL MP / MINISTER FOR X / SENATOR KAYE SAMPLE": the role above is Trial's
        for direction in (list(reversed(lines)), following):
            for line in direction:
                if _holder_line(line, others):
                    break  # another person's letterhead: the roles beyond it are theirs
                line = before_caps_headline(line)
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
            role = first_role(heading_part(line))
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
    first place ``surname`` ends a word in any case, if it starts within 40 characters; lines
    ``ascii_lowered`` can search are searched without a regex per surname."""
    low = ascii_lowered(line) if surname.isascii() and (line.isascii() or "'" not in surname) else None
    if low is None:  # (in a line with "’", an "'" of the surname matches both)
        pattern = re.escape(surname).replace("'", "['’]")
        found = re.search(rf"(?i){pattern}\b{_POST_NOMINALS}", line)
        return found.end() if found and found.start() < 40 else None
    surname = surname.lower()
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
