"""Facet postings per segment, decoded once and kept in a file beside the segment.

A facet's arrays (``index.engine.facets``) need every (document, value) pair of its field: tens of
thousands of short posting lists, which take most of a second to decode on 10 k releases. A segment
never changes once written (only which of its documents are deleted), so each segment's pairs are
decoded once and saved as ``<segment id>.<field>.facets`` in the generation's folder; opening the
index again (a server worker, the next CLI search) reads that file in a few milliseconds and applies
the segment's current deletions.

The files are a cache, never the truth:
- Whoosh's cleanup deletes them with their segment (the name starts with the segment's id);
- the integrity manifest leaves them out (``.facets`` is one of its skipped suffixes), and a missing,
  unreadable or mismatched file is decoded again;
- they are written through a temporary file and a rename (two processes may write the same one),
  and not at all where the folder is read-only.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np

from index.engine.accel.postings import segment_field_postings

LOGGER = logging.getLogger(__name__)

SUFFIX = ".facets"
_FORMAT = 1


def field_pairs(reader, fieldname: str, folder: Path | None = None) -> tuple[list[bytes], np.ndarray, np.ndarray]:
    """Every term of ``fieldname`` (sorted) with the index-wide numbers of the live documents holding
    it, flat: (terms, document numbers term after term, how many each term has). With ``folder`` (the
    generation's folder) each segment's pairs are read from, or saved to, its cache file."""
    term_ids: list[np.ndarray] = []
    doc_ids: list[np.ndarray] = []
    vocabulary: dict[bytes, int] = {}
    for leaf, offset in reader.leaf_readers():
        names, ids, counts = segment_pairs(leaf, fieldname, folder)
        if not names:
            continue
        local = np.asarray([vocabulary.setdefault(name, len(vocabulary)) for name in names], dtype=np.int64)
        terms = np.repeat(local, counts)
        if leaf.has_deletions():
            deleted = np.zeros(leaf.doc_count_all(), dtype=bool)
            deleted[np.fromiter(leaf.deleted_docs_set, dtype=np.int64)] = True
            live = ~deleted[ids]
            terms, ids = terms[live], ids[live]
        term_ids.append(terms)
        doc_ids.append(ids + offset)
    if not term_ids:
        return [], np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    terms = np.concatenate(term_ids)
    docs = np.concatenate(doc_ids)
    names = sorted(vocabulary)
    rank = np.empty(len(vocabulary), dtype=np.int64)
    rank[[vocabulary[name] for name in names]] = np.arange(len(names))
    terms = rank[terms]
    order = np.argsort(terms, kind="stable")  # segment order, then each list's own (ascending) order
    counts = np.bincount(terms, minlength=len(names))
    kept = counts > 0  # a value whose documents are all deleted is no value
    return [name for name, keep in zip(names, kept.tolist(), strict=True) if keep], docs[order], counts[kept]


def field_postings(reader, fieldname: str, folder: Path | None = None) -> dict[bytes, np.ndarray]:
    """``field_pairs`` as a mapping: each term of ``fieldname`` with its live documents' numbers."""
    names, flat, counts = field_pairs(reader, fieldname, folder)
    return dict(zip(names, np.split(flat, np.cumsum(counts)[:-1]), strict=True)) if names else {}


def segment_pairs(leaf, fieldname: str, folder: Path | None) -> tuple[list[bytes], np.ndarray, np.ndarray]:
    """``segment_field_postings`` of ``leaf``, from its cache file in ``folder`` when there is a good one
    (and saved there when there is none)."""
    segment = leaf.segment() if folder is not None else None
    if folder is None or segment is None:
        return segment_field_postings(leaf, fieldname)
    path = Path(folder) / f"{segment.segment_id()}.{fieldname}{SUFFIX}"
    size = leaf.doc_count_all()
    found = _read(path, size)
    if found is None:
        found = segment_field_postings(leaf, fieldname)
        _write(path, found, size)
    return found


def save_segment_pairs(leaf, fieldname: str, folder: Path) -> bool:
    """Decode and save segment ``leaf``'s postings of ``fieldname`` when no cache file holds them yet."""
    segment = leaf.segment()
    if segment is None:
        return False
    path = Path(folder) / f"{segment.segment_id()}.{fieldname}{SUFFIX}"
    if path.exists():
        return False
    _write(path, segment_field_postings(leaf, fieldname), leaf.doc_count_all())
    return True


def _read(path: Path, size: int) -> tuple[list[bytes], np.ndarray, np.ndarray] | None:
    try:
        with np.load(path, allow_pickle=False) as saved:
            meta = saved["meta"]
            if meta.tolist() != [_FORMAT, size]:
                return None
            blob = saved["blob"].tobytes()
            ends = np.cumsum(saved["term_lengths"]).tolist()
            ids = saved["ids"].astype(np.int64)
            counts = saved["counts"].astype(np.int64)
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a damaged cache file: decoded again and rewritten
        LOGGER.info("facet cache %s unreadable; decoding the segment again", path, exc_info=True)
        return None
    starts = [0, *ends[:-1]] if ends else []
    names = [blob[start:end] for start, end in zip(starts, ends, strict=True)]
    if len(names) != len(counts) or int(counts.sum()) != len(ids):
        return None
    return names, ids, counts


def _write(path: Path, found: tuple[list[bytes], np.ndarray, np.ndarray], size: int) -> None:
    names, ids, counts = found
    tmp = path.parent / f".{path.name}.{os.getpid()}.tmp"
    try:
        with tmp.open("wb") as handle:
            np.savez(
                handle,
                meta=np.asarray([_FORMAT, size], dtype=np.int64),
                blob=np.frombuffer(b"".join(names), dtype=np.uint8),
                term_lengths=np.asarray([len(name) for name in names], dtype=np.uint32),
                ids=ids.astype(np.uint32),
                counts=counts.astype(np.uint32),
            )
        os.replace(tmp, path)
    except OSError:  # a read-only folder (or a full disk): the next open decodes again
        LOGGER.debug("facet cache %s not written", path, exc_info=True)
        tmp.unlink(missing_ok=True)
