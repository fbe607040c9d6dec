"""One display value for the variants of an organisation's or an event's name."""

from __future__ import annotations

import re

#: Short forms of a country at the start of a name ("US Congress", "U.S. Congress", "UK Parliament").
_COUNTRY_PREFIX = re.compile(r"^(?:the\s+)?(?:(?P<us>U\.S\.(?:A\.)?|USA|US)|(?P<uk>U\.K\.|UK))(?=\s+[A-Z])")
#: Official names of bodies and meetings that are often written another way (lower-case variant -> name).
CANONICAL_NAMES = {
    "pacific island forum": "Pacific Islands Forum",
    "global compact on migration": "Global Compact for Safe, Orderly and Regular Migration",
    "global compact for migration": "Global Compact for Safe, Orderly and Regular Migration",
}

#: The variants as compiled patterns (``re.sub`` with a pattern string looks it up in ``re``'s cache, which the
#: patterns built per release keep evicting).
_VARIANTS = [(re.compile(rf"(?i)\b{re.escape(variant)}\b"), official) for variant, official in CANONICAL_NAMES.items()]


def unify_name(name: str) -> str:
    """A leading "US", "U.S." or "UK" spelled out ("US Congress" -> "United States Congress"), and the
    official name put for a common variant ("Pacific Island Forum" -> "Pacific Islands Forum")."""
    name = " ".join(name.split())
    match = _COUNTRY_PREFIX.match(name)
    if match:
        name = ("United States" if match.group("us") else "United Kingdom") + name[match.end():]
    for variant, official in _VARIANTS:
        name = variant.sub(official, name)
    return name
