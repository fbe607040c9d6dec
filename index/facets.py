"""The one facet and filter registry: every facet users see or filter by, in display order, with its
labels and the engine field holding its display values.

Everything else derives from ``REGISTRY``: the facets counted with a search (``PUBLIC_FACETS``), the
exact filters a request takes (``FILTERS``), the facets ordered by value (``CHRONOLOGICAL``), the
schema's facet fields (``FACET_FIELDS``) and the page labels. Adding a facet is one line here, one
field in the schema (``index/engine/schema.py``) and, for a filter, its query in ``index/engine/query.py``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Facet:
    """One facet: its name (the URL parameter and the key of its counts), how pages label its values and
    its filter (None: not an exact filter), the engine field of its values, whether every search counts
    it, and whether its values are ordered by value, newest first (dates) rather than by count."""

    name: str
    label: str
    filter_label: str | None
    field: str
    public: bool = True
    chronological: bool = False


REGISTRY: tuple[Facet, ...] = (
    Facet("speaker", "Speakers", "Speaker", "speaker_facet"),
    Facet("mentions", "Mentioned", None, "mentions_facet"),  # named in a release, not speaking (no filter)
    Facet("event", "Events", "Event", "event_facet"),
    Facet("country", "Countries", "Country", "country_facet"),
    Facet("org", "Organisations", "Organisation", "org_facet"),
    Facet("source", "Sources", "Source", "source"),
    Facet("year", "Years", None, "year", chronological=True),
    Facet("month", "Months", None, "month", public=False, chronological=True),
    Facet("lang", "Languages", "Language", "language"),
)

#: Facets counted with every search and shown, in display order.
PUBLIC_FACETS: tuple[str, ...] = tuple(f.name for f in REGISTRY if f.public)
#: Exact-value filters a request can carry, by the name users type.
FILTERS: tuple[str, ...] = tuple(f.name for f in REGISTRY if f.filter_label)
#: Facets counted by value, newest first (the others: most frequent first, ties by value).
CHRONOLOGICAL: tuple[str, ...] = tuple(f.name for f in REGISTRY if f.chronological)
#: Facet name -> the engine field holding its display values (one term per value).
FACET_FIELDS: dict[str, str] = {f.name: f.field for f in REGISTRY}
#: Headings of the facets on pages, and the names of the filters.
FACET_LABELS: dict[str, str] = {f.name: f.label for f in REGISTRY if f.public}
FILTER_LABELS: dict[str, str] = {f.name: f.filter_label for f in REGISTRY if f.filter_label}
