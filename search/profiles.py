"""Speaker and event pages: who a person is over time, what they said, where and with whom.

A profile is read from the releases that match a speaker (or event) filter, with the page's own
query if any: the roles the person is named with (first and last dated release of each), their
quotes (those matching the query's words when there is one), the events they spoke at, the people
they appear with, and the years. Counts come from the same facet arrays as the search page's
sidebar, so the numbers on a profile and in the facets agree.
"""

from __future__ import annotations

import difflib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from index.text import WORD_RE
from search.highlight import count_matches, mark, token_matcher
from search.quotes import same_person
from search.request import SearchRequest
from search.results import FacetValue
from search.service import match_request
from search.spans import Snippet

LOGGER = logging.getLogger(__name__)

#: Releases read for roles and quotes (the newest first); counts always cover every release.
MAX_RELEASES_READ = 2000
MAX_QUOTES = 60
#: Roles listed (the most frequent, then in order of first appearance); the rest are counted.
MAX_ROLES = 8
#: A quote longer than this is cut around its first matching word on the profile.
MAX_QUOTE_CHARS = 320
MAX_SUGGESTIONS = 6
KINDS = ("speaker", "event")


@dataclass(frozen=True)
class Role:
    """A role a person is named with, and the span of dated releases naming it."""

    role: str
    count: int
    first: str | None
    last: str | None

    def to_dict(self) -> dict:
        """A JSON-ready view."""
        return {"role": self.role, "count": self.count, "first": self.first, "last": self.last}


@dataclass(frozen=True)
class QuoteItem:
    """One quote on a profile: who said it, the words (``spans``: matches marked), where and when."""

    speaker: str
    text: str
    spans: Snippet
    doc_id: str
    title: str
    date: str | None

    def to_dict(self) -> dict:
        """A JSON-ready view (plain text)."""
        return {"speaker": self.speaker, "text": self.text, "doc_id": self.doc_id, "title": self.title,
                "date": self.date}


@dataclass
class Profile:
    """What a speaker or event page shows above its releases."""

    kind: str
    name: str
    total: int
    roles: list[Role] = field(default_factory=list)
    quotes: list[QuoteItem] = field(default_factory=list)
    quotes_total: int = 0
    events: list[FacetValue] = field(default_factory=list)
    speakers: list[FacetValue] = field(default_factory=list)
    years: list[FacetValue] = field(default_factory=list)
    releases_read: int = 0

    def to_dict(self) -> dict:
        """A JSON-ready view."""
        return {
            "kind": self.kind,
            "name": self.name,
            "total": self.total,
            "roles": [role.to_dict() for role in self.roles],
            "quotes": [quote.to_dict() for quote in self.quotes],
            "quotes_total": self.quotes_total,
            "events": [{"value": fv.value, "count": fv.count} for fv in self.events],
            "speakers": [{"value": fv.value, "count": fv.count} for fv in self.speakers],
            "years": [{"value": fv.value, "count": fv.count} for fv in self.years],
        }


def build_profile(service, kind: str, req: SearchRequest) -> Profile:
    """The profile of ``req``'s speaker (or event) among the releases ``req`` matches."""
    name = req.speaker if kind == "speaker" else req.event
    wanted = {"speaker": 1000, "event": 1000, "year": 1000}
    if service.reader.version() is None:
        return Profile(kind, name, 0)
    # Newest first, one release per duplicate group, as the results and the facets count them.
    newest = match_request(req.with_changes(sort="date"))
    matched = service.reader.match(newest, offset=0, limit=MAX_RELEASES_READ, facets=wanted)
    words_by_language = {
        lang: (service.reader.highlight_terms(req.q, lang) if req.q else frozenset(), service.reader.analyze(lang))
        for lang in service.reader.languages()
    }
    counts = matched.facets
    display = _display_name(kind, name, counts)
    columns = "id, title, date, language, speakers, quotes"
    rows = service.store.get_many([hit.id for hit in matched.hits], columns=columns)
    ordered = [rows[hit.id] for hit in matched.hits if hit.id in rows]
    profile = Profile(kind, display, matched.total, releases_read=len(ordered))
    profile.years = counts.get("year", [])
    if kind == "speaker":
        profile.roles = _roles(ordered, display)
        profile.events = counts.get("event", [])
        profile.speakers = [fv for fv in counts.get("speaker", []) if not same_person(fv.value, display)]
    else:
        profile.speakers = counts.get("speaker", [])
    profile.quotes, profile.quotes_total = _quotes(ordered, display if kind == "speaker" else "", words_by_language)
    return profile


