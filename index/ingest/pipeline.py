"""Ingest: read inputs, normalize and extract, upsert into the store, update the index incrementally."""

from __future__ import annotations

import collections
import functools
import gc
import hashlib
import itertools
import logging
import os
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.document import Document, Normalized
from index.engine.contract import EngineWriter
from index.engine.lock import WriteLock
from index.engine.select import open_engine
from index.ingest.collection import YoungCollections
from index.inputs.raw import InputError, RawInput, iter_inputs
from index.normalize.entry import RejectedInput, process, raw_input_from_document
from index.settings import as_settings
from index.settings import data_dir as settings_data_dir
from index.store.documents import DocumentStore

LOGGER = logging.getLogger(__name__)

FLUSH_EVERY = 10000
STORE_COMMIT_EVERY = 500
# Part of every input hash: bump it when normalization changes so that a re-ingest processes again.
PIPELINE_VERSION = 1
PARALLEL_THRESHOLD = 200
CHUNK_SIZE = 16
CHUNKS_IN_FLIGHT = 4


@dataclass
class IngestOutcome:
    """What happened to one input: added, updated, unchanged, failed or skipped (with a reason)."""

    locator: str
    status: str
    doc_id: str | None = None
    reason: str | None = None


@dataclass
class IngestSummary:
    """Counts by status and the reasons of every failure, for the CLI's closing report."""

    counts: Counter = field(default_factory=Counter)
    failures: list[IngestOutcome] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, outcome: IngestOutcome) -> None:
        """Count one outcome; keep failures and skips with their reasons."""
        self.counts[outcome.status] += 1
        if outcome.status in ("failed", "skipped"):
            self.failures.append(outcome)

    @property
    def total(self) -> int:
        """Inputs seen."""
        return sum(self.counts.values())

    def to_dict(self) -> dict:
        """A JSON-ready summary."""
        return {
            **{k: self.counts.get(k, 0) for k in ("added", "updated", "unchanged", "failed", "skipped")},
            "seconds": round(self.seconds, 2),
            "failures": [{"input": f.locator, "status": f.status, "reason": f.reason} for f in self.failures],
        }


class Ingester:
    """Holds the single-writer lock, the store and an index writer; commits on exit.

    Use as a context manager; ``ingest()`` one input at a time. Documents reach the store first and
    the index second; a document whose index update did not complete is caught up on the next run.
    """

    def __init__(self, settings: Mapping[str, Any], *, lock_timeout: float | None = None) -> None:
        self.settings = settings = as_settings(settings)
        self.data_dir = settings_data_dir(settings)
        timeout = settings.write_lock_timeout if lock_timeout is None else lock_timeout
        self._lock = WriteLock(self.data_dir, float(timeout))
        self.store: DocumentStore | None = None
        self.engine = open_engine(settings)
        self._writer: EngineWriter | None = None
        self._pending: list[str] = []
        self._since_store_commit = 0
        self._collections = YoungCollections()

    def __enter__(self) -> Ingester:
        self._lock.__enter__()
        self._collections.__enter__()
        try:
            self.store = DocumentStore(self.data_dir)
            self._writer = self.engine.writer(memory_mb=_index_memory_mb(self.settings))
            self._catch_up()
        except BaseException:
            self._collections.__exit__(None, None, None)
            self._lock.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            self.flush()
        finally:
            self._collections.__exit__(exc_type, exc, tb)
            if self._writer is not None:
                self._writer.close()
            if self.store is not None:
                self.store.close()
            self._lock.__exit__(exc_type, exc, tb)

    @property
    def index_procs(self) -> int:
        """How many processes the engine may use to index the next batch."""
        return self.writer.procs

    @index_procs.setter
    def index_procs(self, procs: int) -> None:
        self.writer.procs = procs

    @property
    def writer(self) -> EngineWriter:
        """The engine's writer (opened with the ingester)."""
        if self._writer is None:
            raise RuntimeError("the ingester is not open: use it as a context manager")
        return self._writer

    def _catch_up(self) -> None:
        ids = self.store.unindexed_ids()
        if ids:
            LOGGER.info("indexing %s stored documents missing from the index", len(ids))
            for doc_id in ids:
                doc = self.store.get(doc_id)
                if doc is not None:
                    self._index(doc, new=False)
            self.flush()

    def _index(self, doc: Document, *, new: bool) -> None:
        dup_group = self.store.dup_groups([doc.id]).get(doc.id, doc.text_hash)
        if new:
            self.writer.add(doc, dup_group)
        else:
            self.writer.update(doc, dup_group)
        self._pending.append(doc.id)
        if len(self._pending) >= FLUSH_EVERY:
            self.flush()

    def add_document(self, doc: Document, *, locator: str) -> IngestOutcome:
        """Store and index an already built document."""
        self._collections.tick()
        status = self.store.upsert(doc)
        if status != "unchanged":
            self._index(doc, new=status == "added")
        self._since_store_commit += 1
        if self._since_store_commit >= STORE_COMMIT_EVERY:
            # The store is the source of truth: commit it often; the index catches up from it.
            self.store.commit()
            self._since_store_commit = 0
        return IngestOutcome(locator, status, doc.id)

    def ingest(
        self,
        item: RawInput,
        *,
        mapping: dict | None = None,
        normalized: Normalized | None = None,
        extra: dict | None = None,
    ) -> IngestOutcome:
        """Normalize, extract, store and index one input; never raises for a bad input."""
        try:
            doc = process(item, mapping=mapping, normalized=normalized, extra=extra)
        except RejectedInput as exc:
            LOGGER.info("skipped %s: %s", item.locator, exc)
            return IngestOutcome(item.locator, "failed", reason=str(exc))
        except Exception as exc:  # noqa: BLE001 - one bad document never stops a batch
            LOGGER.warning("failed %s: %r", item.locator, exc)
            return IngestOutcome(item.locator, "failed", reason=f"{exc.__class__.__name__}: {exc}")
        return self.add_document(doc, locator=item.locator)

    def delete(self, doc_ids: Iterable[str]) -> int:
        """Delete documents from the store and the index."""
        ids = list(doc_ids)
        for doc_id in ids:
            self.writer.delete(doc_id)
        count = self.store.delete(ids)
        self.flush()
        return count

    def flush(self) -> None:
        """Commit the store, then the index, then mark the flushed documents as indexed."""
        if self.store is None:
            return
        self.store.commit()
        if self._writer is not None:
            self._writer.commit()
        if self._pending:
            self.store.mark_indexed(self._pending)
            self._pending = []
        self.store.commit()


