"""What a search returns: hits, facets and suggestions, with one ``to_dict()`` for HTML, JSON and CLI."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.engine.contract import FacetCount
from search.request import SearchRequest
from search.spans import EMPTY, Snippet

#: One value of a facet and how many matching documents carry it (the engine contract's type).
FacetValue = FacetCount


@dataclass(frozen=True)
class Hit:
    """One ranked result. ``snippet`` holds the text shown under the title, matches marked (rendered
    to HTML by ``web.snippets``, to text by the CLI and CSV)."""

    id: str
    title: str
    url: str | None
    source: str
    date: str | None
    language: str
    speakers: list[dict]
    events: list[str]
    organisations: list[str]
    countries: list[str]
    score: float
    snippet: Snippet = EMPTY
    duplicates: int = 0
    #: For quote-first searches (``quote:``, a speaker): the quote shown, ``{"speaker", "text", "context"}``.
    quote: dict | None = None

    def to_dict(self) -> dict:
        """A JSON-ready view of the hit, the snippet as ``snippet_spans`` (the web adds its HTML form,
        ``snippet``, beside them: ``web.snippets.hit_json``)."""
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "source": self.source,
            "date": self.date,
            "language": self.language,
            "speakers": self.speakers,
            "events": self.events,
            "organisations": self.organisations,
            "countries": self.countries,
            "score": round(self.score, 4),
            "snippet_spans": self.snippet.to_json(),
            "duplicates": self.duplicates,
            "quote": self.quote,
        }


@dataclass(frozen=True)
class SearchResult:
    """The answer to one ``SearchRequest``."""

    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    suggestion: str | None = None
    took_ms: float = 0.0
    histogram: list[dict] = field(default_factory=list)

    @property
    def pages(self) -> int:
        """Number of result pages for the request's page size."""
        return max(1, -(-self.total // self.request.per_page))

    def to_dict(self) -> dict:
        """The stable JSON shape: ``{"ok", "total", "page", "per_page", "pages", "hits", "facets", ...}``."""
        return {
            "ok": True,
            "query": self.request.to_dict(),
            "total": self.total,
            "page": self.request.page,
            "per_page": self.request.per_page,
            "pages": self.pages,
            "hits": [hit.to_dict() for hit in self.hits],
            "facets": {
                name: [{"value": fv.value, "count": fv.count} for fv in values]
                for name, values in self.facets.items()
            },
            "suggestion": self.suggestion,
            "took_ms": round(self.took_ms, 2),
        }
