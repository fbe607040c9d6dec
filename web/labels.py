"""Words people read on the pages: language names, plurals, queries in headings, years by decade."""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence

from flask import Flask

LOGGER = logging.getLogger(__name__)

#: With more years than this, the years of a facet are grouped by decade.
DECADE_THRESHOLD = 12
_QUOTES = '"“”«»„'


@functools.lru_cache(maxsize=256)
def language_name(code: str) -> str:
    """"English" for ``en``, "Russian" for ``ru``; the code itself when it is not an ISO 639 code."""
    code = (code or "").strip().lower()
    if not code:
        return ""
    try:
        import pycountry

        found = pycountry.languages.get(alpha_2=code) if len(code) == 2 else pycountry.languages.get(alpha_3=code)
    except (KeyError, LookupError):
        found = None
    return getattr(found, "name", None) or code


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """"1 release", "2 releases", "1,234 quotes" (numbers with thousands separators)."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


def quoted(text: str) -> str:
    """``text`` in curly quotes for a heading, unless it carries its own quotes (one level only):
    ``"offshore processing"`` reads “offshore processing”, and ``quote:"x" y`` stays as typed."""
    text = text.strip()
    inner = text[1:-1] if len(text) >= 2 and text[0] == '"' and text[-1] == '"' else None
    if inner is not None and not any(mark in inner for mark in _QUOTES):
        return f"“{inner}”"
    if any(mark in text for mark in _QUOTES):
        return text
    return f"“{text}”"


def by_decade(items: Sequence[dict]) -> list[dict]:
    """Year facet items (``value`` a year) grouped as ``{"decade": "2010s", "count", "items"}``,
    newest decade first; one group holding everything when there are few years."""
    if len(items) <= DECADE_THRESHOLD:
        return [{"decade": "", "count": sum(i["count"] for i in items), "items": list(items)}]
    groups: dict[str, dict] = {}
    for item in items:
        value = str(item["value"])
        decade = f"{value[:3]}0s" if value[:4].isdigit() else "other"
        group = groups.setdefault(decade, {"decade": decade, "count": 0, "items": []})
        group["count"] += item["count"]
        group["items"].append(item)
    return sorted(groups.values(), key=lambda g: g["decade"], reverse=True)


def init_app(app: Flask) -> None:
    """Register the template filters ``language_name``, ``plural``, ``quoted`` and ``by_decade``."""
    app.add_template_filter(language_name, "language_name")
    app.add_template_filter(plural, "plural")
    app.add_template_filter(quoted, "quoted")
    app.add_template_filter(by_decade, "by_decade")
