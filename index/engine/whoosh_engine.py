"""The Whoosh engine: the contract's ``Engine`` over ``<data_dir>/index`` (generations, writers, readers)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from index.document import Document
from index.engine import indexer
from index.engine.reader import WhooshReader

LOGGER = logging.getLogger(__name__)


class WhooshWriter:
    """The contract's ``EngineWriter``: a Whoosh writer on the live generation, opened on first change."""

    def __init__(self, data_dir: Path, *, procs: int = 1, memory_mb: int = indexer.DEFAULT_MEMORY_MB,
                 accelerate: bool = True) -> None:
        self._ix = indexer.open_or_create_index(data_dir)
        self.procs = procs
        self._memory_mb = memory_mb
        self._accelerate = accelerate
        self._writer = None

    @property
    def _open(self):
        if self._writer is None:
            self._writer = indexer.open_writer(self._ix, self.procs, self._memory_mb, accelerate=self._accelerate)
        return self._writer

    def add(self, doc: Document, dup_group: str) -> None:
        """Index a new document."""
        self._open.add_document(**indexer.document_fields(doc, dup_group))

    def update(self, doc: Document, dup_group: str) -> None:
        """Index a document, replacing the one with the same id."""
        self._open.update_document(**indexer.document_fields(doc, dup_group))

    def delete(self, doc_id: str) -> None:
        """Remove a document."""
        self._open.delete_by_term("id", doc_id)

    def commit(self) -> None:
        """Write the buffered changes as a new commit (nothing when there are none)."""
        if self._writer is not None:
            self._writer.commit()
            self._writer = None

    def cancel(self) -> None:
        """Drop the buffered changes."""
        if self._writer is not None:
            self._writer.cancel()
            self._writer = None

    def close(self) -> None:
        """Close the index (after ``commit`` or ``cancel``)."""
        self._ix.close()


class WhooshEngine:
    """The contract's ``Engine`` backed by Whoosh generations under one data directory."""

    def __init__(self, data_dir: Path, *, accelerate: bool = True) -> None:
        self.data_dir = Path(data_dir)
        self.accelerate = accelerate

    def exists(self) -> bool:
        """Whether a live index exists."""
        return indexer.index_exists(self.data_dir)

    def reader(self) -> WhooshReader:
        """A refreshing reader of the live generation."""
        return WhooshReader(self.data_dir, accelerate=self.accelerate)

    def writer(self, *, procs: int = 1, memory_mb: int = indexer.DEFAULT_MEMORY_MB) -> WhooshWriter:
        """A writer on the live generation (created when absent); the caller holds the write lock."""
        return WhooshWriter(self.data_dir, procs=procs, memory_mb=memory_mb, accelerate=self.accelerate)

    def rebuild(
        self, documents: Iterable[tuple[Document, str]], *, procs: int = 1, memory_mb: int = indexer.DEFAULT_MEMORY_MB
    ) -> int:
        """A new generation from ``(document, dup_group)`` pairs, swapped in atomically."""
        return indexer.rebuild(self.data_dir, documents, procs=procs, memory_mb=memory_mb, accelerate=self.accelerate)
