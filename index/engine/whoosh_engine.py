"""The Whoosh engine: the contract's ``Engine`` over ``<data_dir>/index`` (generations, writers, readers)."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from index.document import Document
from index.engine.contract import RefusedDocument
from index.engine.generations import index_exists, index_path
from index.engine.query_cost import DEFAULT_MAX_TERMS
from index.engine.reader import WhooshReader

if TYPE_CHECKING:  # the writing machinery is imported by writers only: searching never loads it
    from types import ModuleType


def _indexer() -> ModuleType:
    from index.engine import indexer

    return indexer

LOGGER = logging.getLogger(__name__)


class WhooshWriter:
    """The contract's ``EngineWriter``: a Whoosh writer on the live generation, opened on first change."""

    def __init__(self, data_dir: Path, *, procs: int = 1, memory_mb: int | None = None,
                 accelerate: bool = True, indexed_in_store: int = 0) -> None:
        indexer = _indexer()
        memory_mb = indexer.DEFAULT_MEMORY_MB if memory_mb is None else memory_mb
        self.data_dir = Path(data_dir)
        # Never a fresh empty index in place of a lost one: IndexDamaged names the repair.
        self._ix = indexer.open_or_create_index(data_dir, indexed_in_store=indexed_in_store)
        indexer.remove_partial_generations(self.data_dir)
        self.procs = procs
        self._memory_mb = memory_mb
        self._accelerate = accelerate
        self._writer = None

    @property
    def _open(self):
        if self._writer is None:
            self._writer = _indexer().open_writer(self._ix, self.procs, self._memory_mb, accelerate=self._accelerate)
        return self._writer

    def add(self, doc: Document, dup_group: str) -> None:
        """Index a new document."""
        self._open.add_document(**_indexer().document_fields(doc, dup_group))

    def update(self, doc: Document, dup_group: str) -> None:
        """Index a document, replacing the one with the same id."""
        self._open.update_document(**_indexer().document_fields(doc, dup_group))

    def delete(self, doc_id: str) -> None:
        """Remove a document."""
        self._open.delete_by_term("id", doc_id)

    def commit(self) -> list[RefusedDocument]:
        """Write the buffered changes as a new commit (nothing when there are none), record the
        generation's files in its manifest (``index.engine.integrity``) and save the new segments'
        caches (``index.engine.segment_cache``); Whoosh refuses none."""
        if self._writer is not None:
            writer, self._writer = self._writer, None
            writer.commit()
            from index.engine.integrity import write_manifest
            from index.engine.segment_cache import warm_segment_caches

            write_manifest(index_path(self.data_dir))
            warm_segment_caches(index_path(self.data_dir), self.data_dir)  # the next search reads these
        return []

    def commit_token(self) -> str:
        """A name for the next commit, recorded by the store before it (see ``commit_reached``)."""
        return _indexer().commit_token(self.data_dir, self._ix)

    def commit_reached(self, token: str) -> bool:
        """Whether the live index is at or past the commit ``token`` names (after a crash, the
        catch-up then knows the index holds the batch and does not index it again)."""
        return _indexer().commit_reached(self.data_dir, self._ix, token)

    def indexed_ids(self) -> Counter:
        """Every live document id in the index with how often it occurs (for ``reindex``'s check)."""
        seen: Counter = Counter()
        with self._ix.reader() as reader:
            for _, fields in reader.iter_docs():
                seen[fields.get("id")] += 1
        return seen

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

    def __init__(self, data_dir: Path, *, accelerate: bool = True, max_terms: int = DEFAULT_MAX_TERMS) -> None:
        self.data_dir = Path(data_dir)
        self.accelerate = accelerate
        self.max_terms = max_terms

    def exists(self) -> bool:
        """Whether a live index exists."""
        return index_exists(self.data_dir)

    def reader(self) -> WhooshReader:
        """A refreshing reader of the live generation."""
        return WhooshReader(self.data_dir, accelerate=self.accelerate, max_terms=self.max_terms)

    def writer(self, *, procs: int = 1, memory_mb: int | None = None, indexed_in_store: int = 0) -> WhooshWriter:
        """A writer on the live generation, created only when there is none and the store has never
        indexed anything (``indexed_in_store``); the caller holds the write lock."""
        return WhooshWriter(
            self.data_dir, procs=procs, memory_mb=memory_mb, accelerate=self.accelerate,
            indexed_in_store=indexed_in_store,
        )

    def rebuild(
        self,
        documents: Iterable[tuple[Document, str]],
        *,
        procs: int = 1,
        memory_mb: int | None = None,
        before_swap: Callable[[str], None] | None = None,
    ) -> int:
        """A new generation from ``(document, dup_group)`` pairs, swapped in atomically
        (``before_swap`` is told the new generation's name just before)."""
        indexer = _indexer()
        memory_mb = indexer.DEFAULT_MEMORY_MB if memory_mb is None else memory_mb
        return indexer.rebuild(
            self.data_dir, documents, procs=procs, memory_mb=memory_mb, accelerate=self.accelerate,
            before_swap=before_swap,
        )
