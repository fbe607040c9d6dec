"""Finding URLs: links and canonical URLs in pages, entries in RSS/Atom feeds, and sitemaps.

Every URL goes through :func:`normalize_url` first, so one page is known under one spelling: lower-case
scheme and host, no default port, no fragment, no tracking or session parameters, sorted query. XML is
parsed with entity resolution and network access switched off.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

import lxml.etree as etree
import lxml.html

from index.crawl.fetch import gunzip_bounded

LOGGER = logging.getLogger(__name__)

SESSION_PARAMS = frozenset({
    "sid", "sessionid", "session_id", "phpsessid", "jsessionid", "aspsessionid", "cfid", "cftoken",
    "fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "_ga", "_gl", "igshid",
})
_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.IGNORECASE)
_SAFE_PATH = "/%:@!$&'()*+,;=-._~"
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/feed+json"})
SITEMAP_MAX_BYTES = 50 * 1024 * 1024  # the sitemap protocol's limit, uncompressed


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith("utm_") or lowered in SESSION_PARAMS


def normalize_url(url: str, base: str | None = None) -> str | None:
    """The canonical spelling of ``url`` (resolved against ``base``), or None when it is not http(s)."""
    url = url.strip()
    if base:
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    try:
        host = parts.hostname.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != (443 if scheme == "https" else 80):
        host = f"{host}:{port}"
    path = _PATH_SESSION.sub("", parts.path) or "/"
    path = quote(unquote(path), safe=_SAFE_PATH)
    query_pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    query = urlencode(sorted(query_pairs), doseq=True)
    return urlunsplit((scheme, host, path, query, ""))


@dataclass
class PageLinks:
    """What a page points at: ordinary links, its canonical URL and its advertised feeds."""

    links: list[str] = field(default_factory=list)
    canonical: str | None = None
    feeds: list[str] = field(default_factory=list)


def extract_links(html: bytes | str, base_url: str) -> PageLinks:
    """Links (``a``/``area`` hrefs, minus ``rel=nofollow``), ``rel=canonical`` and feed links of a page."""
    found = PageLinks()
    if not html:
        return found
    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError) as error:
        LOGGER.debug("cannot parse %s for links: %s", base_url, error)
        return found
    base = base_url
    for href in tree.xpath("//base/@href")[:1]:
        base = urljoin(base_url, str(href))
    seen: set[str] = set()
    for element in tree.xpath("//a[@href] | //area[@href]"):
        if "nofollow" in (element.get("rel") or "").lower().split():
            continue
        url = normalize_url(element.get("href"), base)
        if url and url not in seen:
            seen.add(url)
            found.links.append(url)
    for element in tree.xpath("//link[@href]"):
        rel = (element.get("rel") or "").lower().split()
        if "canonical" in rel and found.canonical is None:
            found.canonical = normalize_url(element.get("href"), base)
        elif "alternate" in rel and (element.get("type") or "").lower() in FEED_TYPES:
            feed = normalize_url(element.get("href"), base)
            if feed and feed not in found.feeds:
                found.feeds.append(feed)
    return found


def _xml_root(data: bytes) -> etree._Element | None:
    if data[:2] == b"\x1f\x8b":
        data = gunzip_bounded(data, SITEMAP_MAX_BYTES)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        return etree.fromstring(data.lstrip(), parser=parser)
    except etree.XMLSyntaxError:
        return None


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def parse_feed(data: bytes, base_url: str) -> list[str]:
    """Entry URLs of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, in feed order."""
    root = _xml_root(data)
    if root is None:
        return []
    urls: list[str] = []
    for element in root.iter():
        name = _local(element.tag)
        if name not in ("item", "entry"):
            continue
        candidate = None
        for child in element:
            child_name = _local(child.tag)
            if child_name == "link":
                href = child.get("href")
                if href is not None:  # Atom: prefer rel="alternate" (the default)
                    if child.get("rel", "alternate") == "alternate":
                        candidate = href
                        break
                elif child.text:
                    candidate = child.text
                    break
            elif child_name == "guid" and child.get("isPermaLink", "true") == "true" and child.text:
                candidate = candidate or child.text
        url = normalize_url(candidate, base_url) if candidate else None
        if url and url not in urls:
            urls.append(url)
    return urls


@dataclass
class Sitemap:
    """A parsed sitemap: an index (``sitemaps``) or a URL set (``urls``, with their lastmod if given)."""

    sitemaps: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    lastmod: dict[str, str] = field(default_factory=dict)


def parse_sitemap(data: bytes, base_url: str) -> Sitemap:
    """A sitemap index or URL set (news and image extensions tolerated), gzip or plain, or a text sitemap."""
    sitemap = Sitemap()
    try:
        root = _xml_root(data)
    except ValueError as error:
        LOGGER.warning("bad sitemap %s: %s", base_url, error)
        return sitemap
    if root is None:
        if data[:2] == b"\x1f\x8b":
            return sitemap
        lines = data.decode("utf-8", errors="replace").splitlines()
        candidates = (normalize_url(line, base_url) for line in lines if line.strip().startswith("http"))
        sitemap.urls = _unique(candidates)
        return sitemap
    kind = _local(root.tag)
    for entry in root:
        if _local(entry.tag) not in ("sitemap", "url"):
            continue
        loc = lastmod = None
        for child in entry:
            name = _local(child.tag)
            if name == "loc" and child.text:
                loc = normalize_url(child.text, base_url)
            elif name == "lastmod" and child.text:
                lastmod = child.text.strip()
        if not loc:
            continue
        target = sitemap.sitemaps if kind == "sitemapindex" else sitemap.urls
        if loc not in target:
            target.append(loc)
        if lastmod:
            sitemap.lastmod[loc] = lastmod
    return sitemap


def _unique(urls: Iterable[str | None]) -> list[str]:
    seen: list[str] = []
    for url in urls:
        if url and url not in seen:
            seen.append(url)
    return seen


@dataclass(frozen=True)
class UrlRules:
    """Which URLs a site's crawl may visit (``allow``), must not (``skip``), and which are releases.

    Patterns are regular expressions searched in the normalized URL. An empty ``allow`` means "the
    hosts of the start URLs"; an empty ``release`` means every fetched page is indexed.
    """

    allow: tuple[re.Pattern[str], ...] = ()
    skip: tuple[re.Pattern[str], ...] = ()
    release: tuple[re.Pattern[str], ...] = ()
    hosts: frozenset[str] = frozenset()

    def in_scope(self, url: str) -> bool:
        """True when the crawl may follow ``url``."""
        if any(pattern.search(url) for pattern in self.skip):
            return False
        if self.allow:
            return any(pattern.search(url) for pattern in self.allow)
        return (urlsplit(url).hostname or "") in self.hosts

    def is_release(self, url: str) -> bool:
        """True when ``url`` is a release page to index (not only a listing to take links from)."""
        return not self.release or any(pattern.search(url) for pattern in self.release)
