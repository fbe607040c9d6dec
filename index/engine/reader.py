"""The Whoosh engine's reader: one generation kept open and refreshed, answering the engine contract.

Everything Whoosh-shaped (searchers, document numbers, query objects, analyzers) stays in here and in
the modules it calls; what leaves is ``index.engine.contract``'s plain values.

Concurrency: no lock is held across a search. An open ``Generation`` is one reader and one searcher
shared by every thread, read-only (segment files are memory-mapped and each thread reads them through
its own stream position, see ``index.engine.mapped_files``); what searches keep (decoded postings,
filter masks, facet arrays, date keys) sits in caches whose bookkeeping takes a short lock of its own.
A change to the index (a commit by ingest, ``delete`` or ``reindex``, or a swapped generation) is
noticed within ``REFRESH_CHECK_SECONDS``: one thread opens a fresh reader (never Whoosh's
``refresh()``, whose reader reuse keeps stale deletions and merged-away segments visible) while the
others go on answering from the open one, then the new one replaces it in one assignment; the old one
is closed by the garbage collector when its last search is done. After ``fork`` (the server's worker
processes) the reader starts afresh in the child: nothing the parent opened is used.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Hashable, Mapping, Sequence
from datetime import datetime
from pathlib import Path

import numpy as np
import whoosh.index as windex
from whoosh import query as wq
from whoosh import sorting
from whoosh.searching import Searcher

from index.engine.accel.collect import PassCache, scored_pass, vectorized_pass
from index.engine.accel.vectorized import Unsupported
from index.engine.budget import check_current, current_deadline
from index.engine.contract import FacetCount, IndexHealth, MatchRequest, MatchResult, QueryError, RankedHit
from index.engine.date_order import DateOrder
from index.engine.facets import FacetIndex
from index.engine.generations import index_exists, index_health, index_path
from index.engine.integrity import IndexDamaged, IndexStatus, check_files, check_index, check_opened, outdated
from index.engine.proximity import RERANK_DEPTH, proximity_bonus, rerank
from index.engine.query import QueryBuilder, present_languages
from index.engine.query_cost import DEFAULT_MAX_TERMS
from index.engine.ranking import plain_matches, plain_words, rank_plain
from index.engine.schema import field_suffix, schema_field_names, text_analyzer
from index.engine.trust import TitleTrust

LOGGER = logging.getLogger(__name__)

REFRESH_CHECK_SECONDS = 0.5
HIGHLIGHT_CACHE_SIZE = 256


class Generation:
    """One opened version of the index: a fresh reader, a searcher shared by all threads, the query
    builder, and the facet arrays, date keys and scoring caches (filled on first use)."""

    def __init__(self, path: Path, *, accelerate: bool = True, data_dir: Path | None = None) -> None:
        self.path = path
        self.accelerate = accelerate
        self.ix = windex.open_dir(str(path))
        reader = None
        try:
            reader = self.ix.reader()  # fresh: no reuse of an older reader's segments or deletions
            self._start_searching(reader, data_dir)
        except BaseException:  # a damaged file: nothing stays open (the caller says what is wrong)
            if reader is not None:
                reader.close()
            self.ix.close()
            raise

    def _start_searching(self, reader, data_dir: Path | None) -> None:
        path = self.path
        self.searcher = Searcher(reader, fromindex=self.ix)
        self.schema = reader.schema  # ix.schema reads the TOC from disk on every access
        self.builder = QueryBuilder(self.schema, present_languages(reader))
        self.facets = FacetIndex(reader, cache_dir=path)  # each segment's facet postings cached beside it
        self.builder.is_known_value = self.facets.has_value  # asked per filter: no facet arrays loaded
        self.passes = PassCache()
        self.dates = DateOrder(reader)  # the date column, read on the first search sorted by date
        # title_trust: saved per segment by the writer, else read per document on first use
        self.trust = TitleTrust(reader, data_dir or path.parent, cache_dir=path)
        self.highlights: dict[tuple[str, str], frozenset[str]] = {}  # (query, body field) -> indexed words
        self.version = (str(self.path), reader.generation())

    def is_current(self) -> bool:
        """True while no newer commit of this generation's folder exists."""
        return self.ix.latest_generation() == self.version[1]

    def close(self) -> None:
        """Close the searcher and the index."""
        self.searcher.close()
        self.ix.close()


