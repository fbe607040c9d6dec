"""The Whoosh engine's reader: one generation kept open and refreshed, answering the engine contract.

Everything Whoosh-shaped (searchers, document numbers, query objects, analyzers) stays in here and in
the modules it calls; what leaves is ``index.engine.contract``'s plain values.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Hashable, Mapping, Sequence
from pathlib import Path

import numpy as np
import whoosh.index as windex
from whoosh import query as wq
from whoosh import sorting

from index.engine.accel.collect import PassCache, scored_pass
from index.engine.budget import check_current, current_deadline
from index.engine.contract import FacetCount, IndexHealth, MatchRequest, MatchResult, QueryError, RankedHit
from index.engine.facets import FacetIndex
from index.engine.indexer import index_exists, index_path
from index.engine.integrity import IndexDamaged, IndexStatus, check_index
from index.engine.proximity import RERANK_DEPTH, proximity_bonus, rerank
from index.engine.query import QueryBuilder, present_languages
from index.engine.query_cost import DEFAULT_MAX_TERMS
from index.engine.schema import field_suffix, text_analyzer

LOGGER = logging.getLogger(__name__)

REFRESH_CHECK_SECONDS = 0.5


class Generation:
    """An open index generation: its searcher, query builder, facet arrays and scoring caches."""

    def __init__(self, path: Path, *, accelerate: bool = True) -> None:
        self.path = path
        self.accelerate = accelerate
        self.ix = windex.open_dir(str(path))
        self.searcher = self.ix.searcher()
        self.reload()

    def reload(self) -> None:
        """Rebuild what depends on the searcher's reader (after a refresh)."""
        reader = self.searcher.reader()
        self.schema = self.searcher.schema  # ix.schema reads the TOC from disk on every access
        self.builder = QueryBuilder(self.schema, present_languages(reader))
        self.facets = FacetIndex(reader)
        self.passes = PassCache()
        self.version = (str(self.path), self.ix.latest_generation())

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
        self._generation: Generation | None = None
        self._checked = 0.0

    # -- lifecycle -----------------------------------------------------------------------------

    def current(self, *, force: bool = False) -> Generation | None:
        """The open generation, refreshed when the index changed or was swapped.

        Checks at most every ``REFRESH_CHECK_SECONDS`` unless ``force``.
        """
        now = time.monotonic()
        gen = self._generation
        if gen is not None and not force and now - self._checked < REFRESH_CHECK_SECONDS:
            return gen
        self._checked = now
        if not index_exists(self.data_dir):
            self.check()
            return None
        path = index_path(self.data_dir)
        if gen is None or gen.path != path:
            self.check()
            new = Generation(path, accelerate=self.accelerate)
            if gen is not None:
                gen.close()
            self._generation = gen = new
        elif not gen.searcher.up_to_date():
            self.check()
            gen.searcher = gen.searcher.refresh()
            gen.reload()
        return gen

    def check(self, *, read_segments: bool = True) -> IndexStatus:
        """The live index's state (``index.engine.integrity``); raises ``IndexDamaged`` when it is
        missing or corrupt, so searches answer with the repairing command instead of silently nothing."""
        try:
            indexed = self.indexed_in_store()
        except Exception:  # noqa: BLE001 - an unreadable store must not hide the index's own state
            indexed = 0
        status = check_index(self.data_dir, indexed_in_store=indexed, read_segments=read_segments)
        status.raise_if_damaged()
        return status

    def reopen(self) -> Generation | None:
        """Drop the open generation and open the live one again."""
        if self._generation is not None:
            try:
                self._generation.close()
            except Exception:  # noqa: BLE001 - closing a removed generation may fail; it is gone anyway
                LOGGER.debug("closing a stale generation failed", exc_info=True)
            self._generation = None
        return self.current(force=True)

    def close(self) -> None:
        """Close the open generation."""
        if self._generation is not None:
            self._generation.close()
            self._generation = None

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
            gen = self.reopen()
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
        near = gen.builder.proximity_terms(request.text) if by_relevance else {}
        wanted = offset + limit
        if by_relevance:
            # One scoring pass gives the ranking and every matching document (for totals and facets).
            ranked, matched = scored_pass(
                gen.searcher, q, filter_q, _depth(wanted, near), gen.passes if self.accelerate else None
            )
        else:
            combined = q if filter_q is None else wq.And([q, filter_q])
            ranked, matched = None, list(gen.searcher.docs_for_query(combined))
        check_current("matching")
        mask = gen.facets.mask(matched)
        group_counts = gen.facets.group_counts(mask)
        total = int(np.count_nonzero(group_counts))
        hits: list[RankedHit] = []
        if total:
            page = self._page(gen, q, filter_q, request, offset, limit, ranked, near)
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
        near: dict | None = None,
    ) -> list[tuple[int, float]]:
        """(docnum, score) of the window, keeping the best document of each duplicate group.

        By relevance, the best ``RERANK_DEPTH`` hits are re-ranked with a bonus for query words that
        stand near each other (read from the term positions of those documents only).
        """
        sort_by_date = not (request.text and request.sort == "relevance")
        sortedby = sorting.FieldFacet("date", reverse=request.sort != "-date") if sort_by_date else None
        near = {} if sort_by_date else near or {}
        wanted = offset + limit
        depth = _depth(wanted, near)
        passes = gen.passes if self.accelerate else None
        while True:
            check_current("paging")
            if ranked is None:
                if sort_by_date:
                    results = gen.searcher.search(q, filter=filter_q, limit=depth, sortedby=sortedby)
                    ranked = [(docnum, float(score or 0.0)) for docnum, score in results.items()]
                else:
                    ranked = scored_pass(gen.searcher, q, filter_q, depth, passes)[0]
            if near:
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
            if len(kept) >= wanted or len(ranked) < depth:
                return kept[offset:wanted]
            depth *= 2
            ranked = None

    def facet_counts(self, request: MatchRequest, facets: Mapping[str, int]) -> dict[str, list[FacetCount]]:
        """Facet counts over every document matching ``request``."""

        def answer(gen: Generation) -> dict[str, list[FacetCount]]:
            q = self._parse(gen, request.text)
            filter_q = gen.builder.filters(request)
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
        return frozenset(gen.builder.terms_for_highlight(gen.builder.parse(text), fieldname))

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
        ``IndexDamaged`` when it is missing or corrupt."""
        gen = self.current(force=True)
        if gen is not None:
            self.check(read_segments=False)  # the manifest's sizes and checksums (cached) on every call
        if gen is None:
            return IndexHealth(False, 0, None)
        toc = max((p for p in gen.path.glob("_MAIN_*.toc")), key=os.path.getmtime, default=None)
        age = time.time() - os.path.getmtime(toc) if toc else None
        return IndexHealth(True, gen.searcher.doc_count(), round(age, 1) if age is not None else None)


def _parse_bounded(builder: QueryBuilder, reader, text: str, max_terms: int):
    return builder.parse_bounded(text, reader, max_terms=max_terms, deadline=current_deadline())


def _depth(wanted: int, near: dict) -> int:
    """How many hits to fetch: the window and a margin for duplicates, or the re-ranking depth when the
    query's words are to be re-ranked by proximity (``near``)."""
    return max(wanted + 10, RERANK_DEPTH) if near else wanted + 10
