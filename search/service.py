"""The search service: the engine's reader behind a result cache, and every read operation.

The CLI, the web pages and the JSON API all answer through this class, so the same parameters give
the same results everywhere. It talks to the engine only through ``index.engine.contract``: hits come
back as store ids and scores, and are completed from the store (titles, metadata, snippets).

Thread-safe without a lock across a search: the engine's reader is shared by concurrent searches (see
``index.engine.reader``), the result cache takes a short lock for its bookkeeping only, and each thread
reads the store through its own SQLite connection. In a forked worker process the service starts afresh.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from index.engine.budget import Deadline, check_current, deadline_scope
from index.engine.contract import EngineReader, MatchRequest, QueryError, RankedHit
from index.engine.integrity import REPAIR_COMMAND, IndexDamaged
from index.engine.select import open_engine
from index.settings import as_settings
from index.settings import data_dir as settings_data_dir
from index.store.documents import STORE_FILENAME, DocumentStore
from search.facets import CHRONOLOGICAL, PUBLIC_FACETS
from search.highlight import highlight_paragraphs, snippet
from search.histogram import histogram_bars
from search.quotes import quote_focus, quote_for_hit
from search.request import DEFAULT_PER_PAGE, SearchRequest
from search.results import Hit, SearchResult
from search.suggest import did_you_mean, suggest_completions

LOGGER = logging.getLogger(__name__)

#: Facet values shown with a search page; the chart reads every year and month.
PAGE_FACET_VALUES = 20
CHART_VALUES = 1000
MLT_TEXT_CHARS = 20000


def match_request(req: SearchRequest) -> MatchRequest:
    """What the engine needs of a search request (page, page size and presentation left out)."""
    return MatchRequest(
        text=req.q, speaker=req.speaker, event=req.event, country=req.country, org=req.org, source=req.source,
        lang=req.lang, date_from=req.date_from, date_to=req.date_to, sort=req.sort,
    )


class SearchService:
    """Search, documents, facets, suggestions and health over one data directory."""

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.settings = settings = as_settings(settings)
        self.data_dir = settings_data_dir(settings)
        self.engine = open_engine(settings)
        self.reader: EngineReader = self.engine.reader()
        if hasattr(self.reader, "indexed_in_store"):  # tells a lost index from a new data directory
            self.reader.indexed_in_store = lambda: self.store.indexed_count()
        self._budget = float(settings.search_time_budget or 0)
        self._cache_size = settings.search_cache_size
        self._start()

    def _start(self) -> None:
        """Fresh state: an empty cache and no store connection (also in a forked child)."""
        self._pid = os.getpid()
        self._cache: OrderedDict = OrderedDict()
        self._cache_version: object = None
        self._cache_lock = threading.Lock()  # the cache's bookkeeping only, never a whole search
        self._local = threading.local()  # one SQLite connection per thread
        self._stores: list[DocumentStore] = []

    def _after_fork(self) -> None:
        if os.getpid() != self._pid:
            self._start()

    # -- lifecycle -----------------------------------------------------------------------------

    @property
    def store(self) -> DocumentStore:
        """This thread's connection to the document store (opened read-only on first use: searches never write)."""
        self._after_fork()
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = DocumentStore(self.data_dir, readonly=True)
            with self._cache_lock:
                self._stores.append(store)
        return store

    def _has_store(self) -> bool:
        return getattr(self._local, "store", None) is not None or (self.data_dir / STORE_FILENAME).exists()

    def close(self) -> None:
        """Close the reader and the store connections."""
        self.reader.close()
        if os.getpid() != self._pid:
            self._start()
            return
        with self._cache_lock:
            stores, self._stores = self._stores, []
            self._cache.clear()
        for store in stores:
            try:
                store.close()
            except Exception:  # noqa: BLE001 - another thread's connection: closing it may be refused
                LOGGER.debug("closing a store connection failed", exc_info=True)
        self._local = threading.local()

    def warm_up(self) -> None:
        """Open the index before the first search (a server worker does this once it has started)."""
        warm = getattr(self.reader, "warm_up", None)
        if warm is not None:
            try:
                warm()
            except IndexDamaged as exc:  # reported by ``health``; searches answer 503 until it is repaired
                LOGGER.debug("not warmed up: %s", exc)

    def version(self) -> object:
        """The version of the index searches answer from now (None without an index); it changes with
        every commit and swapped generation."""
        return self._version()

    def _version(self) -> object:
        """The engine's version; the result cache is emptied when it changes."""
        self._after_fork()
        version = self.reader.version()
        if version != self._cache_version:
            with self._cache_lock:
                if version != self._cache_version:
                    self._cache.clear()
                    self._cache_version = version
        return version

    def _cached(self, key):
        with self._cache_lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
            return found

    # -- search --------------------------------------------------------------------------------

    def search(self, req: SearchRequest, *, facets: bool = True, highlight: bool = True) -> SearchResult:
        """Ranked, filtered, highlighted hits with facet counts and a spelling suggestion."""
        started = time.perf_counter()
        version = self._version()
        if version is None:
            return SearchResult(req, 0, [], {}, None, 0.0)
        key = (version, req, facets, highlight)
        cached = self._cached(key)
        if cached is not None:
            return replace(cached, took_ms=(time.perf_counter() - started) * 1000)
        with deadline_scope(Deadline(self._budget)):  # over budget: SearchTimeout, a 503
            result = self._search(req, facets=facets, highlight=highlight, version=version)
        result = replace(result, took_ms=(time.perf_counter() - started) * 1000)
        self._remember(key, result)
        return result

    def _search(self, req: SearchRequest, *, facets: bool, highlight: bool, version: object = None) -> SearchResult:
        wanted: dict[str, int] = {}
        if facets:
            wanted = {name: PAGE_FACET_VALUES for name in PUBLIC_FACETS}
            wanted.update({name: CHART_VALUES for name in CHRONOLOGICAL})
        matched = self.reader.match(
            match_request(req), offset=(req.page - 1) * req.per_page, limit=req.per_page, facets=wanted
        )
        hits = self._hits(matched.hits, req.q if highlight else None, req)
        facet_counts = {name: matched.facets.get(name, [])[:PAGE_FACET_VALUES] for name in PUBLIC_FACETS}
        facet_counts = facet_counts if facets and matched.total else {}
        bars: list[dict] = []
        if facets:  # the chart above the results needs the same match set: keep its bars too
            bars = _histogram(matched.facets)
            self._remember(_histogram_key(version, req), bars)
        suggestion = None
        if req.q and matched.total < 3:
            check_current("suggesting")
            suggestion = did_you_mean(self.reader, req.q)
        return SearchResult(req, matched.total, hits, facet_counts, suggestion, histogram=bars)

    def hits_for(self, ranked: list[RankedHit], req: SearchRequest, memo: dict | None = None) -> list[Hit]:
        """Hits for engine results of ``req`` (snippets or quotes included), for exports;
        ``memo`` (a dict kept across calls) keeps the query's analysis."""
        return self._hits(ranked, req.q, req, memo)

    def _analysis(self, query: str, req: SearchRequest | None, language: str, memo: dict) -> tuple:
        """The query's highlight words, quote focus and a remembering ``analyze`` for ``language``,
        worked out once per language for a page (or a whole export) rather than per hit."""
        found = memo.get(language)
        if found is None:
            analyze = functools.lru_cache(maxsize=50_000)(self.reader.analyze(language))
            focus = quote_focus(self.reader, req, language) if req is not None else None
            found = memo[language] = (self.reader.highlight_terms(query, language), focus, analyze)
        return found

    def _hits(
        self, ranked: list[RankedHit], query: str | None, req: SearchRequest | None = None, memo: dict | None = None
    ) -> list[Hit]:
        """Hits completed from the store; with ``query``, a snippet of the sentences it matches, or for
        a quote-first search (``quote:``, a speaker) the matching quote (``search.quotes``)."""
        memo = {} if memo is None else memo
        ids = [hit.id for hit in ranked]
        columns = "id, source, url, title, date, language, speakers, events, organisations, countries"
        rows = self.store.get_many(ids, columns=columns + (", body, quotes" if query is not None else ""))
        hits: list[Hit] = []
        for found in ranked:
            row = rows.get(found.id)
            if row is None:
                continue
            text = ""
            quote = None
            if query is not None:
                words, focus, analyze = self._analysis(query, req, row["language"], memo)
                quote = quote_for_hit(row, focus, analyze) if focus is not None else None
                text = quote.html if quote is not None else snippet(row["body"], words, analyze)
            hits.append(
                Hit(
                    id=row["id"],
                    title=row["title"],
                    url=row["url"],
                    source=row["source"],
                    date=row["date"],
                    language=row["language"],
                    speakers=json.loads(row["speakers"]),
                    events=json.loads(row["events"]),
                    organisations=json.loads(row["organisations"]),
                    countries=json.loads(row["countries"]),
                    score=found.score,
                    snippet=text,
                    duplicates=found.duplicates,
                    quote=quote.to_dict() if quote else None,
                )
            )
        return hits

    # -- documents -----------------------------------------------------------------------------

    def get_document(self, doc_id: str, *, highlight: str = "") -> dict | None:
        """The stored document as a dict, with ``body_html`` (escaped, query words in ``<mark>``)."""
        doc = self.store.get(doc_id) if self._has_store() else None
        if doc is None:
            return None
        data = doc.to_dict()
        words: frozenset[str] = frozenset()
        if highlight:
            try:
                words = self.reader.highlight_terms(highlight, doc.language)
            except QueryError:
                words = frozenset()
        analyze = self.reader.analyze(doc.language)
        data["body_html"] = highlight_paragraphs(doc.body, words, analyze)
        return data

    def more_like_this(self, doc_id: str, limit: int = 5) -> list[Hit]:
        """Documents whose key terms resemble this one's (its duplicates left out)."""
        if not self._has_store():
            return []
        row = self.store.get_many([doc_id], columns="id, body, language, dup_group").get(doc_id)
        if row is None:
            return []
        similar = self.reader.more_like_this(doc_id, row["body"][:MLT_TEXT_CHARS], row["language"], limit * 3)
        groups = self.store.dup_groups([hit.id for hit in similar])
        seen = {row["dup_group"]}
        chosen: list[RankedHit] = []
        for hit in similar:
            group = groups.get(hit.id)
            if group in seen:
                continue
            seen.add(group)
            chosen.append(hit)
            if len(chosen) >= limit:
                break
        return self._hits(chosen, None)

    # -- facets, suggestions, histogram, health ------------------------------------------------

    def facets(self, req: SearchRequest, *, limit: int = 50) -> dict:
        """Facet counts for a request, with more values than a search page shows."""
        if self._version() is None:
            return {name: [] for name in PUBLIC_FACETS}
        return self.reader.facet_counts(match_request(req), {name: limit for name in PUBLIC_FACETS})

    def suggest(self, prefix: str, limit: int = 10) -> list[dict]:
        """Completions for a prefix: speakers, events and title words, most frequent first."""
        if self._version() is None:
            return []
        return suggest_completions(self.reader, prefix, limit)

    def histogram(self, req: SearchRequest) -> list[dict]:
        """Matching documents per year, or per month when the dates span at most three years.

        Kept in the result cache under the index version, query, filters and dates (page, page size
        and sort do not change it), so paging and sorting a search reuse it.
        """
        version = self._version()
        if version is None:
            return []
        key = _histogram_key(version, req)
        cached = self._cached(key)
        if cached is not None:
            return [dict(bucket) for bucket in cached]
        counts = self.reader.facet_counts(match_request(req), {name: CHART_VALUES for name in CHRONOLOGICAL})
        bars = _histogram(counts)
        self._remember(key, bars)
        return [dict(bucket) for bucket in bars]

    def _remember(self, key, value) -> None:
        """Put a value in the LRU result cache (nothing is kept when its size is 0)."""
        if self._cache_size <= 0:
            return
        with self._cache_lock:
            self._cache[key] = value
            self._cache.move_to_end(key)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def health(self) -> dict:
        """Whether an index is present and whole, how many documents it holds, and its age in seconds;
        a missing or corrupt index is reported with the command that repairs it."""
        try:
            health = self.reader.health()
        except IndexDamaged as exc:
            return {
                "ok": False,
                "index_present": exc.status.state != "missing",
                "index_state": exc.status.state,
                "error": str(exc),
                "repair": REPAIR_COMMAND,
                "documents": 0,
                "index_age_seconds": None,
            }
        data = {
            "ok": health.present,
            "index_present": health.present,
            "index_state": "ok" if health.present else "absent",
            "documents": health.documents,
            "index_age_seconds": health.age_seconds,
        }
        if not health.present:
            data["error"] = "no index yet: run `migsearch ingest` first"
        return data


def _histogram(counts: dict) -> list[dict]:
    """The chart bars of a match set's year and month counts (see ``search.histogram``)."""
    return histogram_bars(counts)


def _histogram_key(version: object, req: SearchRequest) -> tuple:
    """The cache key of a request's histogram: page, page size and sort do not change it."""
    return ("histogram", version, req.with_changes(page=1, per_page=DEFAULT_PER_PAGE, sort="relevance"))
