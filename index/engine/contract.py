"""The engine contract: what ``search/`` and ``index/ingest`` may ask of a search engine, and nothing more.

For whoever implements a second engine (OpenSearch): implement ``Engine``, ``EngineReader`` and
``EngineWriter`` below; ``index.engine.whoosh_engine`` is the reference implementation and
``tests/test_engine_contract.py`` the behaviour both must show. Everything that crosses this boundary is
plain Python (str, int, float, dates, frozen dataclasses defined here, ``index.document.Document``):
no engine objects, no engine document numbers, no engine query objects.

- Documents are named by their store id (``Document.id``). The SQLite store is the source of truth;
  the engine is an index of it that ``reindex --full`` can always rebuild (``Engine.rebuild``).
- Writing: the caller holds the data directory's write lock (``index.engine.lock.WriteLock``) while it
  uses a writer. ``EngineWriter.add/update/delete`` are buffered until ``commit``; a commit makes them
  visible to readers opened or refreshed afterwards. ``Engine.rebuild`` writes a complete new index
  beside the live one and swaps it in atomically (Whoosh: a new generation and a symlink ``rename``;
  OpenSearch: a new index and an alias move); searches during a rebuild keep answering from the old one.
- Duplicates: each document is indexed with its ``dup_group`` (near-duplicates share one). Searches
  collapse on it: one hit per group (the best ranked), ``RankedHit.duplicates`` other matching members,
  and ``MatchResult.total`` counts groups; facet counts count groups too (a group whose members carry
  a value counts once for it), so a value's count is the number of hits a filter on it gives.
- Reading: ``MatchRequest.text`` is the user's query in our query language (README, "Query language":
  words, "phrases", AND/OR/NOT, ``field:value`` with the field names users type, prefixes ``migra*``,
  date ranges); the engine parses it and raises ``QueryError`` when it cannot. Filters are exact
  values (see ``FILTERS``, from the registry in ``index/facets.py``; each facet's engine field is in
  ``FACET_FIELDS`` there). Scores are the engine's own; only their order matters across engines, but
  totals and facet counts must agree exactly.
- Versions: ``EngineReader.version()`` changes whenever a search could answer differently (new commit,
  swapped index); the search side keys its result cache on it. It returns None when no index exists.
- Highlighting happens on the search side, on the store's copy of the body: the engine only says which
  indexed words a query holds for a language (``highlight_terms``) and how a text token is analysed into
  indexed words (``analyze``), so the search side can find the matching tokens in any text.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol, runtime_checkable

from index.document import Document
from index.facets import FILTERS

__all__ = [
    "FILTERS", "SORTS", "Engine", "EngineReader", "EngineWriter", "FacetCount", "IndexHealth", "IndexingFailed",
    "MatchRequest", "MatchResult", "QueryError", "RankedHit",
]

#: Sort orders: by relevance (the default), newest first ("date") or oldest first ("-date").
SORTS = ("relevance", "date", "-date")


class QueryError(ValueError):
    """A request that cannot be answered as given; the message says what to change (HTTP 400)."""

    status = 400


class IndexingFailed(RuntimeError):
    """The engine could not write what it was given (a worker died, the cluster refused); nothing of the
    failed commit is visible and the store still holds every document, so a later run catches up."""


@dataclass(frozen=True)
class MatchRequest:
    """What to match: query text in our query language, exact filters, a date range, a sort order."""

    text: str = ""
    speaker: str = ""
    event: str = ""
    country: str = ""
    org: str = ""
    source: str = ""
    lang: str = ""
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"


@dataclass(frozen=True)
class FacetCount:
    """One value of a facet and how many documents carry it."""

    value: str
    count: int


@dataclass(frozen=True)
class RankedHit:
    """One document of a ranked page: its store id, its score and how many other matching documents
    share its duplicate group."""

    id: str
    score: float
    duplicates: int = 0


@dataclass(frozen=True)
class MatchResult:
    """A ranked window of collapsed hits, the number of matching groups and the requested facet counts.

    Facet values come most frequent first (ties by value), except ``year`` and ``month``: by value,
    newest first.
    """

    total: int
    hits: list[RankedHit]
    facets: dict[str, list[FacetCount]]


@dataclass(frozen=True)
class RefusedDocument:
    """A document the engine would not index, after its own retries (e.g. a value OpenSearch rejects).

    The rest of the commit is indexed; this one stays marked as not indexed in the store, is reported
    by the ingest, and is sent again by the next run (Whoosh refuses none)."""

    id: str
    reason: str


@dataclass(frozen=True)
class IndexHealth:
    """Whether an index is present, how many documents it holds, and the age of its last commit."""

    present: bool
    documents: int
    age_seconds: float | None


@runtime_checkable
class EngineReader(Protocol):
    """A refreshing view of the live index. Not safe for concurrent use: callers serialize."""

    def version(self) -> Hashable | None:
        """An opaque value that changes when answers could change; None when there is no index.

        A reader looks for new commits by itself, at most every half second or so."""
        ...

    def refresh(self) -> None:
        """Look for a new commit or a swapped index now."""
        ...

    def match(
        self, request: MatchRequest, *, offset: int, limit: int, facets: Mapping[str, int] | None = None
    ) -> MatchResult:
        """Ranked hits ``offset`` to ``offset + limit`` (after collapsing duplicates), the total number
        of matching duplicate groups, and the counts of each facet named in ``facets`` (value: how many
        values to return at most) over every matching duplicate group."""
        ...

    def facet_counts(self, request: MatchRequest, facets: Mapping[str, int]) -> dict[str, list[FacetCount]]:
        """The counts of ``facets`` over every document matching ``request`` (no hits ranked)."""
        ...

    def facet_values(self, name: str) -> list[FacetCount]:
        """Every value of a facet with its document count over the whole index, in value order."""
        ...

    def prefix_words(self, prefix: str) -> list[FacetCount]:
        """Title words starting with ``prefix`` (folded, lower case) with their document frequency."""
        ...

    def is_known(self, word: str, languages: Sequence[str]) -> bool:
        """Whether a query word matches anything in the text or name fields of these languages."""
        ...

    def spelling(self, word: str, languages: Sequence[str]) -> str | None:
        """The closest indexed title word to a (lower case) misspelt word, or None."""
        ...

    def languages(self) -> tuple[str, ...]:
        """The languages with documents in the index (always including the default, English)."""
        ...

    def highlight_terms(self, text: str, language: str) -> frozenset[str]:
        """The indexed words of query ``text`` that apply to body text in ``language``."""
        ...

    def analyze(self, language: str) -> Callable[[str], list[str]]:
        """A function turning one lower-cased text token into the indexed words of ``language``'s body."""
        ...

    def more_like_this(self, doc_id: str, text: str, language: str, limit: int) -> list[RankedHit]:
        """Up to ``limit`` documents whose key terms resemble ``text`` (document ``doc_id`` left out),
        best first; no duplicate collapsing."""
        ...

    def health(self) -> IndexHealth:
        """Whether an index is present, its document count and the age of its last commit."""
        ...

    def close(self) -> None:
        """Release the open index."""
        ...


