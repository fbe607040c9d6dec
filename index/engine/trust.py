"""Title trust of the documents a ranking asks about, worked out on first use and kept per generation.

Ranking scales a release's title score by ``index.engine.titles.title_trust`` of its title as the store
holds it. Reading every title of the index to fill that in up front costs a cold search (the CLI) about
a second on 10 k releases; a query only needs the trust of the documents whose titles it matches, a few
hundred at most. ``TitleTrust`` is indexed like the array it replaces (``trust[docnums]``,
``trust[docnum]``) and reads the store only for documents it has not seen yet.

Safe to share between threads: two threads filling the same document write the same value.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np

from index.engine.titles import title_trust

LOGGER = logging.getLogger(__name__)

_UNKNOWN = -1.0
TRUST_SUFFIX = ".trust"  # ``<segment id>.trust``: beside the segment, removed with it by Whoosh
_CHUNK = 900  # ids per SQLite query (below its default limit of variables)


class TitleTrust:
    """``title_trust`` of each document of one reader, read from the store in ``data_dir`` when first asked
    (1.0 where the store has no row or cannot be read)."""

    def __init__(self, reader, data_dir: Path, cache_dir: Path | None = None) -> None:
        self._reader = reader
        self._data_dir = Path(data_dir)
        self._values = np.full(reader.doc_count_all(), _UNKNOWN)
        self._no_store = False
        if cache_dir is not None:  # segments whose trust the writer saved beside them (``segment_trust``)
            for leaf, offset in reader.leaf_readers():
                saved = read_segment_trust(leaf, cache_dir)
                if saved is not None:
                    self._values[offset : offset + len(saved)] = saved

    def __getitem__(self, docnums):
        """The trust of one document (a float) or of an array of document numbers (an array)."""
        if isinstance(docnums, (int, np.integer)):
            return float(self[np.asarray([docnums], dtype=np.int64)][0])
        docnums = np.asarray(docnums, dtype=np.int64)
        values = self._values
        missing = docnums[values[docnums] == _UNKNOWN]
        if len(missing):
            self._fill(np.asarray(sorted(set(missing.tolist())), dtype=np.int64))  # (np.unique imports numpy.ma)
        return values[docnums]

    def known(self) -> int:
        """How many documents' trust has been read so far."""
        return int(np.count_nonzero(self._values != _UNKNOWN))

    def _fill(self, docnums: np.ndarray) -> None:
        found = np.ones(len(docnums))
        if not self._no_store:
            ids = [self._reader.stored_fields(int(docnum))["id"] for docnum in docnums.tolist()]
            try:
                titles = self._titles(ids)
            except Exception:  # noqa: BLE001 - no store beside the index: every title is trusted
                LOGGER.info("no store in %s; titles trusted as they are", self._data_dir, exc_info=True)
                self._no_store = True
                titles = {}
            for position, doc_id in enumerate(ids):
                title = titles.get(doc_id)
                if title is not None:
                    found[position] = title_trust(title)
        self._values[docnums] = found

    def _titles(self, ids: list[str]) -> dict[str, str]:
        """The store's title of each id it holds (read-only: a search never writes to the store)."""
        from index.store.documents import DocumentStore

        store = DocumentStore(self._data_dir, readonly=True)
        try:
            titles: dict[str, str] = {}
            for start in range(0, len(ids), _CHUNK):
                rows = store.get_many(ids[start : start + _CHUNK], columns="id, title")
                titles.update((doc_id, row["title"] or "") for doc_id, row in rows.items())
            return titles
        finally:
            store.close()


def _trust_path(leaf, folder: Path) -> Path | None:
    segment = leaf.segment()
    return None if segment is None else Path(folder) / f"{segment.segment_id()}{TRUST_SUFFIX}"


def read_segment_trust(leaf, folder: Path) -> np.ndarray | None:
    """The title trust of each document of segment ``leaf`` saved beside it, or None (none saved, or
    not for this segment's size)."""
    path = _trust_path(leaf, folder)
    if path is None:
        return None
    try:
        saved = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a damaged cache file: trust is read per document instead
        LOGGER.info("title trust cache %s unreadable", path, exc_info=True)
        return None
    return saved.astype(np.float64) if saved.shape == (leaf.doc_count_all(),) else None


def save_segment_trust(leaf, folder: Path, data_dir: Path) -> bool:
    """Work out the title trust of every live document of segment ``leaf`` (titles from the store in
    ``data_dir``) and save it beside the segment; False when it is already there or has no segment."""
    path = _trust_path(leaf, folder)
    if path is None or path.exists():
        return False
    size = leaf.doc_count_all()
    live = [docnum for docnum in range(size) if not leaf.is_deleted(docnum)]
    ids = [leaf.stored_fields(docnum)["id"] for docnum in live]
    from index.store.documents import DocumentStore

    titles: dict[str, str] = {}
    store = DocumentStore(data_dir, readonly=True)
    try:
        for start in range(0, len(ids), _CHUNK):
            rows = store.get_many(ids[start : start + _CHUNK], columns="id, title")
            titles.update((doc_id, row["title"] or "") for doc_id, row in rows.items())
    finally:
        store.close()
    values = np.ones(size, dtype=np.float32)  # (deleted documents never match: their value is not read)
    for docnum, doc_id in zip(live, ids, strict=True):
        title = titles.get(doc_id)
        if title is not None:
            values[docnum] = title_trust(title)
    tmp = path.parent / f".{path.name}.{os.getpid()}.tmp"
    with tmp.open("wb") as handle:
        np.save(handle, values, allow_pickle=False)
    os.replace(tmp, path)
    return True