def _index_memory_mb(settings: Mapping[str, Any]) -> int:
    return as_settings(settings).index_memory_mb


def _worker_count(settings: Mapping[str, Any]) -> int:
    """Processes for normalization and extraction: ``INGEST_WORKERS``, 0 (the default) meaning one per core."""
    workers = as_settings(settings).ingest_workers
    return workers if workers > 0 else (os.cpu_count() or 1)


def _process_safely(args: tuple) -> Document | IngestOutcome:
    item, mapping = args
    try:
        return process(item, mapping=mapping)
    except RejectedInput as exc:
        return IngestOutcome(item.locator, "failed", reason=str(exc))
    except Exception as exc:  # noqa: BLE001
        return IngestOutcome(item.locator, "failed", reason=f"{exc.__class__.__name__}: {exc}")


def _processed(
    items: Iterator[RawInput | InputError], mapping: dict | None, workers: int
) -> tuple[bool, Iterator[tuple[RawInput | InputError, Document | IngestOutcome | None]]]:
    """Whether the batch is processed in parallel, and pairs of input and its document (or failure),
    normalized in ``workers`` processes.

    Small batches (fewer than ``PARALLEL_THRESHOLD`` inputs) are processed in this process: starting
    workers costs more than it saves there.
    """
    head = list(itertools.islice(items, PARALLEL_THRESHOLD))
    if workers <= 1 or len(head) < PARALLEL_THRESHOLD:
        serial = (
            (item, _process_safely((item, mapping)) if isinstance(item, RawInput) else None)
            for item in itertools.chain(head, items)
        )
        return False, serial
    work = functools.partial(_process_or_pass, mapping=mapping)
    return True, _bounded_map(work, itertools.chain(head, items), workers)


def _process_or_pass(item: object, mapping: dict | None) -> Document | IngestOutcome | None:
    """The document (or failure) of a raw input; None for the other items (errors, known inputs)."""
    return _process_safely((item, mapping)) if isinstance(item, RawInput) else None


def _bounded_map(fn: Callable, items: Iterator, workers: int) -> Iterator[tuple]:
    """(item, fn(item)) in order, computed in ``workers`` processes with a few chunks in flight, so
    the workers keep normalizing while this process stores and indexes."""
    with ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupts) as pool:
        pending: collections.deque = collections.deque()
        for chunk in _chunks(items, CHUNK_SIZE):
            pending.append((chunk, pool.submit(_apply_chunk, fn, chunk)))
            while len(pending) > CHUNKS_IN_FLIGHT * workers:
                yield from _finished(*pending.popleft())
        while pending:
            yield from _finished(*pending.popleft())


