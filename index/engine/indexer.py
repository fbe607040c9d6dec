"""Build and update the Whoosh index: one writer at a time, full rebuilds swapped in atomically.

The live index is ``<data_dir>/index``, a symbolic link to ``indexes/<generation>``. A full rebuild
writes a new generation beside it and replaces the link in one ``rename``, so a searcher that is open
on the old generation keeps working until it refreshes.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable, Iterable
from datetime import datetime
from datetime import time as dtime
from pathlib import Path
from typing import Any

import whoosh.index as windex
from whoosh.writing import IndexWriter

from index.crashpoints import crash_point
from index.document import Document
from index.engine.accel.codec import FastCodec
from index.engine.accel.writer import FastMpWriter, FastSegmentWriter
from index.engine.generations import INDEX_GENERATIONS, INDEX_LINK, index_exists, index_path  # noqa: F401
from index.engine.integrity import MANIFEST, IndexDamaged, check_index, outdated, write_manifest
from index.engine.schema import QUOTE_SEPARATOR, build_schema, field_suffix, said_speaker_words
from index.engine.segment_cache import warm_segment_caches
from index.extraction.countries import country_codes
from index.extraction.names import canonical_person_key

LOGGER = logging.getLogger(__name__)

# Memory for postings before a writer spills them to sorted runs on disk (all its processes together):
# a 10,000-release batch of trove fits in about 450 MB.
DEFAULT_MEMORY_MB = 512
MP_BATCH_SIZE = 100
# Documents into a rebuild at which its "rebuild.during" crash point stands.
CRASH_POINT_DOCUMENTS = 100


def open_or_create_index(data_dir: Path, *, indexed_in_store: int = 0) -> windex.Index:
    """Open the live index, creating an empty first generation only when there is none and the store
    has never indexed a document (``indexed_in_store``).

    A missing or corrupt index raises ``IndexDamaged`` naming the repairing command: it is never
    silently replaced by a fresh empty one.
    """
    data_dir = Path(data_dir)
    status = check_index(data_dir, indexed_in_store=indexed_in_store)
    status.raise_if_damaged()
    if status.state == "ok":
        ix = windex.open_dir(str(index_path(data_dir)))
        missing = sorted(set(build_schema().names()) - set(ix.schema.names()))
        if missing:  # built by an older version: adding documents would fail on the new fields
            ix.close()
            raise IndexDamaged(outdated(missing))
        return ix
    generation = _new_generation(data_dir)
    ix = windex.create_in(str(generation), build_schema())
    write_manifest(generation)
    _swap_link(data_dir, generation)
    return ix


def _new_generation(data_dir: Path) -> Path:
    path = data_dir / INDEX_GENERATIONS / datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path.mkdir(parents=True)
    return path


def _swap_link(data_dir: Path, generation: Path) -> None:
    link = data_dir / INDEX_LINK
    tmp = data_dir / f".{INDEX_LINK}.{os.getpid()}.tmp"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(os.path.relpath(generation, data_dir), tmp)
    os.replace(tmp, link)


def _remove_old_generations(data_dir: Path, keep: Path | None) -> None:
    """Delete every generation except the live one and ``keep`` (the one it replaced, the last good
    generation before it); partial generations left by crashed rebuilds go too."""
    live = index_path(data_dir)
    for old in sorted((data_dir / INDEX_GENERATIONS).iterdir()):
        if old.resolve() not in (live, keep):
            LOGGER.info("removing index generation %s", old.name)
            shutil.rmtree(old, ignore_errors=True)


def remove_partial_generations(data_dir: Path) -> list[str]:
    """Delete generations a crashed rebuild left unfinished (no manifest, not live); the caller holds
    the write lock, so no rebuild is writing one. Returns their names."""
    folder = Path(data_dir) / INDEX_GENERATIONS
    if not folder.is_dir():
        return []
    live = index_path(data_dir)
    removed = []
    for generation in sorted(folder.iterdir()):
        if generation.resolve() != live and not (generation / MANIFEST).exists():
            LOGGER.warning("removing the partial index generation %s left by an interrupted rebuild", generation.name)
            shutil.rmtree(generation, ignore_errors=True)
            removed.append(generation.name)
    return removed


def document_fields(doc: Document, dup_group: str) -> dict:
    """The Whoosh fields of one document: text in its language's fields, facets as exact values."""
    suffix = field_suffix(doc.language)
    speakers = [s.name for s in doc.speakers]
    fields: dict[str, Any] = {
        "id": doc.id,
        "url": doc.url or "",
        "source": doc.source,
        "language": doc.language,
        "dupkey": dup_group,
        "title" + suffix: doc.title,
        "body" + suffix: doc.body,
        "speaker": "\n".join(speakers + [s.role for s in doc.speakers if s.role]),
        "speaker_facet": ",".join(name.replace(",", " ") for name in speakers),
        "speaker_key": ",".join(canonical_person_key(name) for name in speakers),
        "lead_speaker": canonical_person_key(speakers[0]) if speakers else "",
        "mentions": "\n".join(doc.mentions),
        "mentions_facet": ",".join(name.replace(",", " ") for name in doc.mentions),
        "event": "\n".join(doc.events),
        "event_facet": ",".join(e.replace(",", " ") for e in doc.events),
        "event_key": ",".join(" ".join(e.lower().split()).replace(",", " ") for e in doc.events),
        "org": "\n".join(doc.organisations),
        "org_facet": ",".join(o.replace(",", " ") for o in doc.organisations),
        "country": "\n".join(doc.countries + [code for c in doc.countries for code in country_codes(c)]),
        "country_facet": ",".join(c.replace(",", " ") for c in doc.countries),
    }
    if doc.quotes:
        fields["said" + suffix] = "\n".join(
            f"{QUOTE_SEPARATOR} {said_speaker_words(canonical_person_key(q.speaker))} : {q.text}"
            for q in doc.quotes
        )
    if doc.date:
        fields["date"] = datetime.combine(doc.date, dtime())
        fields["year"] = str(doc.date.year)
        fields["month"] = doc.date.strftime("%Y-%m")
    return {key: value for key, value in fields.items() if value != ""}


