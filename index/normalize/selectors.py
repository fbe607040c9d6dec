"""Per-site CSS selectors: a site's title, date and body read where the generic HTML normalizer cannot.

A crawled page keeps its site's selectors with its raw input (``RawInput.selectors``, stored in the
document's raw metadata), so ``reindex --full`` normalizes it again exactly as the crawl did.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace

from bs4 import BeautifulSoup

from index.document import Normalized
from index.extraction.dates import parse_date
from index.normalize.encoding import decode_bytes
from index.normalize.html import normalize_html

LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class Selectors:
    """CSS selectors that find a site's title, date and body where the generic normalizer cannot."""

    title: str | None = None
    date: str | None = None
    body: str | None = None

    def to_dict(self) -> dict[str, str]:
        """The selectors that are set, by name (kept with a document's raw input)."""
        return {name: value for name, value in (("title", self.title), ("date", self.date), ("body", self.body))
                if value}

    @classmethod
    def from_dict(cls, values: Mapping[str, str]) -> Selectors:
        """The selectors kept with a raw input."""
        return cls(title=values.get("title"), date=values.get("date"), body=values.get("body"))


def normalize_with_selectors(
    data: bytes, url: str | None, headers: Mapping[str, str], selectors: Selectors
) -> Normalized:
    """The generic HTML normalization, with title, date and body replaced where a selector matches."""
    content_type = {key.lower(): value for key, value in headers.items()}.get("content-type", "")
    charset = None
    if "charset=" in content_type:
        charset = content_type.split("charset=", 1)[1].split(";")[0].strip("\"' ")
    generic = normalize_html(data, url=url, declared_charset=charset)
    soup = BeautifulSoup(decode_bytes(data, charset, html=True), "lxml")
    changes: dict = {}
    if selectors.title and (node := soup.select_one(selectors.title)) is not None:
        changes["title"] = " ".join(node.get_text(" ").split())
    if selectors.date and (node := soup.select_one(selectors.date)) is not None:
        stated = node.get("datetime") or node.get("content") or node.get_text(" ")
        parsed = parse_date(str(stated).strip()) if stated else None
        if parsed is not None:
            changes["date"] = parsed
    if selectors.body:
        parts = [node.get_text("\n", strip=True) for node in soup.select(selectors.body)]
        if any(parts):
            changes["body"] = "\n\n".join(part for part in parts if part)
    return replace(generic, **changes)
