"""After each commit, the per-segment caches of the new segments: facet postings and title trust.

A writer that has just committed knows the index will be searched next; saving what a search would
otherwise work out on its first use (``index.engine.facet_cache``, ``index.engine.trust``) beside each
segment that has none yet means the next ``migsearch search``, and every server worker that opens the
index, reads a few small files instead. Only new segments (a batch, or a merge of older ones) cost
anything: a segment never changes once written. A failure here never fails the commit: searches then
work those values out themselves.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import whoosh.index as windex

from index.engine.facet_cache import save_segment_pairs
from index.engine.schema import FACETS
from index.engine.trust import save_segment_trust

LOGGER = logging.getLogger(__name__)


def warm_segment_caches(folder: Path, data_dir: Path) -> int:
    """Save the facet postings and title trust of every segment of generation ``folder`` that has
    none yet (titles read from the store in ``data_dir``); the number of segments that got some."""
    started = time.perf_counter()
    warmed = 0
    try:
        ix = windex.open_dir(str(folder))
        try:
            with ix.reader() as reader:
                for leaf, _ in reader.leaf_readers():
                    indexed = set(leaf.indexed_field_names())
                    saved = [save_segment_pairs(leaf, name, folder) for name in FACETS.values() if name in indexed]
                    saved.append(save_segment_trust(leaf, folder, data_dir))
                    warmed += any(saved)
        finally:
            ix.close()
    except Exception:  # noqa: BLE001 - a cache is never worth a failed commit
        LOGGER.warning("segment caches of %s not saved; searches will work them out", folder, exc_info=True)
    LOGGER.debug("segment caches: %d segments in %.2f s", warmed, time.perf_counter() - started)
    return warmed