def open_writer(
    ix: windex.Index, procs: int = 1, memory_mb: int = DEFAULT_MEMORY_MB, *, accelerate: bool = True
) -> IndexWriter:
    """A writer on ``ix`` holding up to ``memory_mb`` of postings; with ``procs`` > 1, Whoosh's
    multi-process writer (the memory shared among the processes).

    Segments are written by ``FastCodec`` (Whoosh's format, written with less work) from a pool
    that groups postings by term as they arrive (``index.engine.accel.writer``). The
    multi-process writer hands documents in batches to ``procs`` indexing processes, each of
    which writes a segment of its own (added as they are, not merged at commit), so analysis and
    posting writing use every core while this process keeps storing documents.

    Without ``accelerate``, stock Whoosh writes (its own segment and multi-process writers and codec):
    slower, the same documents, terms and scores.
    """
    if not accelerate:
        if procs > 1:
            return ix.writer(procs=procs, multisegment=True, limitmb=max(16, memory_mb // procs),
                             batchsize=MP_BATCH_SIZE)
        return ix.writer(limitmb=max(16, memory_mb))
    if procs > 1:
        limit = max(16, memory_mb // procs)
        return FastMpWriter(
            ix, procs=procs, multisegment=True, limitmb=limit, batchsize=MP_BATCH_SIZE, codec=FastCodec()
        )
    return FastSegmentWriter(ix, limitmb=max(16, memory_mb), codec=FastCodec())


def rebuild(
    data_dir: Path,
    documents: Iterable[tuple[Document, str]],
    procs: int = 1,
    memory_mb: int = DEFAULT_MEMORY_MB,
    *,
    accelerate: bool = True,
    before_swap: Callable[[str], None] | None = None,
) -> int:
    """Write a new index generation from ``(document, dup_group)`` pairs and swap it in atomically.

    The caller holds the write lock. ``procs`` indexing processes share the work. ``before_swap``
    is called with the new generation's name once it is complete, before it goes live (the store
    records it). On any error the indexing processes are stopped, the partial generation removed and
    the live index left as it was. Returns the number of documents indexed.
    """
    data_dir = Path(data_dir)
    remove_partial_generations(data_dir)
    previous = index_path(data_dir) if (data_dir / INDEX_LINK).exists() else None
    generation = _new_generation(data_dir)
    ix = windex.create_in(str(generation), build_schema())
    writer = open_writer(ix, procs, memory_mb, accelerate=accelerate)
    count = 0
    try:
        for doc, dup_group in documents:
            writer.add_document(**document_fields(doc, dup_group))
            count += 1
            if count == CRASH_POINT_DOCUMENTS:
                crash_point("rebuild.during")
        writer.commit()
        write_manifest(generation)
        warm_segment_caches(generation, data_dir)  # before the swap: the first search finds them
    except BaseException:
        try:
            writer.cancel()
        finally:
            ix.close()
            shutil.rmtree(generation, ignore_errors=True)
        raise
    ix.close()
    if before_swap is not None:
        before_swap(generation.name)
    crash_point("rebuild.before_swap")
    _swap_link(data_dir, generation)
    crash_point("rebuild.after_swap")
    _remove_old_generations(data_dir, keep=previous)
    LOGGER.info("rebuilt index with %s documents in %s", count, generation.name)
    return count


def commit_token(data_dir: Path, ix: windex.Index, *, next_commit: bool = True) -> str:
    """"<generation name>:<TOC generation>" of the live index, or of its next commit: recorded in the
    store before an index commit, so that after a crash the catch-up can tell whether it happened."""
    return f"{index_path(data_dir).name}:{ix.latest_generation() + (1 if next_commit else 0)}"


def commit_reached(data_dir: Path, ix: windex.Index, token: str | None) -> bool:
    """True when the live index is at or past the commit ``token`` names."""
    if not token:
        return False
    name, _, number = token.rpartition(":")
    return name == index_path(data_dir).name and number.isdigit() and ix.latest_generation() >= int(number)
