"""The sources file: which sites a deployment follows, read from TOML and validated with clear messages.

::

    [defaults]                      # optional; each site may override these
    max_depth = 2
    max_pages = 500
    delay = 1.0

    [[sites]]
    name = "unhcr"                  # also the documents' source
    start_urls = ["https://www.unhcr.org/news/press-releases"]
    feeds = ["https://www.unhcr.org/rss/news.xml"]
    sitemaps = ["https://www.unhcr.org/sitemap.xml"]
    allow = ['^https://www\\.unhcr\\.org/news/']       # regexes; default: the start URLs' hosts
    skip = ['/tag/', '[?&]print=']
    release = ['/news/press-releases/[^/]+$']        # pages to index; others only give links
    language = "en"
    organisations = ["UNHCR"]
    countries = []
    selectors = { title = "h1", date = "time[datetime]", body = "div.article__body" }
"""

from __future__ import annotations

import difflib
import logging
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import soupsieve

from index.crawl.discovery import UrlRules, normalize_url
from index.normalize.selectors import Selectors

LOGGER = logging.getLogger(__name__)

_SITE_KEYS = {
    "name", "start_urls", "feeds", "sitemaps", "allow", "skip", "release", "language", "organisations",
    "organisation", "countries", "country", "selectors", "max_depth", "max_pages", "delay",
}
_DEFAULT_KEYS = {"max_depth", "max_pages", "delay"}
_SELECTOR_KEYS = {"title", "date", "body"}


class SourcesError(ValueError):
    """The sources file is invalid; ``problems`` lists every problem found, one line each."""

    def __init__(self, origin: str, problems: list[str]) -> None:
        self.origin = origin
        self.problems = problems
        super().__init__(f"{origin}: " + "; ".join(problems))


@dataclass(frozen=True)
class Site:
    """One followed site: where to start, what to follow, and how to read its pages."""

    name: str
    start_urls: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    rules: UrlRules = field(default_factory=UrlRules)
    selectors: Selectors | None = None
    language: str | None = None
    organisations: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    max_depth: int | None = None
    max_pages: int | None = None
    delay: float | None = None

    def extra(self) -> dict:
        """Per-site overrides handed to the ingester: language, organisations, countries."""
        extra: dict = {}
        if self.organisations:
            extra["organisations"] = list(self.organisations)
        if self.countries:
            extra["countries"] = list(self.countries)
        if self.language:
            extra["language"] = self.language
        return extra

    def seeds(self) -> list[str]:
        """Every URL the site's crawl starts from."""
        return [*self.start_urls, *self.feeds, *self.sitemaps]


