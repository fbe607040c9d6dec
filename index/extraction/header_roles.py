"""Roles that a release states on a line of their own: "Presenter: Bill Example", and a letterhead office
with no name under it ("LEADER OF THE OPPOSITION" above a transcript whose one named speaker is "BEAZLEY:").

Both are pure functions of the release text; ``extract`` uses them only for speakers that have no role
from the letterhead beside their name, the words around it or a transcript label.
"""

from __future__ import annotations

import logging
import re

from .names import canonical_person_key, strip_titles
from .speaker_rules import HEAD_CHARS, first_role, heading_words

LOGGER = logging.getLogger(__name__)

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
    for match in _LABEL_LINE.finditer(text):
        key = canonical_person_key(strip_titles(match.group("name")))
        role = " ".join(match.group("role").split())
        if key and key not in roles:
            roles[key] = role[:1].upper() + role[1:].lower() if role.isupper() else role
    return roles


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
