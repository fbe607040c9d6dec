"""Roles people give themselves in their own turn of a transcript: "I'm Senator for the Northern
Territory", "I am the Minister for Immigration and Citizenship and I ...".

A chair or a guest often introduces themselves this way where no letterhead or label states their role;
only the first part of their own turns is read, and a role under a condition ("if I'm Prime Minister in
twelve weeks") or one they deny ("I'm not the Prime Minister") does not count.
"""

from __future__ import annotations

import logging
import re

from .people import People
from .roles import ROLE_PHRASE, clean_role

LOGGER = logging.getLogger(__name__)

#: "I'm (now) (the|a) <title with its portfolio>", ending a clause.
_SELF_ROLE = re.compile(
    rf"\bI(?:['’]m|\s+am)\s+(?:now\s+)?(?:the\s+|a\s+)?(?P<role>{ROLE_PHRASE})"
    r"(?=\s*[,.;:!?]|\s*$|\s+(?:and|but|here|today|in|at)\b)"
)
#: A condition or a time before "I'm": "If I'm Prime Minister in 12 weeks", "while I'm Prime Minister".
_CONDITION = re.compile(r"\b(?i:if|when|whenever|while|unless|until|once|whether|before|after|as\s+long\s+as)\s+$")
#: A portfolio that names no office: "I'm the Prime Minister of the country".
_GENERIC_PORTFOLIO = re.compile(r"\s+of\s+(?:the|this|our)\s+(?:country|nation)$")
#: How far into a turn a self-introduction is looked for (characters).
INTRODUCTION_CHARS = 400


def introduced_role(people: People, key: str, text: str, turns: list[tuple[int, int, str]]) -> str | None:
    """The role ``key`` gives themselves near the start of one of their turns (``(start, end, key)``)."""
    name = people.persons[key].name
    for start, end, speaker in turns:
        if speaker != key:
            continue
        for match in _SELF_ROLE.finditer(text, start, min(end, start + INTRODUCTION_CHARS)):
            if _CONDITION.search(text, max(start, match.start() - 20), match.start()):
                continue
            role = clean_role(_GENERIC_PORTFOLIO.sub("", match.group("role")), name)
            if role:
                return role
    return None