def _ignore_interrupts() -> None:
    """Worker processes leave Ctrl-C to this process, which stores and indexes what is done and stops;
    they collect garbage as usual (a fork inherits the ingest's ``YoungCollections``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.enable()


def _chunks(items: Iterator, size: int) -> Iterator[list]:
    while chunk := list(itertools.islice(items, size)):
        yield chunk


def _apply_chunk(fn: Callable, chunk: list) -> list:
    return [fn(item) for item in chunk]


def _finished(chunk: list, future) -> Iterator[tuple]:
    yield from zip(chunk, future.result(), strict=True)


def input_hash(item: RawInput, mapping: dict | None) -> str:
    """A hash of everything that decides what an input becomes: bytes, kind, source, url, mapping."""
    digest = hashlib.sha256(item.data)
    content_type = {k.lower(): v for k, v in (item.headers or {}).items()}.get("content-type", "")
    meta = (item.kind, item.source, item.url, sorted((mapping or {}).items()), content_type, PIPELINE_VERSION)
    digest.update(repr(meta).encode("utf-8"))
    return digest.hexdigest()


def _skip_known_inputs(items, store: DocumentStore, mapping: dict | None):
    """Inputs, with those already ingested unchanged replaced by an 'unchanged' outcome (no work)."""
    for item in items:
        if isinstance(item, RawInput):
            doc_id = store.known_input(item.locator, input_hash(item, mapping))
            if doc_id is not None:
                yield IngestOutcome(item.locator, "unchanged", doc_id)
                continue
        yield item


def ingest_paths(
    settings: Mapping[str, Any],
    args: list[str],
    *,
    mapping: dict | None = None,
    source: str | None = None,
    progress: Callable[[IngestOutcome], None] | None = None,
    fetcher=None,
) -> IngestSummary:
    """Ingest files, folders, globs, ``.gz``, JSON Lines and URLs; returns the summary."""
    settings = as_settings(settings)
    started = time.perf_counter()
    summary = IngestSummary()
    items = iter_inputs(
        args, source=source, max_bytes=settings.max_document_bytes, fetcher=fetcher
    )
    with Ingester(settings) as ingester:
        fresh = _skip_known_inputs(items, ingester.store, mapping)
        workers = _worker_count(settings)
        parallel, processed = _processed(fresh, mapping, workers)
        if parallel:  # a large batch: the index is written by as many processes as normalize it
            ingester.index_procs = workers
        for item, result in processed:
            if isinstance(item, InputError):
                outcome = IngestOutcome(item.locator, "failed", reason=item.reason)
            elif isinstance(item, IngestOutcome):
                outcome = item
            elif isinstance(result, IngestOutcome):
                outcome = result
            else:
                outcome = ingester.add_document(result, locator=item.locator)
                ingester.store.remember_input(item.locator, input_hash(item, mapping), outcome.doc_id)
            summary.add(outcome)
            if progress:
                progress(outcome)
    summary.seconds = time.perf_counter() - started
    return summary


def reindex(settings: Mapping[str, Any], *, full: bool = False, progress: Callable[[int], None] | None = None) -> dict:
    """Catch the index up with the store; with ``full``, normalize every raw input again and rebuild.

    A full rebuild writes a new index generation and swaps it in atomically.
    """
    settings = as_settings(settings)
    started = time.perf_counter()
    data_dir = settings_data_dir(settings)
    if not full:
        with Ingester(settings) as ingester:
            count = ingester.store.count()
        return {"documents": count, "rebuilt": False, "seconds": round(time.perf_counter() - started, 2)}
    failures: list[dict] = []
    with WriteLock(Path(data_dir), settings.write_lock_timeout):
        with DocumentStore(data_dir) as store:
            ids: list[str] = []
            workers = _worker_count(settings)

            def documents() -> Iterator[tuple[Document, str]]:
                for number, doc in enumerate(_reextracted(store, failures, workers), start=1):
                    ids.append(doc.id)
                    if number % STORE_COMMIT_EVERY == 0:
                        store.commit()
                    if progress:
                        progress(number)
                    yield doc, store.dup_groups([doc.id]).get(doc.id, doc.text_hash)

            procs = workers if store.count() >= PARALLEL_THRESHOLD else 1
            count = open_engine(settings).rebuild(documents(), procs=procs, memory_mb=_index_memory_mb(settings))
            store.mark_indexed(ids)
            store.commit()
    return {
        "documents": count,
        "rebuilt": True,
        "failures": failures,
        "seconds": round(time.perf_counter() - started, 2),
    }


def _reprocess(work: tuple) -> Document | str:
    """A stored document normalized and extracted again from its raw input, or the failure reason."""
    doc_id, item, mapping, extra = work
    try:
        doc = process(item, mapping=mapping, extra=extra)
    except Exception as exc:  # noqa: BLE001 - the caller keeps the stored version
        return f"{exc.__class__.__name__}: {exc}"
    doc.id = doc_id
    return doc


def _reextracted(store: DocumentStore, failures: list, workers: int) -> Iterator[Document]:
    """Every stored document extracted again (in ``workers`` processes), written back to the store."""
    work = (
        (old.id, raw_input_from_document(old), old.raw_meta.get("mapping"), old.raw_meta.get("extra"))
        for old in store.iter_documents()
    )
    pairs = _bounded_map(_reprocess, work, workers) if workers > 1 else ((w, _reprocess(w)) for w in work)
    for (doc_id, *_), result in pairs:
        if isinstance(result, str):
            failures.append({"id": doc_id, "reason": result})
            result = store.get(doc_id)
            if result is None:
                continue
        else:
            store.upsert(result, force=True)
        yield result
