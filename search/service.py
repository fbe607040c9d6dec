"""The search service: the open index generation, a result cache, and every read operation.

The CLI, the web pages and the JSON API all answer through this class, so the same parameters give
the same results everywhere. Whoosh stays behind it (and behind ``index.engine.query``/``search.facets``).

Concurrency: no lock is held across a search. Each open generation (``_Generation``) is one reader
and one searcher shared by every thread, read-only (segments are memory-mapped, so reads need no
file position); what searches keep (decoded postings, filter masks, facet arrays, results) sits in
caches whose bookkeeping takes a short lock of its own. A change to the index (a commit by ingest,
``delete`` or ``reindex``, or a swapped generation) is noticed within ``REFRESH_CHECK_SECONDS``: one
thread opens a fresh reader (never Whoosh's ``refresh()``, whose reader reuse keeps stale deletions
and merged-away segments) while the others go on answering from the previous one, then the new one
is swapped in by one assignment. After ``fork`` (the server's worker processes), the service starts
afresh in the child: nothing opened by the parent is used.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path

import numpy as np
import whoosh.index as windex
from whoosh import query as wq
from whoosh import sorting
from whoosh.searching import Searcher

from index.engine.accel.collect import PassCache, scored_pass, vectorized_pass
from index.engine.accel.vectorized import Unsupported
from index.engine.generations import index_exists, index_health, index_path
from index.engine.query import QueryBuilder, present_languages
from index.engine.schema import field_suffix
from index.settings import data_dir as settings_data_dir
from index.store.documents import STORE_FILENAME, DocumentStore
from search.facets import PUBLIC_FACETS, FacetIndex
from search.highlight import highlight_paragraphs, snippet
from search.histogram import histogram_bars
from search.proximity import RERANK_DEPTH, proximity_bonus, rerank
from search.request import DEFAULT_PER_PAGE, QueryError, SearchRequest
from search.results import Hit, SearchResult
from search.suggest import did_you_mean, suggest_completions

LOGGER = logging.getLogger(__name__)

# How often a search checks whether the index changed: the bound on how long a committed change
# (add, update, delete, rebuild) stays invisible to a running server, plus the time to open it.
REFRESH_CHECK_SECONDS = 0.5


class _Generation:
    """One opened version of the index: a fresh reader, a searcher shared by all threads, the query
    builder, and the facet arrays and posting caches (filled on first use)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.ix = windex.open_dir(str(path))
        self.reader = self.ix.reader()  # fresh: no reuse of an older reader's segments or deletions
        self.searcher = Searcher(self.reader, fromindex=self.ix)
        self.schema = self.reader.schema  # ix.schema reads the TOC from disk on every access
        self.builder = QueryBuilder(self.schema, present_languages(self.reader))
        self.facets = FacetIndex(self.reader)
        self.passes = PassCache()
        self.version = (str(self.path), self.reader.generation())
        self._date_keys: dict[bool, np.ndarray | None] = {}

    def date_keys(self, reverse: bool) -> np.ndarray | None:
        """Every document's sort key for "by date" (newest first when ``reverse``), as Whoosh's
        ``FieldFacet("date")`` sorts them; None when the index has no date column."""
        if reverse not in self._date_keys:
            parts = []
            for leaf, _ in self.reader.leaf_readers():
                count = leaf.doc_count_all()
                if not leaf.has_column("date"):
                    self._date_keys[reverse] = None
                    return None
                column = leaf.column_reader("date", reverse=reverse, translate=False)
                parts.append(np.fromiter((column.sort_key(d) for d in range(count)), dtype=np.int64, count=count))
            self._date_keys[reverse] = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        return self._date_keys[reverse]

    def is_current(self) -> bool:
        """True while no newer commit of this generation's folder exists."""
        return self.ix.latest_generation() == self.version[1]

    def close(self) -> None:
        self.searcher.close()
        self.ix.close()


