"""Ingest: read inputs, normalize and extract, upsert into the store, update the index incrementally."""

from __future__ import annotations

import collections
import contextlib
import functools
import gc
import hashlib
import itertools
import logging
import os
import signal
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index import processes
from index.crashpoints import crash_point
from index.document import Document, Normalized
from index.engine.contract import EngineWriter, RefusedDocument
from index.engine.lock import WriteLock
from index.engine.select import open_engine
from index.ingest.collection import YoungCollections
from index.inputs.raw import InputError, RawInput, SkippedInput, iter_inputs
from index.normalize.entry import RejectedInput, process, raw_input_from_document
from index.settings import as_settings
from index.settings import data_dir as settings_data_dir
from index.store.documents import DocumentStore

LOGGER = logging.getLogger(__name__)

FLUSH_EVERY = 10000
# An ingest commits the index at least this often, so documents become searchable during long runs.
COMMIT_EVERY_SECONDS = 60.0
STORE_COMMIT_EVERY = 500
# Store key of the index commit a writer is about to make (see ``WhooshWriter.commit_token``).
PENDING_COMMIT_KEY = "pending_index_commit"
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
        self._deletes: list[str] = []
        self._since_store_commit = 0
        self._last_commit = time.monotonic()
        self.commit_every = float(settings.get("COMMIT_EVERY_SECONDS", COMMIT_EVERY_SECONDS))
        self.repairs: dict[str, int] = {}
        self._collections = YoungCollections()
        self.refused: list[RefusedDocument] = []  # documents the engine would not index (left unindexed)

    def __enter__(self) -> Ingester:
        self._lock.__enter__()
        self._collections.__enter__()
        try:
            self.store = DocumentStore(self.data_dir)
            self._writer = self.engine.writer(
                memory_mb=_index_memory_mb(self.settings), indexed_in_store=self.store.indexed_count()
            )
            self._catch_up()
        except BaseException:
            self._close(failed=True)
            raise
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        failed = exc_type is not None and not issubclass(exc_type, GeneratorExit)
        try:
            if not failed:
                self.flush()
        except BaseException:
            failed = True
            raise
        finally:
            self._close(failed=failed)

    def _close(self, *, failed: bool) -> None:
        """Cancel an uncommitted index write on failure (stopping its processes), close everything,
        release the lock. What the store committed is caught up by the next writer."""
        try:
            if failed and self._writer is not None:
                self._writer.cancel()
            if failed and self.store is not None:
                try:
                    self.store.commit()  # documents stored so far are kept; the index catches up later
                except sqlite3.Error:
                    LOGGER.warning("could not commit the store after a failure", exc_info=True)
        finally:
            self._collections.__exit__(None, None, None)
            if self._writer is not None:
                self._writer.close()
                self._writer = None
            if self.store is not None:
                self.store.close()
                self.store = None
            self._lock.__exit__(None, None, None)

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
        """Finish what a crashed writer left: pending deletes, and stored documents whose current
        version the index lacks (unless the index commit had happened before the crash)."""
        store = self.store
        if _commit_reached(self.writer, store.get_meta(PENDING_COMMIT_KEY)):
            # The index committed; only the store's bookkeeping was lost: nothing to index again.
            store.mark_indexed(store.unindexed_ids())
            store.clear_pending_deletes(store.pending_deletes())
            store.set_meta(PENDING_COMMIT_KEY, "")
            store.commit()
        deletes = store.pending_deletes()
        if deletes:
            LOGGER.info("finishing %s deletes the index did not commit", len(deletes))
            for doc_id in deletes:
                self.writer.delete(doc_id)
            self._deletes.extend(deletes)
            self.repairs["deletes_finished"] = len(deletes)
        ids = store.unindexed_ids()
        if ids:
            LOGGER.info("indexing %s stored documents missing from the index", len(ids))
            for doc_id in ids:
                doc = store.get(doc_id)
                if doc is not None:
                    self._index(doc, new=False)
            self.repairs["documents_caught_up"] = len(ids)
        if deletes or ids:
            self.flush()

    def verify(self) -> dict[str, int]:
        """Compare the index with the store by ids and repair: index the stored documents it lacks,
        delete those the store does not hold, re-index ids it holds twice. Returns the counts."""
        stored = self.store.all_ids()
        seen: Counter = self.writer.indexed_ids()
        ghosts = sorted(set(seen) - stored)
        missing = sorted(stored - set(seen))
        doubled = sorted(doc_id for doc_id, n in seen.items() if n > 1 and doc_id in stored)
        for doc_id in ghosts:
            self.writer.delete(doc_id)
        for doc_id in missing + doubled:
            doc = self.store.get(doc_id)
            if doc is not None:
                self._index(doc, new=False)
        if ghosts or missing or doubled:
            LOGGER.warning(
                "index repaired: %s deleted documents removed, %s missing added, %s doubled re-indexed",
                len(ghosts), len(missing), len(doubled),
            )
            self.flush()
        return {"ghosts_removed": len(ghosts), "missing_added": len(missing), "doubled_fixed": len(doubled)}

    def _index(self, doc: Document, *, new: bool) -> None:
        dup_group = self.store.dup_groups([doc.id]).get(doc.id, doc.text_hash)
        if new:
            self.writer.add(doc, dup_group)
        else:
            self.writer.update(doc, dup_group)
        self._pending.append(doc.id)
        if len(self._pending) >= FLUSH_EVERY or time.monotonic() - self._last_commit >= self.commit_every:
            self.flush()

    def add_document(self, doc: Document, *, locator: str) -> IngestOutcome:
        """Store and index an already built document.

        A new version without body text never replaces a stored body (a wrong ``--map`` would
        otherwise empty the store): it is reported as failed with the reason.
        """
        self._collections.tick()
        if not doc.body.strip():
            stored = self.store.body_length(doc.id)
            if stored:
                return IngestOutcome(
                    locator,
                    "failed",
                    doc.id,
                    reason=f"the new version has no body text; the stored one ({stored:,} characters) is kept",
                )
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
        """Delete documents from the store and the index.

        The store records each delete as pending in the same transaction; the index commit clears
        them. A crash in between is finished by the next writer's catch-up.
        """
        ids = list(doc_ids)
        count = self.store.delete(ids)
        self.store.commit()
        crash_point("delete.after_store_commit")
        for doc_id in ids:
            self.writer.delete(doc_id)
        self._deletes.extend(ids)
        self.flush()
        return count

    def flush(self) -> None:
        """Commit the store, then the index, then mark the flushed documents as indexed.

        Before the index commit the store records which commit it expects
        (the engine writer's ``commit_token``): a crash after the index commit is then recognised by the
        catch-up, which marks the documents instead of indexing them all again.
        """
        if self.store is None:
            return
        self._last_commit = time.monotonic()
        refused: set[str] = set()
        if self._writer is not None:
            self.store.set_meta(PENDING_COMMIT_KEY, _commit_token(self._writer))
        self.store.commit()
        changes = bool(self._pending or self._deletes)
        if changes:
            crash_point("ingest.after_store_commit")
        if self._writer is not None:
            if changes and self.index_procs > 1:
                crash_point("ingest.workers_started")
            try:
                committed = self._writer.commit()
            except BaseException:
                self._writer.cancel()  # stops its indexing processes; the store's documents are caught up later
                raise
            # Refused documents stay marked as not indexed: reported now, sent again by the next run.
            for document in committed:
                LOGGER.warning("the search engine refused %s: %s", document.id, document.reason)
                self.refused.append(document)
                refused.add(document.id)
            if changes:
                crash_point("ingest.after_index_commit")
            if self._deletes:
                crash_point("delete.after_index_commit")
        if self._pending:
            self.store.mark_indexed([doc_id for doc_id in self._pending if doc_id not in refused])
            self._pending = []
        if self._deletes:
            self.store.clear_pending_deletes(self._deletes)
            self._deletes = []
        self.store.set_meta(PENDING_COMMIT_KEY, "")
        self.store.commit()


