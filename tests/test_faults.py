"""Fault injection: kills at named moments of ingest, delete and rebuild, a full disk, a corrupt store
row and segment, a dead parent with live children, Ctrl-C and SIGTERM. After each, the writer has
ended (never hung), and once `migsearch reindex` has run the store and the index agree."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import time
from pathlib import Path

import pytest
import whoosh.index as windex
from faults import (
    assert_agree,
    children_of,
    doc_id,
    group_members,
    index_ids,
    kill_group,
    reap_group,
    run_cli,
    start_cli,
    store_ids,
    write_corpus,
)

from index.crashpoints import POINTS

# Where to kill, under the module layout of today and of before issue 10 (to run against old code).
# (the old paths first: an editable install would otherwise load the new modules next to the old ones)
SEGMENT_COMMIT = "index.fast_writer:FastSegmentWriter.commit|index.engine.accel.writer:FastSegmentWriter.commit"
MARK_INDEXED = "index.store:DocumentStore.mark_indexed|index.store.documents:DocumentStore.mark_indexed"
DOCUMENT_FIELDS = "index.indexer:document_fields|index.engine.indexer:document_fields"
# Enough records for the parallel paths (normalizing workers and indexing processes).
CORPUS_SIZE = 220


@pytest.fixture(scope="module")
def golden(tmp_path_factory) -> Path:
    """A data directory with CORPUS_SIZE releases ingested (copied for each test)."""
    base = tmp_path_factory.mktemp("golden")
    corpus = write_corpus(base / "corpus.jsonl", CORPUS_SIZE)
    data = base / "data"
    result = run_cli(data, "ingest", str(corpus), "--quiet")
    assert result.returncode == 0, result.stderr
    return data


@pytest.fixture
def data(golden: Path, tmp_path: Path) -> Path:
    """A private copy of the golden data directory."""
    target = tmp_path / "data"
    shutil.copytree(golden, target, symlinks=True)
    (target / "write.lock").unlink(missing_ok=True)
    return target


@pytest.fixture
def fresh_corpus(tmp_path: Path) -> Path:
    """New releases (ids n0001...) not yet in the golden data directory."""
    return write_corpus(tmp_path / "new.jsonl", CORPUS_SIZE, seed=11, prefix="n")


def _generations(data: Path) -> list[str]:
    return sorted(p.name for p in (data / "indexes").iterdir())


def _live(data: Path) -> str:
    return (data / "index").resolve().name


def _repair_and_check(data: Path) -> None:
    result = run_cli(data, "reindex")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert_agree(data)


def _wait_for_children(pid: int, count: int, timeout: float = 120) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = children_of(pid)
        if len(found) >= count:
            return found
        time.sleep(0.05)
    raise AssertionError(f"process {pid} never had {count} children")


# -- 3. writers always end -------------------------------------------------------------------------


def test_rebuild_with_a_corrupt_store_row_ends_with_a_clear_error(data):
    damaged = doc_id(data, 150)
    with sqlite3.connect(data / "store.sqlite3") as connection:
        connection.execute("UPDATE documents SET raw = ? WHERE id = ?", (b"\x00not zlib at all", damaged))
    before = index_ids(data)
    result = run_cli(data, "reindex", "--full", timeout=180)
    assert result.returncode == 5, result.stderr
    assert damaged in result.stderr and "Traceback" not in result.stderr
    assert index_ids(data) == before  # the live index kept serving, untouched
    assert len(_generations(data)) == 1  # the partial generation was removed


def _small_files(limit: int):
    def preexec() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes beyond the limit fail with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


def test_full_disk_during_ingest_and_rebuild_ends_the_writer(data, fresh_corpus):
    before = index_ids(data)
    result = run_cli(data, "reindex", "--full", preexec=_small_files(40_000), timeout=180)
    assert result.returncode == 5, result.stderr
    # (a library may log a warning with its traceback first, and the interpreter's exit may report a file it
    # could not flush on the full disk after it: our message is one of the lines)
    lines = result.stderr.strip().splitlines()
    assert any(line.startswith("Error: the disk is full") for line in lines), result.stderr[-800:]
    assert index_ids(data) == before
    result = run_cli(data, "ingest", str(fresh_corpus), "--quiet", preexec=_small_files(200_000), timeout=180)
    assert result.returncode == 5, result.stderr
    assert any(line.startswith("Error:") for line in result.stderr.splitlines()), result.stderr[-800:]
    _repair_and_check(data)  # with space again, the catch-up finishes what was stored


# -- 4. a dead writer's lock never stands ----------------------------------------------------------


def test_dead_parent_with_live_children_leaves_no_lock(data, fresh_corpus):
    proc = start_cli(data, "ingest", str(fresh_corpus), "--quiet")
    try:
        _wait_for_children(proc.pid, 2)
        os.kill(proc.pid, signal.SIGKILL)  # only the parent, as the OOM killer would
        proc.wait(timeout=30)
        deadline = time.monotonic() + 20
        while group_members(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert group_members(proc.pid) == [], "children outlived their writer"
        started = time.monotonic()
        result = run_cli(data, "reindex", MIGSEARCH_WRITE_LOCK_TIMEOUT="3")
        assert result.returncode == 0, result.stderr
        assert time.monotonic() - started < 120
        assert_agree(data)
    finally:
        kill_group(proc)
        proc.communicate()


# -- 5. store and index agree after a crash at any point -------------------------------------------


def test_crash_between_store_and_index_commit_of_a_delete_leaves_no_ghost(data):
    target = doc_id(data, 5)
    result = run_cli(data, "delete", target, kill_at=SEGMENT_COMMIT)
    assert result.returncode == -signal.SIGKILL
    assert target not in store_ids(data)
    _repair_and_check(data)
    search = run_cli(data, "search", '"Release 5 on"', "--json")
    assert '"total": 0' in search.stdout, search.stdout[:300]


def test_crash_right_after_an_index_commit_indexes_nothing_twice(data, fresh_corpus):
    result = run_cli(data, "ingest", str(fresh_corpus), "--quiet", kill_at=MARK_INDEXED)
    assert result.returncode == -signal.SIGKILL
    _repair_and_check(data)
    ix = windex.open_dir(str((data / "index").resolve()))
    try:
        assert ix.doc_count() == 2 * CORPUS_SIZE
        assert ix.doc_count_all() == ix.doc_count(), "documents already indexed were indexed again"
    finally:
        ix.close()


def test_reindex_repairs_an_index_that_disagrees_with_the_store(data):
    ghost, stale = doc_id(data, 7), doc_id(data, 8)
    with sqlite3.connect(data / "store.sqlite3") as connection:  # as if a delete's index commit was lost
        connection.execute("DELETE FROM documents WHERE id = ?", (ghost,))
        connection.execute("UPDATE documents SET indexed_hash = NULL WHERE id = ?", (stale,))
    result = run_cli(data, "reindex")
    assert result.returncode == 0, result.stderr
    assert "ghosts removed: 1" in result.stdout
    assert_agree(data)


@pytest.mark.parametrize("point", POINTS)
def test_kill_at_each_named_point_then_reindex_agrees(point, data, fresh_corpus):
    deleted = {doc_id(data, 3), doc_id(data, 4)}
    if point.startswith("delete."):
        command = ("delete", *sorted(deleted))
    elif point.startswith("rebuild."):
        command = ("reindex", "--full")
    else:
        command = ("ingest", str(fresh_corpus), "--quiet")
    result = run_cli(data, *command, MIGSEARCH_CRASH_AT=point)
    assert result.returncode == -signal.SIGKILL, f"{point} was not reached: {result.stderr[-500:]}"
    _repair_and_check(data)
    if point.startswith("delete."):
        assert not deleted & set(index_ids(data))
    live = _live(data)
    for name in _generations(data):  # at most the live generation and the one before it, all whole
        assert name == live or (data / "indexes" / name / "_migsearch.manifest").exists()


# -- 6, 7. a missing or corrupt index is reported, never replaced ---------------------------------


@pytest.mark.parametrize("damage", ["link", "toc"])
def test_missing_index_is_reported_with_the_repair_and_never_replaced(damage, data, fresh_corpus):
    if damage == "link":
        (data / "index").unlink()
    else:
        for toc in (data / "index").resolve().glob("_MAIN_*.toc"):
            toc.unlink()
    for command in (("search", "ministry"), ("reindex",), ("stats",), ("ingest", str(fresh_corpus), "--quiet")):
        result = run_cli(data, *command)
        assert result.returncode == 4, (command, result.returncode, result.stderr[-500:])
        assert "migsearch reindex --full" in result.stderr + result.stdout, command
        assert "Traceback" not in result.stderr
    if damage == "link":
        assert not (data / "index").exists(), "a fresh empty index replaced the missing one"
    result = run_cli(data, "reindex", "--full")
    assert result.returncode == 0, result.stderr
    assert_agree(data)


def _segment_files(data: Path) -> list[Path]:
    folder = (data / "index").resolve()
    return sorted((p for p in folder.iterdir() if p.suffix in (".seg", ".pst", ".trm")), key=lambda p: p.stat().st_size)


@pytest.mark.parametrize("damage", ["truncated", "deleted", "random bytes"])
def test_corrupt_segment_is_reported_by_search_stats_healthz_and_serve(damage, data):
    from web import create_app
    from web.serve import warm_up

    segment = _segment_files(data)[-1]
    if damage == "truncated":
        segment.write_bytes(segment.read_bytes()[: segment.stat().st_size // 2])
    elif damage == "deleted":
        segment.unlink()
    else:
        raw = bytearray(segment.read_bytes())
        middle = len(raw) // 2
        raw[middle : middle + 64] = os.urandom(64)
        segment.write_bytes(bytes(raw))
    for command in (("search", "ministry"), ("stats",)):
        result = run_cli(data, *command)
        assert result.returncode == 4, (command, result.stderr[-500:])
        assert "migsearch reindex --full" in result.stderr + result.stdout
        assert "Traceback" not in result.stderr
    app = create_app({"DATA_DIR": str(data), "TESTING": True})
    warm_up(app)  # serve starts and says what is wrong instead of refusing
    client = app.test_client()
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json()["index_state"] == "corrupt"
    assert "migsearch reindex --full" in health.get_json()["error"]
    answer = client.get("/api/v1/search?q=ministry")
    assert answer.status_code == 503 and "reindex --full" in answer.get_json()["error"]
    result = run_cli(data, "reindex", "--full")
    assert result.returncode == 0, result.stderr
    assert_agree(data)


# -- 8. generation cleanup ---------------------------------------------------------------------------


def test_cleanup_keeps_the_last_good_generation_and_removes_partial_ones(data):
    original = _live(data)
    result = run_cli(data, "reindex", "--full", kill_at=DOCUMENT_FIELDS + "#60")
    assert result.returncode == -signal.SIGKILL
    assert len(_generations(data)) == 2  # the crash left a partial generation
    assert _live(data) == original
    result = run_cli(data, "reindex", "--full")
    assert result.returncode == 0, result.stderr
    assert _generations(data) == sorted([original, _live(data)])
    assert_agree(data)


# -- 10. Ctrl-C and SIGTERM stop any writer ----------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_signal_stops_a_full_rebuild_cleanly(signum, data):
    before = index_ids(data)
    original = _live(data)
    proc = start_cli(data, "reindex", "--full")
    try:
        _wait_for_children(proc.pid, 2)
        time.sleep(0.5)
        os.kill(proc.pid, signum)
        try:
            _, err = proc.communicate(timeout=60)
        except Exception:
            kill_group(proc)
            raise AssertionError("the writer did not stop") from None
        assert proc.returncode == 128 + signum, err[-800:]
        assert "Traceback" not in err
        reap_group(proc)
        assert group_members(proc.pid) == []
    finally:
        kill_group(proc)
    assert _live(data) == original and index_ids(data) == before
    _repair_and_check(data)
