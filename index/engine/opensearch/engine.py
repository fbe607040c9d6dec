"""The OpenSearch engine behind the contract (``index.engine.contract``): engine, reader and writer.

The query language is parsed by the same ``QueryBuilder`` as on Whoosh (its terms are already analysed
by the schema's analyzers, which the mapping reproduces), translated to the query DSL
(``translate``) and answered by ``calls``. Highlighting and analysis use the schema's analyzers in this
process: the mapping gives the same terms (tests/test_opensearch_node.py compares them on real text).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any

from opensearchpy.exceptions import NotFoundError

from index.document import Document
from index.engine.contract import FacetCount, IndexHealth, MatchRequest, MatchResult, QueryError, RankedHit
from index.engine.integrity import REPAIR_COMMAND, IndexDamaged, IndexStatus
from index.engine.opensearch.calls import SearchCalls
from index.engine.opensearch.connection import OpenSearchConfig
from index.engine.opensearch.translate import UntranslatableQuery, to_dsl
from index.engine.opensearch.writer import BulkWriter, OpenSearchIndex
from index.engine.query import QueryBuilder
from index.engine.ranking import plain_query, plain_words
from index.engine.schema import FACETS, build_schema, field_suffix, text_analyzer

LOGGER = logging.getLogger(__name__)

REFRESH_CHECK_SECONDS = 0.5
NAME_FIELDS = ("speaker", "event", "org", "country")


class OpenSearchReader:
    """The contract's ``EngineReader`` over the alias: looks for a new commit at most twice a second."""

    def __init__(self, config: OpenSearchConfig) -> None:
        self.config = config
        self.calls = SearchCalls(config)
        self.schema = build_schema()
        self._version: tuple | None = None
        self._commit: float | None = None
        self._builder: QueryBuilder | None = None
        self._checked = -REFRESH_CHECK_SECONDS - 1.0

    # -- lifecycle -----------------------------------------------------------------------------

    def _current(self, *, force: bool = False) -> QueryBuilder | None:
        """The query builder for the live index, refreshed when a commit or a swap happened."""
        now = time.monotonic()
        if not force and now - self._checked < REFRESH_CHECK_SECONDS:
            return self._builder
        self._checked = now
        try:
            found = self.calls.client.indices.get_mapping(index=self.config.alias)
        except NotFoundError:
            self._version, self._builder, self._commit = None, None, None
            return None
        index = sorted(found)[-1]
        meta = found[index]["mappings"].get("_meta") or {}
        version = (index, meta.get("commit"))
        if version != self._version:
            present = {"en", *(lang for lang in self.calls.languages() if field_suffix(lang))}
            languages = tuple(sorted(present))
            if self._builder is None or self._builder.languages != languages:
                self._builder = QueryBuilder(self.schema, languages)
            # As on Whoosh: a filter on a value the facet shows is exact (asked once per value and commit).
            self._builder.is_known_value = KnownValues(self.calls)
            self._version, self._commit = version, meta.get("commit")
        return self._builder

    def version(self) -> Hashable | None:
        """The live index's name and last commit time; None without an index."""
        self._current()
        return self._version

    def refresh(self) -> None:
        """Look for a new commit or a moved alias now."""
        self._current(force=True)

    def close(self) -> None:
        """Close the client's connections."""
        self.calls.client.close()

    # -- matching ------------------------------------------------------------------------------

    def _dsl(self, builder: QueryBuilder, request: MatchRequest, *, lead: bool) -> tuple[dict, dict | None]:
        """The query and filters of ``request``; plain words match as the Whoosh engine's ``rank_plain``
        does, whatever the sort and for facet counts too; ``lead``: a ranked search (the speaker's own
        releases favoured)."""
        words = plain_words(request.text) if request.text else None
        q = plain_query(builder, words) if words else builder.parse(request.text)
        if lead:
            q = builder.favour_lead_speaker(q, request)
        filter_q = builder.filters(request)
        try:
            return to_dsl(q), (to_dsl(filter_q) if filter_q is not None else None)
        except UntranslatableQuery as exc:
            raise QueryError(f"this query cannot be searched on OpenSearch: {exc}") from exc

    def match(
        self, request: MatchRequest, *, offset: int, limit: int, facets: Mapping[str, int] | None = None
    ) -> MatchResult:
        """Ranked, collapsed hits of a window, the number of matching groups and facet counts."""
        builder = self._current()
        if builder is None:
            return MatchResult(0, [], {})
        query, filters = self._dsl(builder, request, lead=True)
        # As on Whoosh: by relevance only with query words; otherwise newest first, or oldest with -date.
        by_relevance = bool(request.text) and request.sort == "relevance"
        sort = "relevance" if by_relevance else ("-date" if request.sort == "-date" else "date")
        found = self.calls.search(query, filters, sort=sort, offset=offset, size=limit, facets=facets)
        hits = [RankedHit(m.doc_id, m.score, max(0, m.group_matches - 1)) for m in found.ranked]
        counts = _counts(found.facets) if found.total else {}
        return MatchResult(found.total, hits if found.total else [], counts)

    def facet_counts(self, request: MatchRequest, facets: Mapping[str, int]) -> dict[str, list[FacetCount]]:
        """Facet counts over every document matching ``request``."""
        builder = self._current()
        if builder is None:
            return {name: [] for name in facets}
        query, filters = self._dsl(builder, request, lead=False)
        return _counts(self.calls.search(query, filters, size=0, facets=facets).facets)

    # -- vocabulary ----------------------------------------------------------------------------

    def facet_values(self, name: str) -> list[FacetCount]:
        """Every value of a facet with its document count, in value order."""
        if self._current() is None:
            return []
        return [FacetCount(value, count) for value, count in self.calls.facet_values(name)]

    def prefix_words(self, prefix: str) -> list[FacetCount]:
        """Unstemmed title words starting with ``prefix`` with their document frequency."""
        if self._current() is None or not prefix:
            return []
        return [FacetCount(w, c) for w, c in self.calls.words_with_prefix("title.words", prefix, 1000)]

    def languages(self) -> tuple[str, ...]:
        """Languages with documents in the index (always English)."""
        builder = self._current()
        return builder.languages if builder is not None else ("en",)

    def is_known(self, word: str, languages: Sequence[str]) -> bool:
        """Whether ``word`` matches the body, title or name fields of these languages."""
        if self._current() is None:
            return False
        suffixes = sorted({field_suffix(lang) for lang in languages})
        fields = [f for s in suffixes for f in (f"body{s}", f"title{s}")] + list(NAME_FIELDS)
        return self.calls.is_known(word, fields)

    def spelling(self, word: str, languages: Sequence[str]) -> str | None:
        """The most frequent title word within two edits of ``word`` (same first letter), or None."""
        if self._current() is None:
            return None
        for suffix in sorted({field_suffix(lang) for lang in languages}):
            best = self.calls.correction(word, f"title{suffix}.words")
            if best:
                return best
        return None

    # -- highlighting --------------------------------------------------------------------------

    def highlight_terms(self, text: str, language: str) -> frozenset[str]:
        """The indexed words of query ``text`` in the body field of ``language``."""
        builder = self._current()
        if builder is None or not text:
            return frozenset()
        return frozenset(builder.terms_for_highlight(builder.parse(text), "body" + field_suffix(language)))

    def analyze(self, language: str) -> Callable[[str], list[str]]:
        """The body analysis of ``language`` (the mapping's analyzer gives the same words)."""
        fieldname = "body" + field_suffix(language)
        analyzer = self.schema[fieldname].analyzer if fieldname in self.schema else text_analyzer(language)

        def words(token: str) -> list[str]:
            return [t.text for t in analyzer(token, mode="query")]

        return words

    # -- more like this, health ----------------------------------------------------------------

    def more_like_this(self, doc_id: str, text: str, language: str, limit: int) -> list[RankedHit]:
        """Documents whose key terms resemble ``text``, best first (``doc_id`` left out)."""
        if self._current() is None:
            return []
        found = self.calls.more_like_this(doc_id, text, "body" + field_suffix(language), limit)
        return [RankedHit(found_id, score) for found_id, score in found]

    def health(self) -> IndexHealth:
        """Whether an index is present, how many documents it holds, and the age of its last commit."""
        if self._current(force=True) is None:
            return IndexHealth(False, 0, None)
        age = round(time.time() - self._commit, 1) if self._commit else None
        return IndexHealth(True, self.calls.count(), age)