class SearchService:
    """Search, documents, facets, suggestions and health over one data directory (thread-safe)."""

    def __init__(self, settings: dict) -> None:
        self.settings = settings
        self.data_dir = settings_data_dir(settings)
        self._cache_size = int(settings.get("SEARCH_CACHE_SIZE", 512))
        self._start()

    def _start(self) -> None:
        """Fresh state: nothing open (also in a forked child, which must not use its parent's files)."""
        self._pid = os.getpid()
        self._generation: _Generation | None = None
        self._checked = 0.0
        self._open_lock = threading.Lock()  # held while one thread opens a new generation, never in a search
        self._cache: OrderedDict = OrderedDict()
        self._cache_lock = threading.Lock()
        self._local = threading.local()  # one SQLite connection per thread
        self._stores: list[DocumentStore] = []

    def _after_fork(self) -> None:
        if os.getpid() != self._pid:
            LOGGER.debug("process %s forked from %s: opening the index afresh", os.getpid(), self._pid)
            self._start()

    # -- lifecycle -----------------------------------------------------------------------------

    @property
    def store(self) -> DocumentStore:
        """This thread's connection to the document store (opened read-only on first use)."""
        self._after_fork()
        store = getattr(self._local, "store", None)
        if store is None:
            readonly = (self.data_dir / STORE_FILENAME).exists()
            store = self._local.store = DocumentStore(self.data_dir, readonly=readonly)
            with self._cache_lock:
                self._stores.append(store)
        return store

    def close(self) -> None:
        """Close the searcher and the store connections."""
        if os.getpid() != self._pid:
            self._start()
            return
        with self._open_lock:
            if self._generation is not None:
                self._generation.close()
                self._generation = None
        with self._cache_lock:
            stores, self._stores = self._stores, []
            self._cache.clear()
        for store in stores:
            try:
                store.close()
            except Exception:  # noqa: BLE001 - another thread's connection: closing it may be refused
                LOGGER.debug("closing a store connection failed", exc_info=True)
        self._local = threading.local()

    def _current(self, *, force: bool = False) -> _Generation | None:
        """The open generation, replaced by a fresh one when the index changed or was swapped.

        Checks at most every ``REFRESH_CHECK_SECONDS`` unless ``force``. While one thread opens
        the new generation, the others keep using the open one (``force`` waits for it).
        """
        self._after_fork()
        gen = self._generation
        now = time.monotonic()
        if gen is not None and not force and now - self._checked < REFRESH_CHECK_SECONDS:
            return gen
        if not self._open_lock.acquire(blocking=force or gen is None):
            return gen  # another thread is checking or opening: answer from what is open
        try:
            gen = self._generation
            if not force and gen is not None and time.monotonic() - self._checked < REFRESH_CHECK_SECONDS:
                return gen
            if not index_exists(self.data_dir):
                self._generation = None
                return None
            path = index_path(self.data_dir)
            if gen is None or gen.path != path or not gen.is_current():
                self._generation = gen = _Generation(path)  # the old one closes when its last user is done
                with self._cache_lock:
                    self._cache.clear()
            self._checked = time.monotonic()
            return gen
        finally:
            self._open_lock.release()

    def _reopen(self, failed: _Generation) -> _Generation | None:
        """Open the live index again after a search on ``failed`` broke (say, its folder was removed)."""
        with self._open_lock:
            if self._generation is failed:
                self._generation = None
            self._checked = 0.0
        return self._current(force=True)

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
        gen = self._current()
        if gen is None:
            return SearchResult(req, 0, [], {}, None, 0.0)
        key = (gen.version, req, facets, highlight)
        cached = self._cached(key)
        if cached is not None:
            return replace(cached, took_ms=(time.perf_counter() - started) * 1000)
        try:
            result = self._search(gen, req, facets=facets, highlight=highlight)
        except (OSError, IndexError, KeyError, ValueError) as exc:
            if isinstance(exc, QueryError):
                raise
            # The generation may have been swapped and removed under us: reopen once and retry.
            LOGGER.info("search failed on %s (%r); reopening the index", gen.path, exc)
            gen = self._reopen(gen)
            if gen is None:
                return SearchResult(req, 0, [], {}, None, 0.0)
            key = (gen.version, req, facets, highlight)
            result = self._search(gen, req, facets=facets, highlight=highlight)
        result = replace(result, took_ms=(time.perf_counter() - started) * 1000)
        self._remember(key, result)
        return result

    def _search(self, gen: _Generation, req: SearchRequest, *, facets: bool, highlight: bool) -> SearchResult:
        q = gen.builder.favour_lead_speaker(gen.builder.parse(req.q), req)
        filter_q = gen.builder.filters(req)
        by_relevance = bool(req.q) and req.sort == "relevance"
        near = gen.builder.proximity_terms(req.q) if by_relevance else {}
        if by_relevance:
            # One scoring pass gives the ranking and every matching document (for totals and facets).
            ranked, matched = scored_pass(gen.searcher, q, filter_q, _limit(req, near), gen.passes)
        else:
            ranked, matched = None, _matches(gen, q, filter_q)
        mask = gen.facets.mask(matched)
        group_counts = gen.facets.group_counts(mask)
        total = int(np.count_nonzero(group_counts))
        hits: list[Hit] = []
        if total:
            if ranked is None and isinstance(matched, np.ndarray):
                ranked = _by_date(gen, matched, newest_first=req.sort != "-date")
            page_docs = self._page(gen, q, filter_q, req, ranked, near)
            hits = self._hits(gen, q, page_docs, group_counts, highlight=highlight)
        facet_counts = gen.facets.counts(mask) if facets and total else {}
        bars: list[dict] = []
        if facets:  # the chart above the results needs the same match set: keep its bars too
            bars = _histogram(gen, mask)
            self._remember(_histogram_key(gen, req), bars)
        suggestion = None
        if req.q and total < 3:
            suggestion = did_you_mean(gen.searcher, req.q, gen.builder.languages)
        return SearchResult(req, total, hits, facet_counts, suggestion, histogram=bars)

    @staticmethod
    def _page(
        gen: _Generation, q, filter_q, req: SearchRequest, ranked=None, near: dict | None = None
    ) -> list[tuple[int, float]]:
        """(docnum, score) of the request's page, keeping the best document of each duplicate group.

        By relevance, the best ``RERANK_DEPTH`` hits are re-ranked with a bonus for query words that
        stand near each other (read from the term positions of those documents only).
        """
        sort_by_date = not (req.q and req.sort == "relevance")
        sortedby = sorting.FieldFacet("date", reverse=req.sort != "-date") if sort_by_date else None
        near = {} if sort_by_date else near or {}
        wanted = req.page * req.per_page
        limit = _limit(req, near)
        while True:
            if ranked is None:
                if sort_by_date:
                    results = gen.searcher.search(q, filter=filter_q, limit=limit, sortedby=sortedby)
                    ranked = [(docnum, float(score or 0.0)) for docnum, score in results.items()]
                else:
                    ranked = scored_pass(gen.searcher, q, filter_q, limit, gen.passes)[0]
            if near:
                head = [docnum for docnum, _ in ranked[:RERANK_DEPTH]]
                bonus = proximity_bonus(gen.searcher.reader(), near, head, gen.passes.postings)
                ranked = rerank(ranked, bonus)
            kept: list[tuple[int, float]] = []
            seen: set[int] = set()
            for docnum, score in ranked:
                group = gen.facets.group_of(docnum)
                if group not in seen:
                    seen.add(group)
                    kept.append((docnum, score))
                    if len(kept) >= wanted:
                        break
            if len(kept) >= wanted or len(ranked) < limit:
                return kept[(req.page - 1) * req.per_page : wanted]
            limit *= 2
            ranked = None

    def _hits(self, gen: _Generation, q, page_docs: list[tuple[int, float]], group_counts,
              *, highlight: bool) -> list[Hit]:
        reader = gen.searcher.reader()
        ids = [reader.stored_fields(docnum)["id"] for docnum, _ in page_docs]
        columns = "id, source, url, title, date, language, speakers, events, organisations, countries"
        rows = self.store.get_many(ids, columns=columns + (", body" if highlight else ""))
        hits: list[Hit] = []
        for doc_id, (docnum, score) in zip(ids, page_docs, strict=True):
            row = rows.get(doc_id)
            if row is None:
                continue
            text = ""
            if highlight:
                fieldname = "body" + field_suffix(row["language"])
                words = gen.builder.terms_for_highlight(q, fieldname)
                text = snippet(row["body"], words, gen.schema[fieldname].analyzer)
            group = gen.facets.group_of(docnum)
            duplicates = int(group_counts[group]) - 1 if group_counts is not None and group >= 0 else 0
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
                    score=score,
                    snippet=text,
                    duplicates=max(0, duplicates),
                )
            )
        return hits

    # -- documents -----------------------------------------------------------------------------

    def get_document(self, doc_id: str, *, highlight: str = "") -> dict | None:
        """The stored document as a dict, with ``body_html`` (escaped, query words in ``<mark>``)."""
        doc = self.store.get(doc_id)
        if doc is None:
            return None
        data = doc.to_dict()
        words: set[str] = set()
        fieldname = "body" + field_suffix(doc.language)
        gen = self._current()
        analyzer = gen.schema[fieldname].analyzer if gen is not None and fieldname in gen.schema else None
        if highlight and gen is not None:
            try:
                words = gen.builder.terms_for_highlight(gen.builder.parse(highlight), fieldname)
            except QueryError:
                words = set()
        if analyzer is None:
            from index.engine.schema import text_analyzer

            analyzer = text_analyzer(doc.language)
        data["body_html"] = highlight_paragraphs(doc.body, words, analyzer)
        return data

    def more_like_this(self, doc_id: str, limit: int = 5) -> list[Hit]:
        """Documents whose key terms resemble this one's (its duplicates left out)."""
        gen = self._current()
        if gen is None:
            return []
        docnum = gen.searcher.document_number(id=doc_id)
        row = self.store.get_many([doc_id], columns="id, body, language, dup_group").get(doc_id)
        if docnum is None or row is None:
            return []
        fieldname = "body" + field_suffix(row["language"])
        results = gen.searcher.more_like(docnum, fieldname, text=row["body"][:20000], top=limit * 3)
        ids = [hit["id"] for hit in results]
        groups = self.store.dup_groups(ids)
        seen = {row["dup_group"]}
        chosen = []
        for hit in results:
            group = groups.get(hit["id"])
            if group in seen:
                continue
            seen.add(group)
            chosen.append(hit)
            if len(chosen) >= limit:
                break
        return self._hits(gen, wq.NullQuery, [(hit.docnum, hit.score or 0.0) for hit in chosen], None,
                          highlight=False)

    # -- facets, suggestions, histogram, health ------------------------------------------------

    def facets(self, req: SearchRequest, *, limit: int = 50) -> dict:
        """Facet counts for a request, with more values than a search page shows."""
        gen = self._current()
        if gen is None:
            return {name: [] for name in PUBLIC_FACETS}
        q = gen.builder.parse(req.q)
        filter_q = gen.builder.filters(req)
        combined = q if filter_q is None else wq.And([q, filter_q])
        matched = list(gen.searcher.docs_for_query(combined))
        return gen.facets.counts(gen.facets.mask(matched), limit=limit)

    def suggest(self, prefix: str, limit: int = 10) -> list[dict]:
        """Completions for a prefix: speakers, events and title words, most frequent first."""
        gen = self._current()
        if gen is None:
            return []
        return suggest_completions(gen.searcher.reader(), gen.facets, prefix, limit)

    def histogram(self, req: SearchRequest) -> list[dict]:
        """Matching documents per year, or per month when the dates span at most three years.

        Kept in the result cache under the index version, query, filters and dates (page, page size
        and sort do not change it), so paging and sorting a search reuse it.
        """
        gen = self._current()
        if gen is None:
            return []
        key = _histogram_key(gen, req)
        cached = self._cached(key)
        if cached is not None:
            return [dict(bucket) for bucket in cached]
        q = gen.builder.parse(req.q)
        filter_q = gen.builder.filters(req)
        combined = q if filter_q is None else wq.And([q, filter_q])
        bars = _histogram(gen, gen.facets.mask(list(gen.searcher.docs_for_query(combined))))
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

    def warm_up(self) -> None:
        """Open the index and read the duplicate groups now, so the first search does not pay for it."""
        gen = self._current(force=True)
        if gen is not None:
            gen.facets.groups  # noqa: B018 - loads them

    def health(self) -> dict:
        """Whether an index is present, how many documents it holds, and its age in seconds.

        With a generation open (a server), it is brought up to date first and its count is what
        searches see; otherwise (``migsearch stats``) the count is read from the index's table of
        contents without opening any segment.
        """
        if self._generation is not None and os.getpid() == self._pid:
            gen = self._current(force=True)
            if gen is None:
                return index_health(self.data_dir)
            return index_health(self.data_dir, path=gen.path, documents=gen.searcher.doc_count())
        return index_health(self.data_dir)