class WhooshReader:
    """The contract's ``EngineReader`` over ``<data_dir>/index``, refreshed when the index changes."""

    def __init__(self, data_dir: Path, *, accelerate: bool = True, max_terms: int = DEFAULT_MAX_TERMS) -> None:
        self.data_dir = Path(data_dir)
        self.accelerate = accelerate
        self.max_terms = max_terms
        #: How many documents the store has seen indexed (set by the search service): with some, a
        #: missing index is reported as lost (``IndexDamaged``), not taken for a new data directory.
        self.indexed_in_store: Callable[[], int] = lambda: 0
        self._start()

    def _start(self) -> None:
        """Nothing open (also in a forked child, which must not use its parent's files)."""
        self._pid = os.getpid()
        self._generation: Generation | None = None
        self._checked = 0.0
        self._open_lock = threading.Lock()  # held while one thread opens a generation, never in a search

    # -- lifecycle -----------------------------------------------------------------------------

    def current(self, *, force: bool = False) -> Generation | None:
        """The open generation, replaced by a fresh one when the index changed or was swapped.

        Checks at most every ``REFRESH_CHECK_SECONDS`` unless ``force``. While one thread opens the
        new generation, the others keep answering from the open one (``force`` waits for it).
        """
        if os.getpid() != self._pid:
            LOGGER.debug("process %s forked from %s: opening the index afresh", os.getpid(), self._pid)
            self._start()
        gen = self._generation
        if gen is not None and not force and time.monotonic() - self._checked < REFRESH_CHECK_SECONDS:
            return gen
        if not self._open_lock.acquire(blocking=force or gen is None):
            return gen  # another thread is checking or opening: answer from what is open
        try:
            gen = self._generation
            if not force and gen is not None and time.monotonic() - self._checked < REFRESH_CHECK_SECONDS:
                return gen
            path = index_path(self.data_dir)
            unchanged = gen is not None and gen.path == path and gen.is_current()  # (a listing, no TOC read)
            if not unchanged and not index_exists(self.data_dir):
                self._generation = None
                self.check()  # a lost index (the store says documents were indexed) raises IndexDamaged
                return None
            if not unchanged:
                self._generation = gen = self._open_checked(path)  # a corrupt one raises too
            self._checked = time.monotonic()
            return gen
        finally:
            self._open_lock.release()

    def check(self, *, read_segments: bool = True) -> IndexStatus:
        """The live index's state (``index.engine.integrity``); raises ``IndexDamaged`` when it is
        missing or corrupt, so searches answer with the repairing command instead of silently nothing."""
        status = check_index(self.data_dir, indexed_in_store=self.indexed_in_store, read_segments=read_segments)
        status.raise_if_damaged()
        return status

    def _open_checked(self, path: Path) -> Generation:
        """Generation ``path`` opened for searches once it is checked whole (its files against the
        manifest, its segments readable), with the reader it keeps: the index is opened once."""
        problem = check_files(path)  # before opening: damaged files are never read
        if problem is not None:
            raise IndexDamaged(problem)
        try:
            gen = Generation(path, accelerate=self.accelerate, data_dir=self.data_dir)
        except Exception:
            self.check()  # says what is missing or corrupt (``IndexDamaged``) ...
            raise  # ... or the failure was something else: as it is
        status = check_opened(gen.searcher.reader())
        if status.damaged:
            gen.close()
            raise IndexDamaged(status)
        missing = sorted(schema_field_names() - set(gen.schema.names()))
        if missing:  # still searchable; the new fields match nothing until it is rebuilt
            LOGGER.warning("%s (%s)", outdated(missing).message, path)
        return gen

    def reopen(self, failed: Generation | None = None) -> Generation | None:
        """Open the live index again (after a search on ``failed`` broke, say its folder was removed)."""
        with self._open_lock:
            if failed is None or self._generation is failed:
                self._generation = None
            self._checked = 0.0
        return self.current(force=True)

    def close(self) -> None:
        """Close the open generation."""
        if os.getpid() != self._pid:
            self._start()
            return
        with self._open_lock:
            gen, self._generation = self._generation, None
        if gen is not None:
            gen.close()

    def warm_up(self) -> None:
        """Open the index and read the duplicate groups and facet arrays now (a server worker, once it
        has started), so the first searches with facets do not pay for them."""
        gen = self.current(force=True)
        if gen is None:
            return
        try:
            gen.facets.groups  # noqa: B018 - loads them
            gen.facets.fields  # noqa: B018 - loads every facet's arrays
        except Exception:  # noqa: BLE001 - a damaged file: the first search reports it (``_retrying``)
            LOGGER.warning("warming up %s failed; searches will report it", gen.path, exc_info=True)

    def refresh(self) -> None:
        """Look for a new commit or a swapped generation now."""
        self.current(force=True)

    def version(self) -> Hashable | None:
        """The open generation's path and commit number; None without an index."""
        gen = self.current()
        return gen.version if gen is not None else None

    def _retrying(self, answer: Callable[[Generation], object], empty: object) -> object:
        """``answer`` on the current generation, reopened and tried once more when the generation
        was swapped and removed under us (``empty`` without an index)."""
        gen = self.current()
        if gen is None:
            return empty
        try:
            return answer(gen)
        except QueryError:
            raise
        except Exception as exc:  # noqa: BLE001 - damaged files raise anything; classified below
            LOGGER.info("search failed on %s (%r); reopening the index", gen.path, exc)
            gen = self.reopen(gen)
            if gen is None:
                return empty
            try:
                return answer(gen)
            except QueryError:
                raise
            except Exception as again:  # noqa: BLE001 - the same failure twice: a damaged index
                self.check()
                raise IndexDamaged(
                    IndexStatus(
                        "corrupt",
                        f"the search index could not be read ({again.__class__.__name__}: {again}); "
                        "run `migsearch reindex --full` to rebuild it from the store",
                    )
                ) from again

    # -- matching ------------------------------------------------------------------------------

    def _parse(self, gen: Generation, text: str):
        """The query of ``text`` bounded by the cost model (``QueryTooBroad`` when too broad)."""
        return _parse_bounded(gen.builder, gen.searcher.reader(), text, self.max_terms)

    def match(
        self, request: MatchRequest, *, offset: int, limit: int, facets: Mapping[str, int] | None = None
    ) -> MatchResult:
        """Ranked, collapsed hits of a window, the number of matching groups and facet counts."""
        empty = MatchResult(0, [], {})
        return self._retrying(lambda gen: self._match(gen, request, offset, limit, facets), empty)  # type: ignore[return-value]

    def _match(
        self, gen: Generation, request: MatchRequest, offset: int, limit: int, facets: Mapping[str, int] | None
    ) -> MatchResult:
        q = gen.builder.favour_lead_speaker(self._parse(gen, request.text), request)
        filter_q = gen.builder.filters(request)
        by_relevance = bool(request.text) and request.sort == "relevance"
        words = plain_words(request.text) if request.text else None
        near = gen.builder.proximity_terms(request.text) if by_relevance and not words else {}
        wanted = offset + limit
        ranked: list[tuple[int, float]] | None
        if words and by_relevance:  # plain words: OR with coordination, trusted titles, proximity (ranking)
            lead = gen.builder.lead_query(request.speaker) if request.speaker else None
            ranked, matched = rank_plain(
                gen.searcher, gen.builder, words, filter_q, gen.passes, gen.trust, lead_q=lead
            )
        elif words:  # the same matches by date: a sort never changes what a query finds
            matched = plain_matches(gen.searcher, gen.builder, words, filter_q, gen.passes)
            ranked = gen.dates.order(matched, newest_first=request.sort != "-date")
        elif by_relevance:
            # One scoring pass gives the ranking and every matching document (for totals and facets).
            ranked, matched = scored_pass(  # type: ignore[assignment]
                gen.searcher, q, filter_q, _depth(wanted, near), gen.passes if self.accelerate else None
            )
        else:  # by date: the matches in date order, as Whoosh's sorted search gives them (index.engine.date_order)
            matched = self._matches(gen, q, filter_q)  # type: ignore[assignment]
            ranked = gen.dates.order(matched, newest_first=request.sort != "-date") if self.accelerate else None
        check_current("matching")
        mask = gen.facets.mask(matched)
        group_counts = gen.facets.group_counts(mask)
        total = int(np.count_nonzero(group_counts))
        hits: list[RankedHit] = []
        if total:
            # By date: undated releases last either way (``date_order``; vectorised in ``index.engine.date_order``).
            complete = bool(words) or (not by_relevance and ranked is not None)
            page = self._page(gen, q, filter_q, request, offset, limit, ranked, near, complete=complete)
            check_current("ranking")
            reader = gen.searcher.reader()
            for docnum, score in page:
                group = gen.facets.group_of(docnum)
                duplicates = int(group_counts[group]) - 1 if group >= 0 else 0
                hits.append(RankedHit(reader.stored_fields(docnum)["id"], score, max(0, duplicates)))
        counts = gen.facets.counts(mask, dict(facets)) if facets and total else {}
        return MatchResult(total, hits, counts)

    def _page(
        self, gen: Generation, q, filter_q, request: MatchRequest, offset: int, limit: int, ranked=None,
        near: dict | None = None, *, complete: bool = False,
    ) -> list[tuple[int, float]]:
        """(docnum, score) of the window, keeping the best document of each duplicate group.

        By relevance, the best ``RERANK_DEPTH`` hits are re-ranked with a bonus for query words that
        stand near each other (read from the term positions of those documents only). ``complete``:
        ``ranked`` already holds every match in its final order (plain words, ``index.engine.ranking``).
        """
        sort_by_date = not (request.text and request.sort == "relevance")
        sortedby = date_order(newest_first=request.sort != "-date") if sort_by_date else None
        near = {} if sort_by_date else near or {}
        wanted = offset + limit
        depth = _depth(wanted, near)
        passes = gen.passes if self.accelerate else None
        while True:
            check_current("paging")
            if ranked is None:
                if sort_by_date:
                    results = gen.searcher.search(q, filter=filter_q, limit=depth, sortedby=sortedby)
                    ranked = [(docnum, 0.0) for docnum, _ in results.items()]  # (sort keys are not scores)
                else:
                    ranked = scored_pass(gen.searcher, q, filter_q, depth, passes)[0]
            if near and not complete:
                head = [docnum for docnum, _ in ranked[:RERANK_DEPTH]]
                bonus = proximity_bonus(gen.searcher.reader(), near, head, passes.postings if passes else None)
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
            if complete or len(kept) >= wanted or len(ranked) < depth:
                return kept[offset:wanted]
            depth *= 2
            ranked = None

    def _matches(self, gen: Generation, q, filter_q) -> np.ndarray | list[int]:
        """Every document matching ``q`` and ``filter_q`` (vectorised when the query allows)."""
        if self.accelerate:
            try:
                if isinstance(q, wq.Every) and filter_q is not None:  # browsing: what the filter allows
                    return np.flatnonzero(gen.passes.filter_mask(gen.searcher, filter_q))
                return vectorized_pass(gen.searcher, q, filter_q, 0, gen.passes)[1]
            except Unsupported:
                pass
        combined = q if filter_q is None else wq.And([q, filter_q])
        return list(gen.searcher.docs_for_query(combined))

    def facet_counts(self, request: MatchRequest, facets: Mapping[str, int]) -> dict[str, list[FacetCount]]:
        """Facet counts over every document matching ``request``."""

        def answer(gen: Generation) -> dict[str, list[FacetCount]]:
            filter_q = gen.builder.filters(request)
            words = plain_words(request.text) if request.text else None
            if words:  # what the search of the same request counts (``index.engine.ranking``)
                matched = plain_matches(gen.searcher, gen.builder, words, filter_q, gen.passes)
                return gen.facets.counts(gen.facets.mask(matched), dict(facets))
            q = self._parse(gen, request.text)
            combined = q if filter_q is None else wq.And([q, filter_q])
            return gen.facets.counts(gen.facets.mask(list(gen.searcher.docs_for_query(combined))), dict(facets))

        return self._retrying(answer, {name: [] for name in facets})  # type: ignore[return-value]

    # -- vocabulary ----------------------------------------------------------------------------

    def facet_values(self, name: str) -> list[FacetCount]:
        """Every value of a facet with its document count."""
        gen = self.current()
        return gen.facets.values(name) if gen is not None else []

    def prefix_words(self, prefix: str) -> list[FacetCount]:
        """Unstemmed title words (``spell_title``, else ``title``) starting with ``prefix``."""
        gen = self.current()
        if gen is None:
            return []
        reader = gen.searcher.reader()
        words: list[FacetCount] = []
        for fieldname in ("spell_title", "title"):
            if fieldname not in reader.indexed_field_names():
                continue
            for term in reader.expand_prefix(fieldname, prefix):
                text = term.decode("utf-8") if isinstance(term, bytes) else term
                words.append(FacetCount(text, reader.doc_frequency(fieldname, term)))
            if words:
                break
        return words

    def languages(self) -> tuple[str, ...]:
        """Languages with text fields in the index (always English)."""
        gen = self.current()
        return gen.builder.languages if gen is not None else ("en",)

    def is_known(self, word: str, languages: Sequence[str]) -> bool:
        """Whether ``word`` matches a term of the body, title or name fields of these languages."""
        gen = self.current()
        if gen is None:
            return False
        reader = gen.searcher.reader()
        indexed = set(reader.indexed_field_names())
        suffixes = sorted({field_suffix(lang) for lang in languages})
        fieldnames = [f for s in suffixes for f in (f"body{s}", f"title{s}") if f in indexed]
        fieldnames += [f for f in ("speaker", "event", "org", "country") if f in indexed]
        for fieldname in fieldnames:
            for term in gen.schema[fieldname].process_text(word, mode="query"):
                if reader.doc_frequency(fieldname, term) > 0:
                    return True
        return False

    def spelling(self, word: str, languages: Sequence[str]) -> str | None:
        """The most frequent title word within two edits of ``word`` (same first letter), or None."""
        gen = self.current()
        if gen is None:
            return None
        indexed = set(gen.searcher.reader().indexed_field_names())
        suffixes = sorted({field_suffix(lang) for lang in languages})
        for fieldname in (f"title{s}" for s in suffixes if f"spell_title{s}" in indexed):
            options = gen.searcher.corrector(fieldname).suggest(word, limit=1, maxdist=2, prefix=1)
            if options:
                return options[0]
        return None

    def can_correct(self, languages: Sequence[str]) -> bool:
        """Whether the index holds a spelling vocabulary for any of these languages."""
        gen = self.current()
        if gen is None:
            return False
        indexed = set(gen.searcher.reader().indexed_field_names())
        return any(f"spell_title{field_suffix(lang)}" in indexed for lang in languages)

    # -- highlighting --------------------------------------------------------------------------

    def highlight_terms(self, text: str, language: str) -> frozenset[str]:
        """The indexed words of query ``text`` in the body field of ``language``."""
        gen = self.current()
        if gen is None or not text:
            return frozenset()
        fieldname = "body" + field_suffix(language)
        key = (text, fieldname)
        found = gen.highlights.get(key)
        if found is None:  # (asked once per hit: the query is parsed once per field and generation)
            if len(gen.highlights) >= HIGHLIGHT_CACHE_SIZE:
                gen.highlights.clear()
            found = gen.highlights[key] = frozenset(gen.builder.terms_for_highlight(gen.builder.parse(text), fieldname))
        return found

    def analyze(self, language: str) -> Callable[[str], list[str]]:
        """The body analyzer of ``language`` in query mode, as a function from a token to words."""
        gen = self.current()
        fieldname = "body" + field_suffix(language)
        analyzer = gen.schema[fieldname].analyzer if gen is not None and fieldname in gen.schema else None
        if analyzer is None:
            analyzer = text_analyzer(language)

        def words(token: str) -> list[str]:
            return [t.text for t in analyzer(token, mode="query")]

        return words

    # -- more like this, health ----------------------------------------------------------------

    def more_like_this(self, doc_id: str, text: str, language: str, limit: int) -> list[RankedHit]:
        """Documents whose key terms resemble ``text``, best first (``doc_id`` left out)."""
        gen = self.current()
        if gen is None:
            return []
        docnum = gen.searcher.document_number(id=doc_id)
        if docnum is None or not text.strip():
            return []  # an empty text has no key terms (Whoosh would fall back to a term vector)
        fieldname = "body" + field_suffix(language)
        results = gen.searcher.more_like(docnum, fieldname, text=text, top=limit)
        return [RankedHit(hit["id"], hit.score or 0.0) for hit in results]

    def health(self) -> IndexHealth:
        """Whether an index is present, how many documents it holds, and its age in seconds; raises
        ``IndexDamaged`` when it is missing or corrupt.

        With a generation open (a server), it is brought up to date first and its count is what
        searches see; otherwise the count is read from the index's table of contents, opening nothing.
        """
        gen = self.current(force=True) if self._generation is not None and os.getpid() == self._pid else None
        self.check(read_segments=False)  # the manifest's sizes and checksums on every call
        found = index_health(self.data_dir, path=gen.path, documents=gen.searcher.doc_count()) if gen else (
            index_health(self.data_dir)
        )
        return IndexHealth(found["index_present"], found["documents"], found["index_age_seconds"])


def _parse_bounded(builder: QueryBuilder, reader, text: str, max_terms: int):
    return builder.parse_bounded(text, reader, max_terms=max_terms, deadline=current_deadline())


def _depth(wanted: int, near: dict) -> int:
    """How many hits to fetch: the window and a margin for duplicates, or the re-ranking depth when the
    query's words are to be re-ranked by proximity (``near``)."""
    return max(wanted + 10, RERANK_DEPTH) if near else wanted + 10


_MISSING_DATE = 2**63  # the date column holds 2**64 - 1 for a document without a date


def date_order(*, newest_first: bool) -> sorting.TranslateFacet:
    """Sort by date, newest or oldest first, with undated releases last either way (Whoosh stores a missing
    date as the largest value, which would put undated releases first when the newest come first)."""

    def key(value: object) -> tuple[int, float]:
        if isinstance(value, datetime):
            value = value.timestamp() if value.year < 9000 else None
        elif isinstance(value, int) and value >= _MISSING_DATE:
            value = None
        if not isinstance(value, (int, float)):
            return (1, 0)
        return (0, -value if newest_first else value)

    return sorting.TranslateFacet(key, sorting.FieldFacet("date"))