def _commit_token(writer) -> str:
    """The engine's name for its next commit ('' for an engine that cannot tell)."""
    token = getattr(writer, "commit_token", None)
    return token() if token is not None else ""


def _commit_reached(writer, token: str | None) -> bool:
    """Whether the engine's index is at or past the commit ``token`` names."""
    reached = getattr(writer, "commit_reached", None)
    return bool(token) and reached is not None and reached(token)


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
    the workers keep normalizing while this process stores and indexes.

    However the caller stops (an error, Ctrl-C, closing the generator), the workers are stopped
    and reaped before this returns: none is left running or waiting.
    """
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(os.getpid(),))
    finished = False
    try:
        pending: collections.deque = collections.deque()
        for chunk in _chunks(items, CHUNK_SIZE):
            pending.append((chunk, pool.submit(_apply_chunk, fn, chunk)))
            while len(pending) > CHUNKS_IN_FLIGHT * workers:
                yield from _finished(*pending.popleft())
        while pending:
            yield from _finished(*pending.popleft())
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:
            workers_now = list(getattr(pool, "_processes", {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            processes.stop(workers_now)


def _worker_init(parent_pid: int) -> None:
    """Worker processes leave Ctrl-C to this process, which stores and indexes what is done and stops;
    they die with it; they collect garbage as usual (a fork inherits the ingest's ``YoungCollections``)."""
    processes.die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
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
    include: tuple[str, ...] = (),
) -> IngestSummary:
    """Ingest files, folders, globs, ``.gz``, JSON Lines and URLs; returns the summary.

    In folders only release-like files are read; the others are counted as skipped, unless their name
    matches an ``include`` glob pattern (see ``index.inputs.expand_paths``).
    """
    settings = as_settings(settings)
    started = time.perf_counter()
    summary = IngestSummary()
    items = iter_inputs(
        args,
        source=source,
        max_bytes=settings.max_document_bytes,
        fetcher=fetcher,
        include=include,
    )
    with Ingester(settings) as ingester:
        fresh = _skip_known_inputs(items, ingester.store, mapping)
        workers = _worker_count(settings)
        parallel, processed = _processed(fresh, mapping, workers)
        if parallel:  # a large batch: the index is written by as many processes as normalize it
            ingester.index_procs = workers
        with contextlib.closing(processed):  # however the loop ends, the normalizing workers stop
            _store_all(ingester, processed, mapping, summary, progress)
    for document in ingester.refused:  # stored, but refused by the search engine after its retries
        summary.failures.append(IngestOutcome(document.id, "unindexed", document.id, document.reason))
    summary.seconds = time.perf_counter() - started
    return summary


