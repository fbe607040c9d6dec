"""Is the index whole? A manifest of every committed index file, and a check that says what to run.

After each commit a writer records the size and CRC-32 of every file of the live generation in
``_migsearch.manifest`` (files already recorded with the same size and modification time are
not read again). ``check_index`` compares the generation with it (sizes always; the checksum of a
file whose modification time differs from the recorded one, so a cold ``migsearch search`` does not
read the whole index to start), opens the index and reads its segments, and classifies the result:

- ``ok``: the index opens, its files match the manifest;
- ``absent``: there is no index and the store has never indexed anything (a new data directory);
- ``missing``: the index (the ``index`` link, its generation or its table of contents) is gone while
  the store says documents were indexed: searching it would silently answer nothing;
- ``corrupt``: a file is missing, truncated or changed, or the index cannot be opened or read;
- ``outdated``: the index lacks fields this version writes (built before an upgrade): writers refuse
  it (Whoosh would fail on the first document), searches still read it and log a warning.

``missing`` and ``corrupt`` carry a message naming the repairing command (``REPAIR_COMMAND``).
Nothing here ever creates or replaces an index.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

LOGGER = logging.getLogger(__name__)

MANIFEST = "_migsearch.manifest"
REPAIR_COMMAND = "migsearch reindex --full"
_SKIPPED_SUFFIXES = (".tmp", "WRITELOCK", ".lock", ".facets", ".trust")  # (caches: facet_cache, trust)
_CHUNK = 1 << 20
_TOC_NAME = re.compile(r"^_MAIN_([0-9]+)\.toc$")  # Whoosh's table of contents of each commit

# CRCs already verified in this process: (path, size, mtime_ns) -> crc.
_verified: dict[tuple[str, int, int], int] = {}
_verified_lock = threading.Lock()


class IndexDamaged(RuntimeError):
    """The index is missing or corrupt; the message says what happened and which command repairs it."""

    def __init__(self, status: IndexStatus) -> None:
        super().__init__(status.message)
        self.status = status


@dataclass(frozen=True)
class IndexStatus:
    """The state of a data directory's index, with a message for people when it is not ``ok``."""

    state: str
    message: str = ""
    documents: int | None = None

    @property
    def ok(self) -> bool:
        """True when the index can be searched (``ok``) or there simply is none yet (``absent``)."""
        return self.state in ("ok", "absent")

    @property
    def damaged(self) -> bool:
        """True for ``missing``, ``corrupt`` and ``outdated`` (built with fields this version lacks)."""
        return self.state in ("missing", "corrupt", "outdated")

    def to_dict(self) -> dict:
        """A JSON-ready view (state, message, repair command when damaged)."""
        data: dict = {"state": self.state, "message": self.message or None}
        if self.damaged:
            data["repair"] = REPAIR_COMMAND
        return data

    def raise_if_damaged(self) -> None:
        """Raise ``IndexDamaged`` for ``missing`` and ``corrupt``."""
        if self.damaged:
            raise IndexDamaged(self)


def _index_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.name != MANIFEST and not p.name.endswith(_SKIPPED_SUFFIXES)
    )


def _crc(path: Path) -> int:
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    with _verified_lock:
        if key in _verified:
            return _verified[key]
    crc = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            crc = zlib.crc32(chunk, crc)
    with _verified_lock:
        _verified[key] = crc
    return crc


def write_manifest(folder: Path) -> None:
    """Record the size and CRC-32 of every file of the index generation ``folder`` (after a commit)."""
    folder = Path(folder)
    previous = _read_manifest(folder) or {}
    old_files = previous.get("files", {})
    files = {}
    for path in _index_files(folder):
        stat = path.stat()
        old = old_files.get(path.name)
        if old and old["size"] == stat.st_size and old.get("mtime_ns") == stat.st_mtime_ns:
            files[path.name] = old
            continue
        files[path.name] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "crc32": _crc(path)}
    import whoosh.index as windex

    ix = windex.open_dir(str(folder))
    try:
        generation = ix.latest_generation()
        documents = ix.doc_count()
    finally:
        ix.close()
    tmp = folder / f".{MANIFEST}.{os.getpid()}.tmp"
    record = {"toc_generation": generation, "documents": documents, "files": files}
    tmp.write_text(json.dumps(record), encoding="utf-8")
    os.replace(tmp, folder / MANIFEST)


def _read_manifest(folder: Path) -> dict | None:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def outdated(missing_fields: list[str]) -> IndexStatus:
    """The verdict on an index built by an older version, without fields this version writes."""
    fields = ", ".join(missing_fields)
    return _damaged("outdated", f"built by an older version of migsearch (it has no {fields} field)")


def _damaged(state: str, what: str) -> IndexStatus:
    message = f"the search index is {state}: {what}; run `{REPAIR_COMMAND}` to rebuild it from the store"
    return IndexStatus(state, message)


