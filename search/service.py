"""The search service: one searcher kept open and refreshed, a result cache, and every read operation.

The CLI, the web pages and the JSON API all answer through this class, so the same parameters give
the same results everywhere. Whoosh stays behind it (and behind ``index.engine.query``/``search.facets``).
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

from index.engine.accel.collect import PassCache, scored_pass
from index.engine.indexer import index_exists, index_path
from index.engine.integrity import IndexDamaged, IndexStatus, check_index
from index.engine.query import QueryBuilder, present_languages
from index.engine.query_cost import DEFAULT_MAX_TERMS, Deadline, QueryCostError, deadline_scope
from index.engine.schema import field_suffix
from index.settings import data_dir as settings_data_dir
from index.store.documents import DocumentStore
from search.facets import PUBLIC_FACETS, FacetIndex
from search.highlight import highlight_paragraphs, snippet
from search.histogram import histogram_bars
from search.proximity import RERANK_DEPTH, proximity_bonus, rerank
from search.request import DEFAULT_PER_PAGE, QueryError, SearchRequest, SearchUnavailable
from search.results import Hit, SearchResult
from search.suggest import did_you_mean, suggest_completions

LOGGER = logging.getLogger(__name__)

REFRESH_CHECK_SECONDS = 0.5


class _Generation:
    """An open index generation: its searcher, query builder and facet arrays."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.ix = windex.open_dir(str(path))
        self.searcher = self.ix.searcher()
        self.reload()

    def reload(self) -> None:
        reader = self.searcher.reader()
        self.schema = self.searcher.schema  # ix.schema reads the TOC from disk on every access
        self.builder = QueryBuilder(self.schema, present_languages(reader))
        self.facets = FacetIndex(reader)
        self.passes = PassCache()
        self.version = (str(self.path), self.ix.latest_generation())

    def close(self) -> None:
        self.searcher.close()
        self.ix.close()


