"""Searching never writes to the store (regression: ``SearchService`` opened it read-write, and its
constructor fingerprinted every document again when the SimHash recipe was old, committing without the
write lock). Migrations run in writers, under the write lock."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from index.ingest.pipeline import Ingester
from index.store import dedup
from index.store.documents import STORE_FILENAME, DocumentStore
from search.request import SearchRequest
from search.service import SearchService


def _age_the_fingerprints(store_path: Path) -> None:
    """Make the store look as if an older SimHash recipe had fingerprinted it."""
    with sqlite3.connect(store_path) as conn:
        conn.execute("UPDATE dedup_meta SET value = 'old' WHERE key = 'simhash_version'")
        conn.execute("UPDATE simhash_bands SET simhash = simhash + 1")


def _digest(store_path: Path) -> str:
    with sqlite3.connect(f"{store_path.as_uri()}?mode=ro", uri=True) as conn:
        rows = [*conn.execute("SELECT * FROM dedup_meta ORDER BY key"),
                *conn.execute("SELECT * FROM simhash_bands ORDER BY 1, 2, 3")]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_a_search_leaves_an_old_store_as_it_is(examples_settings: dict) -> None:
    store_path = Path(examples_settings["DATA_DIR"]) / STORE_FILENAME
    _age_the_fingerprints(store_path)
    before = _digest(store_path)
    service = SearchService(examples_settings)
    try:
        result = service.search(SearchRequest(q="refugee"))
        assert result.total > 0
        assert service.get_document(result.hits[0].id, highlight="refugee") is not None
        assert service.more_like_this(result.hits[0].id) is not None
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            service.store.connection.execute("DELETE FROM documents")
    finally:
        service.close()
    assert _digest(store_path) == before  # not fingerprinted again, nothing committed
    with Ingester(examples_settings):  # a writer, under the write lock, migrates it
        pass
    with sqlite3.connect(store_path) as conn:
        version = conn.execute("SELECT value FROM dedup_meta WHERE key = 'simhash_version'").fetchone()[0]
    assert version == dedup.SIMHASH_VERSION


def test_readers_need_an_existing_store(tmp_path: Path, settings: dict) -> None:
    with pytest.raises(FileNotFoundError, match="ingest something first"):
        DocumentStore(tmp_path / "nothing-here", readonly=True)
    assert not (tmp_path / "nothing-here").exists()
    service = SearchService(settings)
    try:
        assert service.search(SearchRequest(q="refugee")).total == 0
        assert service.get_document("0123456789abcdef") is None
        assert service.more_like_this("0123456789abcdef") == []
    finally:
        service.close()
    assert DocumentStore.read_stats(tmp_path / "nothing-here")["documents"] == 0
