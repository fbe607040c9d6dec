"""Metadata of an HTML page: meta tags, JSON-LD, title, date, language, canonical url, site, author."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterator

from bs4 import BeautifulSoup, Tag

from index.extraction.dates import parse_date

LOGGER = logging.getLogger(__name__)

_TITLE_SEPARATORS_RE = re.compile(r"\s+(?:\||-|–|—|::|·|•|»|/)\s+")
_SPACES_RE = re.compile(r"\s+")
_DATE_META_KEYS = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "dc.date.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "dc.date.created",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publication_date",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "published-date",
    "citation_publication_date",
    "citation_date",
)
_DATE_CLASS_RE = re.compile(r"(?:^|[\s_-])(?:date|time|published|pubdate|posted|timestamp|dateline)", re.I)


def squash(text: str | None) -> str:
    """Collapse whitespace runs to single spaces and strip."""
    return _SPACES_RE.sub(" ", text or "").strip()


def meta_tags(soup: BeautifulSoup) -> dict[str, str]:
    """``<meta>`` contents keyed by lower-cased property / name / itemprop / http-equiv (first wins)."""
    found: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        content = tag.get("content")
        if not content or not isinstance(content, str):
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = tag.get(attr)
            if isinstance(key, str) and key:
                found.setdefault(key.strip().lower(), content.strip())
    return found


def _walk_json(value: object) -> Iterator[dict]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def json_ld(soup: BeautifulSoup) -> list[dict]:
    """Every JSON object inside ``application/ld+json`` scripts, nested ones and @graph included."""
    objects: list[dict] = []
    for script in soup.find_all("script", type=re.compile(r"ld\+json", re.I)):
        raw = script.string or script.get_text()
        if not raw or not raw.strip():
            continue
        try:
            data = json.loads(raw.strip().rstrip(";"), strict=False)
        except ValueError:
            LOGGER.debug("unparsable JSON-LD block skipped")
            continue
        objects.extend(_walk_json(data))
    return objects


def _ld_value(objects: list[dict], key: str) -> object:
    for obj in objects:
        if key in obj and obj[key]:
            return obj[key]
    return None


def _name_of(value: object) -> str | None:
    """A person's or organisation's name from a JSON-LD value (string, dict or list of them)."""
    if isinstance(value, str):
        return squash(value) or None
    if isinstance(value, dict):
        return _name_of(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_name_of(v) for v in value) if n]
        return ", ".join(dict.fromkeys(names)) or None
    return None


def site_name(meta: dict[str, str], objects: list[dict]) -> str | None:
    """og:site_name / application-name, else the JSON-LD publisher's name."""
    name = meta.get("og:site_name") or meta.get("application-name")
    if not name:
        name = _name_of(_ld_value(objects, "publisher"))
    return squash(name) or None


def author(meta: dict[str, str], objects: list[dict]) -> str | None:
    """meta name=author (not a URL), else JSON-LD author.name."""
    name = meta.get("author") or meta.get("dc.creator") or meta.get("article:author")
    if name and not name.startswith(("http://", "https://")):
        return squash(name)
    return _name_of(_ld_value(objects, "author"))


def trim_site_suffix(title: str, site: str | None) -> str:
    """'Headline | Site' / 'Headline - Site' / 'Site: Headline' to 'Headline'."""
    title = squash(title)
    if site and len(title) > len(site) + 3 and title.lower().startswith(site.lower()):
        rest = title[len(site):]
        if rest[:1] in ":|-–—·•»" or rest[:2] in (" |", " -", " –", " —", " ·", " •", " »"):
            return rest.lstrip(" :|-–—·•»")
    parts = _TITLE_SEPARATORS_RE.split(title)
    if len(parts) < 2:
        return title
    site_key = re.sub(r"\W+", "", site or "").lower()
    first_key = re.sub(r"\W+", "", parts[0]).lower()
    last_key = re.sub(r"\W+", "", parts[-1]).lower()
    if site_key and last_key and (last_key == site_key or last_key in site_key or site_key in last_key):
        return title[: title.rfind(parts[-1])].rstrip(" |-–—:·•»/")
    if site_key and first_key and first_key == site_key:
        return title[len(parts[0]):].lstrip(" |-–—:·•»/")
    separator = _TITLE_SEPARATORS_RE.findall(title)[-1].strip()
    head = title[: title.rfind(parts[-1])].rstrip(" |-–—:·•»/")
    if separator in ("|", "·", "•", "»", "::") and len(parts[-1].split()) <= 5 and len(head.split()) >= 3:
        return head
    return title


def title_of(soup: BeautifulSoup, meta: dict[str, str], site: str | None) -> str:
    """og:title, then the first <h1>, then <title>, with a site-name suffix trimmed."""
    candidates = [meta.get("og:title"), meta.get("twitter:title")]
    h1 = soup.find("h1")
    if isinstance(h1, Tag):
        candidates.append(h1.get_text(" "))
    if soup.title is not None:
        candidates.append(soup.title.get_text(" "))
    for candidate in candidates:
        text = squash(candidate)
        if text:
            return trim_site_suffix(text, site)
    return ""


def date_of(soup: BeautifulSoup, meta: dict[str, str], objects: list[dict]) -> dt.date | None:
    """Publication date from meta tags, JSON-LD datePublished, <time> or date-classed elements."""
    for key in _DATE_META_KEYS:
        if meta.get(key):
            value = parse_date(meta[key])
            if value:
                return value
    for key in ("datePublished", "dateCreated", "uploadDate"):
        raw = _ld_value(objects, key)
        if isinstance(raw, str):
            value = parse_date(raw)
            if value:
                return value
    for tag in soup.find_all(attrs={"itemprop": "datePublished"}, limit=3):
        value = parse_date(tag.get("content") or tag.get("datetime") or tag.get_text(" "))
        if value:
            return value
    for tag in soup.find_all("time", limit=5):
        raw = tag.get("datetime") or tag.get_text(" ")
        value = parse_date(raw) if isinstance(raw, str) else None
        if value:
            return value
    for tag in soup.find_all(class_=_DATE_CLASS_RE, limit=10):
        text = squash(tag.get_text(" "))
        if 6 <= len(text) <= 80:
            value = parse_date(text)
            if value:
                return value
    return None


def language_of(soup: BeautifulSoup, meta: dict[str, str]) -> str | None:
    """The declared language: <html lang>, og:locale or content-language (raw tag, e.g. 'en-GB')."""
    html = soup.find("html")
    if isinstance(html, Tag):
        lang = html.get("lang") or html.get("xml:lang")
        if isinstance(lang, str) and lang.strip():
            return lang.strip()
    for key in ("og:locale", "content-language", "language", "dc.language"):
        if meta.get(key):
            return meta[key].strip()
    return None


def canonical_of(soup: BeautifulSoup, meta: dict[str, str], url: str | None) -> str | None:
    """<link rel=canonical>, then og:url, else the given url."""
    for link in soup.find_all("link", href=True):
        rel = link.get("rel") or []
        rels = rel if isinstance(rel, list) else str(rel).split()
        if "canonical" in (r.lower() for r in rels):
            href = str(link["href"]).strip()
            if href.startswith(("http://", "https://")):
                return href
    og_url = meta.get("og:url")
    if og_url and og_url.startswith(("http://", "https://")):
        return og_url
    return url


# --- main text -----------------------------------------------------------------------------------
