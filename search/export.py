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

from index.engine.contract import RankedHit
from search.request import SearchRequest
from search.results import Hit
from search.service import match_request

LOGGER = logging.getLogger(__name__)

BATCH_SIZE = 200


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
        max_rows = int(service.settings.export_max_rows)
    if service.reader.version() is None:
        return Export(req, 0, max_rows, iter(()))
    matched = service.reader.match(match_request(req), offset=0, limit=max(1, max_rows))
    return Export(req, matched.total, max_rows, _batches(service, req, matched.hits))


def _batches(service, req: SearchRequest, ranked: list[RankedHit]) -> Iterator[Hit]:
    """Hits for ``ranked`` built ``BATCH_SIZE`` at a time from the store (snippets and quotes included)."""
    memo: dict = {}  # the query's analysis, shared by every batch
    for start in range(0, len(ranked), BATCH_SIZE):
        yield from service.hits_for(ranked[start : start + BATCH_SIZE], req, memo)