def check_index(
    data_dir: Path, *, indexed_in_store: int | Callable[[], int] = 0, read_segments: bool = True
) -> IndexStatus:
    """The state of the live index of ``data_dir`` (see the module docstring).

    ``indexed_in_store`` is how many documents the store has seen indexed (or a function that counts
    them, called only when the index is not there): with none, a missing index is just ``absent``.
    ``read_segments`` also opens a reader on every segment.
    """
    import whoosh.index as windex

    link = Path(data_dir) / "index"
    if not link.exists():
        indexed_in_store = _count(indexed_in_store)
        if indexed_in_store:
            where = "the `index` link points nowhere" if link.is_symlink() else "there is no `index` folder"
            held = f"the store holds {indexed_in_store:,} indexed documents"
            return _damaged("missing", f"{where} in {data_dir} although {held}")
        return IndexStatus("absent", "no index yet: run `migsearch ingest` first")
    folder = link.resolve()
    if not windex.exists_in(str(folder)):
        indexed_in_store = _count(indexed_in_store)
        if indexed_in_store:
            return _damaged("missing", f"its table of contents is gone from {folder}")
        return IndexStatus("absent", "no index yet: run `migsearch ingest` first")
    manifest = _read_manifest(folder)
    try:
        ix = windex.open_dir(str(folder))
    except Exception as exc:  # noqa: BLE001 - Whoosh raises many kinds on damaged files
        return _damaged("corrupt", f"it cannot be opened ({exc.__class__.__name__}: {exc})")
    try:
        problem = _check_files(folder, manifest, ix.latest_generation())
        if problem is not None or not read_segments:
            return problem or IndexStatus("ok")
        with ix.reader() as reader:
            return check_opened(reader)
    except Exception as exc:  # noqa: BLE001 - Whoosh raises many kinds on damaged files
        return _damaged("corrupt", f"a segment cannot be read ({exc.__class__.__name__}: {exc})")
    finally:
        ix.close()


def check_files(folder: Path) -> IndexStatus | None:
    """``corrupt`` when the files of generation ``folder``'s last commit differ from its manifest,
    else None; reads no index file (a search checks this before it opens the generation)."""
    folder = Path(folder)
    return _check_files(folder, _read_manifest(folder), _last_commit(folder))


def quick_health(data_dir: Path) -> dict | None:
    """The live index's presence, document count, age and state from its manifest and file listing
    alone (``migsearch stats`` need not load Whoosh), or None when only ``check_index`` can tell: no
    index, no manifest for its last commit (an index from an older version), or a damaged file."""
    link = Path(data_dir) / "index"
    try:
        folder = link.resolve(strict=True)
        commit = _last_commit(folder)
    except OSError:
        return None
    manifest = _read_manifest(folder)
    if commit < 0 or not manifest or manifest.get("toc_generation") != commit or "documents" not in manifest:
        return None
    if _check_files(folder, manifest, commit) is not None:
        return None
    toc = folder / f"_MAIN_{commit}.toc"
    return {
        "ok": True,
        "index_present": True,
        "documents": manifest["documents"],
        "index_age_seconds": round(time.time() - toc.stat().st_mtime, 1),
        "index_state": "ok",
    }


def _last_commit(folder: Path) -> int:
    """The number of the last commit of generation ``folder`` (its newest table of contents), -1 if none."""
    commits = [int(m.group(1)) for name in os.listdir(folder) if (m := _TOC_NAME.match(name))]
    return max(commits, default=-1)


def check_opened(reader) -> IndexStatus:
    """``check_index``'s verdict on the segments of a reader already open on a generation whose files
    ``check_files`` passed: the first and last documents' stored fields can be read."""
    try:
        documents = reader.doc_count()
        last = reader.doc_count_all() - 1
        for docnum in (next(iter(reader.all_doc_ids()), -1), last):
            if docnum >= 0 and not reader.is_deleted(docnum):
                reader.stored_fields(docnum)
    except Exception as exc:  # noqa: BLE001
        return _damaged("corrupt", f"a segment cannot be read ({exc.__class__.__name__}: {exc})")
    return IndexStatus("ok", "", documents)


def _check_files(folder: Path, manifest: dict | None, generation: int) -> IndexStatus | None:
    """``corrupt`` when the files of commit ``generation`` differ from its manifest, else None."""
    if manifest and manifest.get("toc_generation") == generation:
        problem = _compare(folder, manifest["files"])
        if problem:
            return _damaged("corrupt", problem)
    return None


def _count(indexed_in_store: int | Callable[[], int]) -> int:
    if callable(indexed_in_store):
        try:
            return indexed_in_store()
        except Exception:  # noqa: BLE001 - an unreadable store must not hide the index's own state
            LOGGER.info("the store's count of indexed documents cannot be read", exc_info=True)
            return 0
    return indexed_in_store


def _compare(folder: Path, files: dict) -> str:
    """What differs between the generation's files and its manifest ('' when nothing does)."""
    for name, expected in files.items():
        path = folder / name
        if not path.exists():
            return f"its file {name} is missing"
        stat = path.stat()
        if stat.st_size != expected["size"]:
            return f"its file {name} has {stat.st_size:,} bytes where {expected['size']:,} were written"
        if expected.get("mtime_ns") == stat.st_mtime_ns:
            continue  # untouched since it was recorded (as ``write_manifest`` decides): not read again
        if _crc(path) != expected["crc32"]:
            return f"its file {name} has changed since it was written (checksum mismatch)"
    return ""
