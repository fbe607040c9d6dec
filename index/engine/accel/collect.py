"""One scoring pass that yields both the best hits and every matching document.

Totals and facets need all matches; the page needs the best few. Collecting both in one pass saves
the second pass over the postings that a separate unscored match would cost.

Two implementations give the same hits, scores and match sets: ``index.engine.accel.vectorized`` evaluates
Whoosh's matcher tree with numpy over cached posting arrays (fast, used whenever the tree holds
only the matchers it knows), and Whoosh's own collector (everything else).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict

import numpy as np
from whoosh import collectors

from index.engine.accel.postings import PostingCache
from index.engine.accel.vectorized import Unsupported, evaluate, top

LOGGER = logging.getLogger(__name__)

FILTER_CACHE_SIZE = 64


class PassCache:
    """What scoring passes over one searcher keep between searches: postings and filter masks."""

    def __init__(self) -> None:
        self.postings = PostingCache()
        self._filters: OrderedDict = OrderedDict()
        self._lock = threading.Lock()  # the filter LRU's bookkeeping only, never a whole evaluation

    def filter_mask(self, searcher, filter_q) -> np.ndarray:
        """The documents a filter query allows, as a mask over all document numbers (kept).

        Evaluated like a scored query but with matchers that keep every term (a date range's terms
        would otherwise be walked one posting at a time to preload them); the set is what
        ``docs_for_query`` gives, which answers trees the vectorised pass does not know.
        """
        key = repr(filter_q)
        with self._lock:
            found = self._filters.get(key)
            if found is not None:
                self._filters.move_to_end(key)
                return found
        found = np.zeros(searcher.doc_count_all(), dtype=bool)
        try:
            allowed, _ = evaluate(searcher, filter_q, self.postings, searcher.context(needs_current=True))
        except Unsupported:
            allowed = np.fromiter(searcher.docs_for_query(filter_q), dtype=np.int64)
        found[allowed] = True
        with self._lock:
            self._filters[key] = found
            while len(self._filters) > FILTER_CACHE_SIZE:
                self._filters.popitem(last=False)
        return found


class _RecordingCollector(collectors.TopCollector):
    """The top hits by score, recording every matching document on the way (no block skipping)."""

    def prepare(self, top_searcher, q, context) -> None:
        super().prepare(top_searcher, q, context)
        self.seen: list[int] = []

    def collect(self, sub_docnum: int):
        self.seen.append(self.offset + sub_docnum)
        return super().collect(sub_docnum)


def scored_pass(
    searcher, q, filter_q, limit: int, cache: PassCache | None = None
) -> tuple[list[tuple[int, float]], np.ndarray | list[int]]:
    """(docnum, score) of the best ``limit`` matches and the numbers of all matches, in one pass.

    With a ``cache``, the vectorised pass is tried first; Whoosh's collector answers what it cannot.
    """
    if cache is not None:
        try:
            return vectorized_pass(searcher, q, filter_q, limit, cache)
        except Unsupported as exc:
            LOGGER.debug("query %r not vectorised (%s); using Whoosh's collector", q, exc)
        except Exception:  # noqa: BLE001 - a fault here must not cost the user the search
            LOGGER.warning("vectorised pass failed on %r; using Whoosh's collector", q, exc_info=True)
    return whoosh_pass(searcher, q, filter_q, limit)


def vectorized_pass(
    searcher, q, filter_q, limit: int, cache: PassCache
) -> tuple[list[tuple[int, float]], np.ndarray]:
    """The vectorised scoring pass (raises ``Unsupported`` for queries it does not evaluate)."""
    docs, scores = evaluate(searcher, q, cache.postings)
    if filter_q is not None:
        keep = cache.filter_mask(searcher, filter_q)[docs]
        docs, scores = docs[keep], scores[keep]
    return top(docs, scores, limit), docs


def whoosh_pass(searcher, q, filter_q, limit: int) -> tuple[list[tuple[int, float]], list[int]]:
    """Whoosh's collector: the reference the vectorised pass is tested against."""
    collector = _RecordingCollector(limit=limit, usequality=False, replace=0)
    outer = collector if filter_q is None else collectors.FilterCollector(collector, allow=filter_q)
    searcher.search_with_collector(q, outer)
    results = collector.results()
    return [(docnum, float(score or 0.0)) for docnum, score in results.items()], collector.seen
