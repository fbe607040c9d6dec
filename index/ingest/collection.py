"""Garbage collection during an ingest: young generations only, full collections after it.

An ingest keeps a large, growing pool of postings in memory until it commits. Python's automatic
collector runs a full collection each time the long-lived objects grow by a quarter, and each of
those walks the whole pool, which adds up to a few per cent of an ingest. ``YoungCollections``
turns automatic collection off for the ingest and collects the young generations itself every
``every`` documents, so the short-lived cyclic garbage of a release (parse trees, for example) is
still freed while it is young, and the pool is not walked again and again.
"""

from __future__ import annotations

import gc
import logging

LOGGER = logging.getLogger(__name__)

#: Documents between two collections of the young generations.
COLLECT_EVERY = 100


class YoungCollections:
    """A context manager: automatic collection off, ``tick()`` once per document collects the young
    generations every ``every`` documents; on exit the collector is as it was."""

    def __init__(self, every: int = COLLECT_EVERY) -> None:
        self.every = every
        self._count = 0
        self._was_enabled = False

    def __enter__(self) -> YoungCollections:
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._count = 0
        return self

    def tick(self) -> None:
        """Count one document; collect generations 0 and 1 every ``every`` documents."""
        self._count += 1
        if self._count >= self.every:
            self._count = 0
            gc.collect(1)

    def __exit__(self, *exc: object) -> None:
        if self._was_enabled:
            gc.enable()
