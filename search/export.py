"""Every match of a search, in the search's order, for whole-search exports (CSV, JSON Lines).

The ranking of all matches is computed once, then hits are built in batches straight from the store,
so an export of tens of thousands of releases streams in constant memory beyond the id list. The
number of rows is capped by the ``EXPORT_MAX_ROWS`` setting; ``Export.truncated`` says when the cap
cut the export and ``limit_message()`` says so in words.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from whoosh import sorting

from index.engine.accel.collect import scored_pass
from search.request import SearchRequest
from search.results import Hit

LOGGER = logging.getLogger(__name__)

BATCH_SIZE = 200
DEFAULT_MAX_ROWS = 100_000


@dataclass
class Export:
    """An export under way: how many releases match, how many will be written, and the hits."""

    request: SearchRequest
    total: int
    max_rows: int
    hits: Iterator[Hit] = field(repr=False)

    @property
    def rows(self) -> int:
        """Rows that will be written (the total, or the cap)."""
        return min(self.total, self.max_rows)

    @property
    def truncated(self) -> bool:
        """True when the cap leaves matches out."""
        return self.total > self.max_rows

    def limit_message(self) -> str:
        """What to tell the user when the cap was reached (empty when it was not)."""
        if not self.truncated:
            return ""
        return (
            f"export stopped at {self.rows:,} of {self.total:,} matching releases: the limit set by "
            f"MIGSEARCH_EXPORT_MAX_ROWS ({self.max_rows:,}); narrow the search or raise the limit"
        )


def export_hits(service, req: SearchRequest, *, max_rows: int | None = None) -> Export:
    """Every match of ``req`` (one hit per duplicate group) in the search's order, capped at
    ``max_rows`` (default: the service's ``EXPORT_MAX_ROWS`` setting)."""
    if max_rows is None:
        max_rows = int(service.settings.get("EXPORT_MAX_ROWS", DEFAULT_MAX_ROWS))
    with service._lock:
        gen = service._current()
        if gen is None:
            return Export(req, 0, max_rows, iter(()))
        q = gen.builder.favour_lead_speaker(gen.builder.parse(req.q), req)
        ranked, group_counts = _ranking(gen, q, req)
        reader = gen.searcher.reader()
        # Ids now, while this generation is open: the batches below may run after it is swapped.
        items = [(reader.stored_fields(docnum)["id"], score, dupes) for docnum, score, dupes in ranked[:max_rows]]
    return Export(req, len(ranked), max_rows, _batches(service, q, req, items))


def _ranking(gen, q, req: SearchRequest) -> tuple[list[tuple[int, float, int]], object]:
    """(docnum, score, duplicates) of every match, best first (or by date), one per duplicate group."""
    filter_q = gen.builder.filters(req)
    if req.q and req.sort == "relevance":
        ranked, _ = scored_pass(gen.searcher, q, filter_q, max(1, gen.searcher.doc_count_all()), gen.passes)
    else:
        sortedby = sorting.FieldFacet("date", reverse=req.sort != "-date")
        results = gen.searcher.search(q, filter=filter_q, limit=None, sortedby=sortedby)
        ranked = [(docnum, float(score or 0.0)) for docnum, score in results.items()]
    mask = gen.facets.mask([docnum for docnum, _ in ranked])
    group_counts = gen.facets.group_counts(mask)
    kept: list[tuple[int, float, int]] = []
    seen: set[int] = set()
    for docnum, score in ranked:
        group = gen.facets.group_of(docnum)
        if group in seen:
            continue
        seen.add(group)
        dupes = int(group_counts[group]) - 1 if group >= 0 else 0
        kept.append((docnum, score, max(0, dupes)))
    return kept, group_counts


def _batches(service, q, req: SearchRequest, items: list[tuple[str, float, int]]) -> Iterator[Hit]:
    """Hits for ``items`` built ``BATCH_SIZE`` at a time (snippets and quotes included)."""
    for start in range(0, len(items), BATCH_SIZE):
        batch = items[start : start + BATCH_SIZE]
        with service._lock:
            gen = service._current()
            if gen is None:
                return
            yield from service.hits_for_ids(gen, q, batch, req=req)
