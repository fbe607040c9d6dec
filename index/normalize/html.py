"""HTML pages to ``Normalized``: metadata (``index.normalize.html_meta``), main text without boilerplate
(``index.normalize.main_text``).

BeautifulSoup on lxml; survives broken markup and empty pages.
"""

from __future__ import annotations

import logging
import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning

from index.document import Normalized
from index.extraction.dates import find_release_date
from index.normalize.encoding import decode_bytes
from index.normalize.html_meta import (
    author,
    canonical_of,
    date_of,
    json_ld,
    language_of,
    meta_tags,
    site_name,
    squash,
    title_of,
    trim_site_suffix,
)
from index.normalize.main_text import extract_main_text

LOGGER = logging.getLogger(__name__)

__all__ = ["extract_main_text", "normalize_html", "trim_site_suffix"]

MAX_HTML_CHARS = 6_000_000
MIN_BODY_CHARS = 300


def _parse(text: str) -> BeautifulSoup:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(text, "lxml")


def normalize_html(
    data: bytes | str, *, url: str | None = None, declared_charset: str | None = None
) -> Normalized:
    """An HTML page to ``Normalized``: title, main text, stated date, declared language, canonical
    url and metadata (description, site_name, author). Empty pages give an empty title and body."""
    text = decode_bytes(data, declared_charset, html=True) if isinstance(data, bytes) else data
    if len(text) > MAX_HTML_CHARS:
        LOGGER.info("page of %d chars truncated to %d", len(text), MAX_HTML_CHARS)
        text = text[:MAX_HTML_CHARS]
    if not text.strip():
        return Normalized(title="", body="", url=url)
    soup = _parse(text)
    meta = meta_tags(soup)
    objects = json_ld(soup)
    site = site_name(meta, objects)
    title = title_of(soup, meta, site)
    published = date_of(soup, meta, objects)
    language = language_of(soup, meta)
    canonical = canonical_of(soup, meta, url)
    metadata = {}
    description = meta.get("description") or meta.get("og:description")
    for key, value in (("description", description), ("site_name", site), ("author", author(meta, objects))):
        if value:
            metadata[key] = squash(value)
    stamps: list[str] = []
    body = extract_main_text(soup, stamps=stamps)
    if len(body) < MIN_BODY_CHARS:
        # Class names misled us (a main column called 'widget', say): try again on tags alone.
        retry = extract_main_text(_parse(text), by_attributes=False)
        if len(retry) > 2 * len(body):
            body = retry
    if published is None:
        published = find_release_date("\n".join(stamps[:3] + [body]), head_chars=400)
    return Normalized(title=title, body=body, date=published, language=language, url=canonical,
                      metadata=metadata)
