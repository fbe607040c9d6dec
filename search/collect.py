"""One Whoosh scoring pass that yields both the best hits and every matching document.

Totals and facets need all matches; the page needs the best few. Collecting both in one pass (without
block-quality skipping, which rarely skips anything for the common words of news queries) saves the
second pass over the postings that a separate unscored match would cost.
"""

from __future__ import annotations

from whoosh import collectors


class _RecordingCollector(collectors.TopCollector):
    """The top hits by score, recording every matching document on the way (no block skipping)."""

    def prepare(self, top_searcher, q, context) -> None:
        super().prepare(top_searcher, q, context)
        self.seen: list[int] = []

    def collect(self, sub_docnum: int):
        self.seen.append(self.offset + sub_docnum)
        return super().collect(sub_docnum)


def scored_pass(searcher, q, filter_q, limit: int) -> tuple[list[tuple[int, float]], list[int]]:
    """(docnum, score) of the best ``limit`` matches and the numbers of all matches, in one pass."""
    collector = _RecordingCollector(limit=limit, usequality=False, replace=0)
    outer = collector if filter_q is None else collectors.FilterCollector(collector, allow=filter_q)
    searcher.search_with_collector(q, outer)
    results = collector.results()
    return [(docnum, float(score or 0.0)) for docnum, score in results.items()], collector.seen