@runtime_checkable
class EngineWriter(Protocol):
    """Buffered changes to the live index; the caller holds the write lock.

    ``procs``: how many processes the engine may use for the next batch of changes (a hint; an engine
    that indexes remotely may ignore it). A writer stays usable after ``commit``.
    """

    procs: int

    def add(self, doc: Document, dup_group: str) -> None:
        """Index a document not yet in the index."""
        ...

    def update(self, doc: Document, dup_group: str) -> None:
        """Index a document, replacing any indexed document with the same id."""
        ...

    def delete(self, doc_id: str) -> None:
        """Remove a document from the index."""
        ...

    def commit(self) -> Sequence[RefusedDocument]:
        """Make every buffered change visible to readers; the documents the engine refused (none on
        Whoosh), which the caller reports and leaves marked as not indexed."""
        ...

    def cancel(self) -> None:
        """Drop every buffered change."""
        ...

    def close(self) -> None:
        """Release the index (after ``commit`` or ``cancel``)."""
        ...


@runtime_checkable
class Engine(Protocol):
    """One engine over one data directory: readers, writers and full rebuilds."""

    def exists(self) -> bool:
        """Whether a live index exists."""
        ...

    def reader(self) -> EngineReader:
        """A reader of the live index (it opens the index when one appears)."""
        ...

    def writer(self, *, procs: int = 1, memory_mb: int = 512, indexed_in_store: int = 0) -> EngineWriter:
        """A writer on the live index, created when absent only if the store has never indexed a
        document (``indexed_in_store``); a lost or damaged index raises ``IndexDamaged`` instead. The
        caller holds the write lock."""
        ...

    def rebuild(
        self,
        documents: Iterable[tuple[Document, str]],
        *,
        procs: int = 1,
        memory_mb: int = 512,
        before_swap: Callable[[str], None] | None = None,
    ) -> int:
        """Index ``(document, dup_group)`` pairs into a new index and swap it in atomically, calling
        ``before_swap`` with the new index's name just before; the caller holds the write lock.
        Returns the number of documents indexed."""
        ...
