"""Where the live index is, whether it exists, and what it holds, without loading the index writer.

The live index is ``<data_dir>/index``, a symbolic link to ``indexes/<generation>`` (see
``index.engine.indexer``). Searching, ``stats`` and ``/healthz`` need only these few reads, so they
live here, apart from the writing machinery (multi-process writer, codecs, extraction helpers).
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import whoosh.index as windex

import index.engine.mapped_files  # noqa: F401 - Whoosh reads segment files in place, not copied (see there)

LOGGER = logging.getLogger(__name__)

INDEX_LINK = "index"
INDEX_GENERATIONS = "indexes"


def index_path(data_dir: Path) -> Path:
    """The live index folder (the link resolved), which may not exist yet."""
    return (Path(data_dir) / INDEX_LINK).resolve()


def index_exists(data_dir: Path) -> bool:
    """True when a live index is present."""
    path = Path(data_dir) / INDEX_LINK
    return path.exists() and windex.exists_in(str(path.resolve()))


def index_health(data_dir: Path, *, path: Path | None = None, documents: int | None = None) -> dict:
    """Presence, document count and age of the live index.

    With ``path`` and ``documents`` (what an open searcher sees), only the age is read; otherwise the
    count comes from the index's table of contents and segment headers (no postings are read).
    """
    if path is None:
        if not index_exists(data_dir):
            return {"ok": False, "index_present": False, "documents": 0, "index_age_seconds": None}
        path = index_path(data_dir)
        ix = windex.open_dir(str(path))
        try:
            documents = ix.doc_count()
        finally:
            ix.close()
    toc = max((p for p in path.glob("_MAIN_*.toc")), key=os.path.getmtime, default=None)
    age = time.time() - os.path.getmtime(toc) if toc else None
    return {
        "ok": True,
        "index_present": True,
        "documents": documents,
        "index_age_seconds": round(age, 1) if age is not None else None,
    }
