"""Atom feeds of searches: newest first, one entry per release, so a user can subscribe to a query."""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime

from search.request import SearchRequest
from search.results import SearchResult
from web.links import safe_href
from web.snippets import snippet_html

LOGGER = logging.getLogger(__name__)

ATOM_NS = "http://www.w3.org/2005/Atom"
GENERATOR = "migsearch"
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_xml_text(text: object) -> str:
    """Text with the characters XML 1.0 forbids removed (OCR output carries control characters)."""
    return _XML_INVALID.sub("", str(text or ""))


def feed_title(req: SearchRequest) -> str:
    """A human title naming the query and filters, e.g. ``migsearch: "asylum" · speaker: Chris Bowen``."""
    parts = [f"“{req.q}”"] if req.q else []
    parts += [f"{key}: {value}" for key, value in req.filters.items()]
    if req.date_from:
        parts.append(f"from {req.date_from.isoformat()}")
    if req.date_to:
        parts.append(f"to {req.date_to.isoformat()}")
    return "migsearch: " + (" · ".join(parts) if parts else "all releases")


def _timestamp(day: str | None) -> str | None:
    if not day:
        return None
    return f"{day[:10]}T00:00:00Z"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", {k: clean_xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = clean_xml_text(text)
    return element


def atom_feed(
    result: SearchResult, *, feed_url: str, html_url: str, entry_url: Callable[[str], str]
) -> bytes:
    """The Atom 1.0 document for ``result`` (already sorted newest first) as UTF-8 bytes."""
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    _sub(feed, "id", feed_url)
    _sub(feed, "title", feed_title(result.request))
    _sub(feed, "subtitle", f"{result.total} matching releases; the newest {len(result.hits)} are listed.")
    stamps = [f"{hit.date[:10]}T00:00:00Z" for hit in result.hits if hit.date]
    generated = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    _sub(feed, "updated", max(stamps) if stamps else generated)
    _sub(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    _sub(feed, "link", rel="alternate", type="text/html", href=html_url)
    _sub(feed, "generator", GENERATOR)
    for hit in result.hits:
        entry = _sub(feed, "entry")
        page = entry_url(hit.id)
        _sub(entry, "id", page)
        _sub(entry, "title", hit.title or "(untitled)")
        # Atom requires <updated>: an undated release gets the time the feed was made, never 1970
        _sub(entry, "updated", _timestamp(hit.date) or generated)
        if hit.date:
            _sub(entry, "published", _timestamp(hit.date))
        _sub(entry, "link", rel="alternate", type="text/html", href=page)
        source = safe_href(hit.url)
        if source:
            _sub(entry, "link", rel="related", type="text/html", href=source)
        names = [str(s["name"]) for s in hit.speakers if isinstance(s, dict) and s.get("name")]
        author = _sub(entry, "author")
        _sub(author, "name", ", ".join(names) if names else hit.source or "unknown")
        for event in hit.events:
            _sub(entry, "category", term=event, label=event)
        if hit.snippet:
            _sub(entry, "summary", snippet_html(hit.snippet), type="html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)