class _Checker:
    """Collects problems while converting one table, so the user sees all of them at once."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def keys(self, where: str, table: dict, allowed: set[str]) -> None:
        for key in table:
            if key not in allowed:
                hint = difflib.get_close_matches(key, sorted(allowed), n=1)
                self.problems.append(
                    f"{where}: unknown key {key!r}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
                )

    def strings(self, where: str, value: object, *, single_ok: bool = False) -> tuple[str, ...]:
        if value is None:
            return ()
        if single_ok and isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problems.append(f"{where}: expected a list of strings, got {value!r}")
            return ()
        return tuple(value)

    def urls(self, where: str, value: object) -> tuple[str, ...]:
        urls = []
        for item in self.strings(where, value, single_ok=True):
            url = normalize_url(item)
            if url is None:
                self.problems.append(f"{where}: {item!r} is not an http(s) URL")
            else:
                urls.append(url)
        return tuple(urls)

    def patterns(self, where: str, value: object) -> tuple[re.Pattern[str], ...]:
        compiled = []
        for item in self.strings(where, value, single_ok=True):
            try:
                compiled.append(re.compile(item))
            except re.error as error:
                self.problems.append(f"{where}: bad regular expression {item!r}: {error}")
        return tuple(compiled)

    def number(self, where: str, value: object, kind: type, minimum: float) -> int | float | None:
        if value is None:
            return None
        wrong_type = isinstance(value, bool) or not isinstance(value, (int, float))
        if wrong_type or (kind is int and isinstance(value, float)):
            expected = "an integer" if kind is int else "a number"
            self.problems.append(f"{where}: expected {expected}, got {value!r}")
            return None
        if value < minimum:
            self.problems.append(f"{where}: must be at least {minimum}, got {value!r}")
            return None
        return kind(value)

    def selectors(self, where: str, value: object) -> Selectors | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problems.append(f"{where}: expected a table of CSS selectors, got {value!r}")
            return None
        self.keys(where, value, _SELECTOR_KEYS)
        found = {}
        for key in _SELECTOR_KEYS & value.keys():
            selector = value[key]
            try:
                soupsieve.compile(selector)
                found[key] = selector
            except (soupsieve.SelectorSyntaxError, TypeError) as error:
                first_line = str(error).splitlines()[0]
                self.problems.append(f"{where}.{key}: bad CSS selector {selector!r}: {first_line}")
        return Selectors(**found)


def site_from_table(table: dict, defaults: dict, where: str, checker: _Checker) -> Site | None:
    """One site from its TOML table; problems are added to ``checker``."""
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        checker.problems.append(f"{where}: 'name' is required (a short text, used as the source)")
        name = where
    where = f"{where} ({name})"
    checker.keys(where, table, _SITE_KEYS)
    start_urls = checker.urls(f"{where}.start_urls", table.get("start_urls"))
    feeds = checker.urls(f"{where}.feeds", table.get("feeds"))
    sitemaps = checker.urls(f"{where}.sitemaps", table.get("sitemaps"))
    if not (start_urls or feeds or sitemaps):
        checker.problems.append(f"{where}: give at least one of start_urls, feeds, sitemaps")
    organisations = checker.strings(f"{where}.organisations", table.get("organisations"), single_ok=True)
    organisations += checker.strings(f"{where}.organisation", table.get("organisation"), single_ok=True)
    countries = checker.strings(f"{where}.countries", table.get("countries"), single_ok=True)
    countries += checker.strings(f"{where}.country", table.get("country"), single_ok=True)
    language = table.get("language")
    if language is not None and not (isinstance(language, str) and re.fullmatch(r"[a-z]{2,3}", language)):
        checker.problems.append(f"{where}.language: expected a language code such as 'en', got {language!r}")
        language = None
    merged = {**defaults, **{key: table[key] for key in _DEFAULT_KEYS if key in table}}
    hosts = frozenset(urlsplit(url).hostname or "" for url in (*start_urls, *feeds, *sitemaps))
    return Site(
        name=name.strip(),
        start_urls=start_urls,
        feeds=feeds,
        sitemaps=sitemaps,
        rules=UrlRules(
            allow=checker.patterns(f"{where}.allow", table.get("allow")),
            skip=checker.patterns(f"{where}.skip", table.get("skip")),
            release=checker.patterns(f"{where}.release", table.get("release")),
            hosts=hosts,
        ),
        selectors=checker.selectors(f"{where}.selectors", table.get("selectors")),
        language=language,
        organisations=organisations,
        countries=countries,
        max_depth=checker.number(f"{where}.max_depth", merged.get("max_depth"), int, 0),  # type: ignore[arg-type]
        max_pages=checker.number(f"{where}.max_pages", merged.get("max_pages"), int, 1),  # type: ignore[arg-type]
        delay=checker.number(f"{where}.delay", merged.get("delay"), float, 0),  # type: ignore[arg-type]
    )


def parse_sources(text: str, origin: str = "<sources>") -> list[Site]:
    """Sites from the text of a sources file; raises :class:`SourcesError` listing every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SourcesError(origin, [f"not valid TOML: {error}"]) from error
    checker = _Checker()
    checker.keys("top level", data, {"defaults", "sites"})
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        checker.problems.append("defaults: expected a table")
        defaults = {}
    checker.keys("defaults", defaults, _DEFAULT_KEYS)
    tables = data.get("sites")
    if not isinstance(tables, list) or not tables or not all(isinstance(item, dict) for item in tables):
        checker.problems.append("expected at least one [[sites]] table")
        tables = []
    sites = [site_from_table(table, defaults, f"sites[{n}]", checker) for n, table in enumerate(tables)]
    names = [site.name for site in sites if site]
    for duplicate in sorted({name for name in names if names.count(name) > 1}):
        checker.problems.append(f"site name {duplicate!r} is used more than once")
    if checker.problems:
        raise SourcesError(origin, checker.problems)
    return [site for site in sites if site]


def load_sources(path: str | Path) -> list[Site]:
    """Sites from a sources file on disk."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SourcesError(str(path), [f"cannot read: {error}"]) from error
    return parse_sources(text, str(path))


def sites_for_urls(urls: list[str], **limits: object) -> list[Site]:
    """Ad-hoc sites for URLs given on the command line: one per host, staying on that host."""
    by_host: dict[str, list[str]] = {}
    problems = []
    for raw in urls:
        url = normalize_url(raw)
        if url is None:
            problems.append(f"{raw!r} is not an http(s) URL")
            continue
        by_host.setdefault(urlsplit(url).hostname or "", []).append(url)
    if problems:
        raise SourcesError("command line", problems)
    return [
        Site(name=host, start_urls=tuple(host_urls), rules=UrlRules(hosts=frozenset({host})), **limits)  # type: ignore[arg-type]
        for host, host_urls in by_host.items()
    ]