class SearchService:
    """Search, documents, facets, suggestions and health over one data directory."""

    def __init__(self, settings: dict) -> None:
        self.settings = settings
        self.data_dir = settings_data_dir(settings)
        self._lock = threading.RLock()
        self._generation: _Generation | None = None
        self._checked = 0.0
        self._cache: OrderedDict = OrderedDict()
        self._cache_size = int(settings.get("SEARCH_CACHE_SIZE", 512))
        self._store: DocumentStore | None = None
        self._status = IndexStatus("absent")
        self._max_terms = int(settings.get("MAX_QUERY_TERMS", DEFAULT_MAX_TERMS))
        self._budget = float(settings.get("SEARCH_TIME_BUDGET", 5.0) or 0)

    # -- lifecycle -----------------------------------------------------------------------------

    @property
    def store(self) -> DocumentStore:
        """The document store (opened on first use)."""
        if self._store is None:
            self._store = DocumentStore(self.data_dir)
        return self._store

    def close(self) -> None:
        """Close the searcher and the store."""
        with self._lock:
            if self._generation is not None:
                self._generation.close()
                self._generation = None
            if self._store is not None:
                self._store.close()
                self._store = None

    def _current(self, *, force: bool = False) -> _Generation | None:
        """The open generation, refreshed when the index changed or was swapped.

        Checks at most every ``REFRESH_CHECK_SECONDS`` unless ``force``.
        """
        now = time.monotonic()
        gen = self._generation
        if gen is not None and not force and now - self._checked < REFRESH_CHECK_SECONDS:
            return gen
        self._checked = now
        if not index_exists(self.data_dir):
            self._check_integrity()
            return None
        path = index_path(self.data_dir)
        if gen is None or gen.path != path:
            self._check_integrity()
            new = _Generation(path)
            if gen is not None:
                gen.close()
            self._generation = gen = new
            self._cache.clear()
        elif not gen.searcher.up_to_date():
            self._check_integrity()
            gen.searcher = gen.searcher.refresh()
            gen.reload()
            self._cache.clear()
        return gen

    def _check_integrity(self, *, read_segments: bool = True) -> IndexStatus:
        """Check the live index (``index.integrity``); raise ``IndexDamaged`` when it is missing or
        corrupt, so searches answer 503 with the repairing command instead of silently nothing."""
        try:
            indexed = self.store.indexed_count()
        except Exception:  # noqa: BLE001 - an unreadable store must not hide the index's own state
            indexed = 0
        self._status = check_index(self.data_dir, indexed_in_store=indexed, read_segments=read_segments)
        self._status.raise_if_damaged()
        return self._status

    def _reopen(self) -> _Generation | None:
        """Drop the open generation and open the live one again."""
        if self._generation is not None:
            try:
                self._generation.close()
            except Exception:  # noqa: BLE001 - closing a removed generation may fail; it is gone anyway
                LOGGER.debug("closing a stale generation failed", exc_info=True)
            self._generation = None
        self._cache.clear()
        return self._current(force=True)

    # -- search --------------------------------------------------------------------------------

    def search(self, req: SearchRequest, *, facets: bool = True, highlight: bool = True) -> SearchResult:
        """Ranked, filtered, highlighted hits with facet counts and a spelling suggestion."""
        started = time.perf_counter()
        with self._lock:
            gen = self._current()
            if gen is None:
                return SearchResult(req, 0, [], {}, None, 0.0)
            key = (gen.version, req, facets, highlight)
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return replace(cached, took_ms=(time.perf_counter() - started) * 1000)
            deadline = Deadline(self._budget)
            try:
                with deadline_scope(deadline):
                    result = self._search(gen, req, facets=facets, highlight=highlight, deadline=deadline)
            except QueryCostError as exc:
                raise _query_error(exc) from exc
            except QueryError:
                raise
            except Exception as exc:  # noqa: BLE001 - damaged files raise anything; classified below
                # The generation may have been swapped and removed under us: reopen once and retry;
                # a damaged index is reported as such (503 naming the repair), not as a 500.
                LOGGER.info("search failed on %s (%r); reopening the index", gen.path, exc)
                gen = self._reopen()
                if gen is None:
                    return SearchResult(req, 0, [], {}, None, 0.0)
                try:
                    result = self._search(gen, req, facets=facets, highlight=highlight, deadline=deadline)
                except QueryCostError as again:
                    raise _query_error(again) from again
                except QueryError:
                    raise
                except Exception as again:  # noqa: BLE001
                    self._check_integrity()
                    raise IndexDamaged(
                        IndexStatus(
                            "corrupt",
                            f"the search index could not be read ({again.__class__.__name__}: {again}); "
                            "run `migsearch reindex --full` to rebuild it from the store",
                        )
                    ) from again
            result = replace(result, took_ms=(time.perf_counter() - started) * 1000)
            self._remember(key, result)
            return result

    def _parse(self, gen: _Generation, text: str, deadline: Deadline | None = None):
        """The query of ``text``, bounded by the cost model (``QueryCostError`` when too broad)."""
        return gen.builder.parse_bounded(
            text, gen.searcher.reader(), max_terms=self._max_terms, deadline=deadline
        )

    def _search(
        self, gen: _Generation, req: SearchRequest, *, facets: bool, highlight: bool, deadline: Deadline | None = None
    ) -> SearchResult:
        deadline = deadline or Deadline(None)
        q = gen.builder.favour_lead_speaker(self._parse(gen, req.q, deadline), req)
        filter_q = gen.builder.filters(req)
        by_relevance = bool(req.q) and req.sort == "relevance"
        near = gen.builder.proximity_terms(req.q) if by_relevance else {}
        if by_relevance:
            # One scoring pass gives the ranking and every matching document (for totals and facets).
            ranked, matched = scored_pass(gen.searcher, q, filter_q, _limit(req, near), gen.passes)
        else:
            combined = q if filter_q is None else wq.And([q, filter_q])
            ranked, matched = None, list(gen.searcher.docs_for_query(combined))
        deadline.check("matching")
        mask = gen.facets.mask(matched)
        group_counts = gen.facets.group_counts(mask)
        total = int(np.count_nonzero(group_counts))
        hits: list[Hit] = []
        if total:
            page_docs = self._page(gen, q, filter_q, req, ranked, near, deadline)
            deadline.check("ranking")
            hits = self._hits(gen, q, page_docs, group_counts, highlight=highlight)
            deadline.check("highlighting")
        facet_counts = gen.facets.counts(mask) if facets and total else {}
        bars: list[dict] = []
        if facets:  # the chart above the results needs the same match set: keep its bars too
            bars = _histogram(gen, mask)
            self._remember(_histogram_key(gen, req), bars)
        suggestion = None
        if req.q and total < 3:
            deadline.check("suggesting")
            suggestion = did_you_mean(gen.searcher, req.q, gen.builder.languages)
        return SearchResult(req, total, hits, facet_counts, suggestion, histogram=bars)

    @staticmethod
    def _page(
        gen: _Generation,
        q,
        filter_q,
        req: SearchRequest,
        ranked=None,
        near: dict | None = None,
        deadline: Deadline | None = None,
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
            if deadline is not None:
                deadline.check("paging")
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
        with self._lock:
            gen = self._current()
            analyzer = gen.schema[fieldname].analyzer if gen else None
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
        with self._lock:
            gen = self._current()
            if gen is None:
                return []
            docnum = gen.searcher.document_number(id=doc_id)
            row = self.store.get_many([doc_id], columns="id, body, language, dup_group").get(doc_id)
            if docnum is None or row is None or not row["body"].strip():
                return []  # an empty body has no key terms (Whoosh would fall back to a term vector)
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
        with self._lock:
            gen = self._current()
            if gen is None:
                return {name: [] for name in PUBLIC_FACETS}
            q = self._bounded(gen, req.q)
            filter_q = gen.builder.filters(req)
            combined = q if filter_q is None else wq.And([q, filter_q])
            matched = list(gen.searcher.docs_for_query(combined))
            return gen.facets.counts(gen.facets.mask(matched), limit=limit)

    def suggest(self, prefix: str, limit: int = 10) -> list[dict]:
        """Completions for a prefix: speakers, events and title words, most frequent first."""
        with self._lock:
            gen = self._current()
            if gen is None:
                return []
            return suggest_completions(gen.searcher.reader(), gen.facets, prefix, limit)

    def histogram(self, req: SearchRequest) -> list[dict]:
        """Matching documents per year, or per month when the dates span at most three years.

        Kept in the result cache under the index version, query, filters and dates (page, page size
        and sort do not change it), so paging and sorting a search reuse it.
        """
        with self._lock:
            gen = self._current()
            if gen is None:
                return []
            key = _histogram_key(gen, req)
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return [dict(bucket) for bucket in cached]
            q = self._bounded(gen, req.q)
            filter_q = gen.builder.filters(req)
            combined = q if filter_q is None else wq.And([q, filter_q])
            bars = _histogram(gen, gen.facets.mask(list(gen.searcher.docs_for_query(combined))))
            self._remember(key, bars)
            return [dict(bucket) for bucket in bars]

    def _bounded(self, gen: _Generation, text: str):
        """``_parse`` with cost-model refusals turned into ``QueryError`` (400, or 503 over budget)."""
        try:
            return self._parse(gen, text, Deadline(self._budget))
        except QueryCostError as exc:
            raise _query_error(exc) from exc

    def _remember(self, key, value) -> None:
        """Put a value in the LRU result cache (nothing is kept when its size is 0)."""
        if self._cache_size <= 0:
            return
        self._cache[key] = value
        self._cache.move_to_end(key)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)


    def health(self) -> dict:
        """Whether an index is present and whole, how many documents it holds, and its age in seconds;
        a missing or corrupt index is reported with the command that repairs it."""
        with self._lock:
            try:
                gen = self._current(force=True)
                if gen is not None:
                    self._check_integrity(read_segments=False)
            except IndexDamaged as exc:
                return {
                    "ok": False,
                    "index_present": exc.status.state != "missing",
                    "index_state": exc.status.state,
                    "error": str(exc),
                    "repair": "migsearch reindex --full",
                    "documents": 0,
                    "index_age_seconds": None,
                }
            if gen is None:
                return {
                    "ok": False,
                    "index_present": False,
                    "index_state": "absent",
                    "error": "no index yet: run `migsearch ingest` first",
                    "documents": 0,
                    "index_age_seconds": None,
                }
            toc = max((p for p in gen.path.glob("_MAIN_*.toc")), key=os.path.getmtime, default=None)
            age = time.time() - os.path.getmtime(toc) if toc else None
            return {
                "ok": True,
                "index_present": True,
                "index_state": "ok",
                "documents": gen.searcher.doc_count(),
                "index_age_seconds": round(age, 1) if age is not None else None,
            }


def _query_error(exc: QueryCostError) -> QueryError:
    """The cost model's refusal as the request error the web and CLI layers answer (400 or 503)."""
    return SearchUnavailable(str(exc)) if exc.status == 503 else QueryError(str(exc))


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