class KnownValues:
    """``QueryBuilder.is_known_value`` on a cluster: whether a value is one of a facet's values, asked of
    the index once per facet and value (a new commit makes a new one)."""

    def __init__(self, calls: SearchCalls) -> None:
        self.calls = calls
        self._answers: dict[tuple[str, str], bool] = {}

    def __call__(self, name: str, value: str) -> bool:
        key = (name, value)
        if key not in self._answers:
            if len(self._answers) > 10_000:
                self._answers.clear()
            self._answers[key] = self.calls.holds(FACETS[name], value)
        return self._answers[key]


class OpenSearchEngine:
    """The contract's ``Engine`` on a cluster: each reader, writer and rebuild has its own client."""

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.config = OpenSearchConfig.from_settings(settings)

    def exists(self) -> bool:
        """Whether the alias points to an index."""
        index = OpenSearchIndex(self.config)
        try:
            return index.live_index() is not None
        finally:
            index.close()

    def reader(self) -> OpenSearchReader:
        """A reader of the alias (it finds the index when one appears)."""
        return OpenSearchReader(self.config)

    def writer(self, *, procs: int = 1, memory_mb: int | None = 512, indexed_in_store: int = 0) -> BulkWriter:
        """A bulk writer on the live index, created with the alias when absent, unless the store has
        indexed documents (``indexed_in_store``): a lost index is reported (``IndexDamaged``), never
        replaced by an empty one. ``procs`` and ``memory_mb`` concern local indexing and are ignored."""
        index = OpenSearchIndex(self.config)
        try:
            if indexed_in_store and index.live_index() is None:
                raise IndexDamaged(
                    IndexStatus(
                        "missing",
                        f"the search index is missing: the alias {self.config.alias} names no index although "
                        f"the store holds {indexed_in_store:,} indexed documents; run `{REPAIR_COMMAND}` "
                        "to rebuild it from the store",
                    )
                )
            index.ensure()
        except BaseException:
            index.close()
            raise
        return BulkWriter(index.client, self.config.alias, self.config.bulk_size, owns_client=True)

    def rebuild(
        self,
        documents: Iterable[tuple[Document, str]],
        *,
        procs: int = 1,
        memory_mb: int | None = 512,
        before_swap: Callable[[str], None] | None = None,
    ) -> int:
        """A new index from ``(document, dup_group)`` pairs, the alias moved to it in one step
        (``before_swap`` is told the new index's name just before)."""
        index = OpenSearchIndex(self.config)
        try:
            return index.rebuild(documents, before_swap=before_swap)
        finally:
            index.close()


def _counts(facets: dict[str, list[tuple[str, int]]]) -> dict[str, list[FacetCount]]:
    return {name: [FacetCount(value, count) for value, count in values] for name, values in facets.items()}