def _matches(gen: _Generation, q, filter_q) -> np.ndarray | list[int]:
    """Every document matching ``q`` and ``filter_q`` (vectorised when the query allows)."""
    try:
        if isinstance(q, wq.Every) and filter_q is not None:  # browsing: what the filter allows
            return np.flatnonzero(gen.passes.filter_mask(gen.searcher, filter_q))
        return vectorized_pass(gen.searcher, q, filter_q, 0, gen.passes)[1]
    except Unsupported:
        combined = q if filter_q is None else wq.And([q, filter_q])
        return list(gen.searcher.docs_for_query(combined))


def _by_date(gen: _Generation, matched: np.ndarray, *, newest_first: bool) -> list[tuple[int, float]] | None:
    """All matches ordered by date as Whoosh's sorted search orders them (the sort key, then the
    document number), each with its sort key as the score (what Whoosh reports); None without dates."""
    keys = gen.date_keys(newest_first)
    if keys is None:
        return None
    matched = np.asarray(matched, dtype=np.int64)
    order = matched[np.lexsort((matched, keys[matched]))]
    return [(int(d), float(k)) for d, k in zip(order.tolist(), keys[order].tolist(), strict=True)]


def _histogram_key(gen: _Generation, req: SearchRequest) -> tuple:
    """The cache key of a request's histogram: page, page size and sort do not change it."""
    return ("histogram", gen.version, req.with_changes(page=1, per_page=DEFAULT_PER_PAGE, sort="relevance"))


def _histogram(gen: _Generation, mask) -> list[dict]:
    """The chart bars of a match set (see ``search.histogram``)."""
    return histogram_bars(gen.facets, mask)


def _limit(req: SearchRequest, near: dict) -> int:
    """How many hits to fetch: the page and a margin for duplicates, or the re-ranking depth when the
    query's words are to be re-ranked by proximity (``near``)."""
    wanted = req.page * req.per_page + 10
    return max(wanted, RERANK_DEPTH) if near else wanted