def _store_all(ingester: Ingester, processed, mapping: dict | None, summary: IngestSummary, progress) -> None:
    """Store and index each processed input, counting its outcome."""
    for item, result in processed:
        if isinstance(item, SkippedInput):
            outcome = IngestOutcome(item.locator, "skipped", reason=item.reason)
        elif isinstance(item, InputError):
            outcome = IngestOutcome(item.locator, "failed", reason=item.reason)
        elif isinstance(item, IngestOutcome):
            outcome = item
        elif isinstance(result, IngestOutcome):
            outcome = result
        else:
            outcome = ingester.add_document(result, locator=item.locator)
            if outcome.status != "failed":
                ingester.store.remember_input(item.locator, input_hash(item, mapping), outcome.doc_id)
        summary.add(outcome)
        if progress:
            progress(outcome)


def reindex(settings: Mapping[str, Any], *, full: bool = False, progress: Callable[[int], None] | None = None) -> dict:
    """Catch the index up with the store and check it by count and ids, repairing what differs; with
    ``full``, normalize every raw input again and rebuild.

    A full rebuild writes a new index generation and swaps it in atomically. A missing or corrupt
    index makes the plain catch-up raise ``IndexDamaged`` naming ``migsearch reindex --full``.
    """
    settings = as_settings(settings)
    started = time.perf_counter()
    data_dir = settings_data_dir(settings)
    if not full:
        with Ingester(settings) as ingester:
            repairs = dict(ingester.repairs)
            repairs.update(ingester.verify())
            count = ingester.store.count()
            indexed = sum(ingester.writer.indexed_ids().values())
        return {
            "documents": count,
            "indexed": indexed,
            "rebuilt": False,
            "repairs": {k: v for k, v in repairs.items() if v},
            "seconds": round(time.perf_counter() - started, 2),
        }
    failures: list[dict] = []
    with WriteLock(Path(data_dir), settings.write_lock_timeout):
        with DocumentStore(data_dir) as store:
            ids: list[str] = []
            workers = _worker_count(settings)
            extracted = _reextracted(store, failures, workers)

            def documents() -> Iterator[tuple[Document, str]]:
                for number, doc in enumerate(extracted, start=1):
                    ids.append(doc.id)
                    if number % STORE_COMMIT_EVERY == 0:
                        store.commit()
                    if progress:
                        progress(number)
                    yield doc, store.dup_groups([doc.id]).get(doc.id, doc.text_hash)

            def record_commit(generation: str) -> None:
                store.set_meta(PENDING_COMMIT_KEY, f"{generation}:1")
                store.commit()

            procs = workers if store.count() >= PARALLEL_THRESHOLD else 1
            try:
                count = open_engine(settings).rebuild(
                    documents(), procs=procs, memory_mb=_index_memory_mb(settings), before_swap=record_commit
                )
            finally:
                extracted.close()  # stops the normalizing workers whatever happened
            store.mark_indexed(ids)
            store.clear_pending_deletes(store.pending_deletes())
            store.set_meta(PENDING_COMMIT_KEY, "")
            store.commit()
    return {
        "documents": count,
        "indexed": count,
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
    try:
        for (doc_id, *_), result in pairs:
            if isinstance(result, str):
                failures.append({"id": doc_id, "reason": result})
                result = store.get(doc_id)
                if result is None:
                    continue
            else:
                store.upsert(result, force=True)
            yield result
    finally:
        pairs.close()