def _display_name(kind: str, name: str, counts: dict) -> str:
    """The facet's spelling of ``name`` (``huseynov`` -> ``Vusal Huseynov``), else ``name`` as given."""
    values = counts.get(kind, [])
    for fv in values:
        if fv.value.casefold() == name.casefold():
            return fv.value
    if kind == "speaker":
        for fv in values:
            if same_person(fv.value, name):
                return fv.value
    return name


def _roles(rows: list, name: str) -> list[Role]:
    """The roles ``name`` is named with, oldest first by first dated release."""
    spans: dict[str, list] = {}
    for row in rows:
        for speaker in json.loads(row["speakers"] or "[]"):
            role = " ".join((speaker.get("role") or "").split())
            if not role or not same_person(speaker.get("name") or "", name):
                continue
            span = spans.setdefault(role.casefold(), [role, 0, None, None])
            span[1] += 1
            date = row["date"]
            if date:
                span[2] = min(span[2] or date, date)
                span[3] = max(span[3] or date, date)
    roles = [Role(role, count, first, last) for role, count, first, last in spans.values()]
    return sorted(roles, key=lambda r: (r.first is None, r.first or "", -r.count))


def main_roles(roles: list[Role], limit: int = MAX_ROLES) -> list[Role]:
    """The ``limit`` roles named most often, in order of first appearance."""
    kept = set(map(id, sorted(roles, key=lambda r: -r.count)[:limit]))
    return [role for role in roles if id(role) in kept]


def _quotes(rows: list, speaker: str, words_by_language: dict) -> tuple[list[QuoteItem], int]:
    """Quotes in ``rows`` (by ``speaker`` when given; matching the query's words when it has some),
    newest first: the first ``MAX_QUOTES`` and how many there are."""
    items: list[QuoteItem] = []
    total = 0
    matchers: dict[str, Callable[[str], bool]] = {}
    for row in rows:
        words, analyze = words_by_language.get(row["language"]) or words_by_language.get("en", (set(), None))
        is_match: Callable[[str], bool] | None = None
        if words and analyze is not None:
            if row["language"] not in matchers:
                matchers[row["language"]] = token_matcher(set(words), analyze)
            is_match = matchers[row["language"]]
        for quote in json.loads(row["quotes"] or "[]"):
            text = " ".join((quote.get("text") or "").split())
            if not text or (speaker and not same_person(quote.get("speaker") or "", speaker)):
                continue
            hits = count_matches(text, is_match)[1] if is_match else 0
            if is_match and not hits:
                continue
            total += 1
            if len(items) < MAX_QUOTES:
                shown = _shorten(text, is_match)
                spans = mark(shown, is_match or (lambda token: False))[0]
                items.append(QuoteItem(quote.get("speaker") or "", text, spans, row["id"], row["title"],
                                       row["date"]))
    return items, total


def _shorten(text: str, is_match) -> str:
    """``text`` cut to about ``MAX_QUOTE_CHARS`` around its first matching word, with "…"."""
    if len(text) <= MAX_QUOTE_CHARS:
        return text
    first = 0
    if is_match is not None:
        first = next((m.start() for m in WORD_RE.finditer(text) if is_match(m.group())), 0)
    start = max(0, first - MAX_QUOTE_CHARS // 3)
    start = text.find(" ", start) + 1 if start else 0
    end = text.rfind(" ", start, start + MAX_QUOTE_CHARS)
    end = end if end > start else start + MAX_QUOTE_CHARS
    return ("… " if start else "") + text[start:end] + (" …" if end < len(text) else "")


def suggestions(service, kind: str, name: str) -> list[str]:
    """Known speakers (or events) whose names look like ``name``: close spellings, then shared words."""
    if service.reader.version() is None:
        return []
    values = service.reader.facet_values(kind)
    by_count = {fv.value: fv.count for fv in values}
    folded = {value.casefold(): value for value in by_count}
    close = difflib.get_close_matches(name.casefold(), list(folded), n=MAX_SUGGESTIONS, cutoff=0.6)
    found = [folded[c] for c in close]
    words = {w for w in name.casefold().split() if len(w) > 2}
    if words and len(found) < MAX_SUGGESTIONS:
        sharing = [v for v in by_count if words & set(v.casefold().split()) and v not in found]
        found += sorted(sharing, key=lambda v: -by_count[v])[: MAX_SUGGESTIONS - len(found)]
    return found
