"""Roles completed by the country after a name: "the late President Obuya of Kenya said" gives Obuya the
role "President of Kenya", not "President" (a head of state or government is named by the country).

A pure function of the release text and its ``People``, run after the other role rules: it only completes
a bare title ("President", "Prime Minister", "Foreign Minister", "King"...) that those rules gave.
"""

from __future__ import annotations

import logging
import re

from .countries import is_country_name
from .people import People

LOGGER = logging.getLogger(__name__)

#: Titles that a country completes ("President of Kenya", "Foreign Minister of Chile").
_BARE_TITLES = frozenset(("president", "prime minister", "foreign minister", "king", "queen", "emir", "sultan",
                          "chancellor", "ambassador", "vice president", "vice-president", "secretary of state"))
#: " of (the) Country" right after a name: up to four capitalised words.
_OF_COUNTRY = re.compile(r"[ \t]+of[ \t]+((?:the[ \t]+)?[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){0,3})")


def role_with_country(people: People, key: str, text: str, role: str | None) -> str | None:
    """``role`` completed by the country written right after one of the person's names ("President Obuya
    of Kenya" -> "President of Kenya") when it is a bare title; otherwise ``role`` as it is."""
    if not role or role.lower() not in _BARE_TITLES:
        return role
    surname = people.persons[key].name.split()[-1]
    start = text.find(surname)
    while start >= 0:
        match = _OF_COUNTRY.match(text, start + len(surname))
        if match:
            words = match.group(1).split()
            for size in range(len(words), 0, -1):  # the longest run that names a country
                country = " ".join(words[:size])
                if is_country_name(country):
                    return f"{role} of {country}"
        start = text.find(surname, start + 1)
    return role
