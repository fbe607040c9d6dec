"""The Whoosh index: fields, full rebuilds swapped in atomically, one writer at a time."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest
import whoosh.index as windex

from index.engine.indexer import index_path
from index.engine.lock import WriteLock, WriterBusy
from index.ingest.pipeline import Ingester, ingest_paths, reindex
from index.settings import data_dir
from search.request import SearchRequest
from search.service import SearchService


def test_fields_hold_facets_exactly_and_text_searchably(examples_settings):
    ix = windex.open_dir(str(index_path(data_dir(examples_settings))))
    with ix.searcher() as searcher:
        reader = searcher.reader()
        speakers = {t.decode() for t in reader.lexicon("speaker_facet")}
        assert "Elena Marchetti" in speakers
        assert b"marchetti" in set(reader.lexicon("speaker"))
        assert "ru" in {t.decode() for t in reader.lexicon("language")}
        assert "body_ru" in reader.indexed_field_names()
        assert not any(name.startswith("body") for name in ix.schema.stored_names())


def test_full_rebuild_swaps_in_a_new_generation(examples_settings):
    folder = data_dir(examples_settings)
    before = index_path(folder)
    service = SearchService(examples_settings)
    total = service.search(SearchRequest(q="refugees")).total
    result = reindex(examples_settings, full=True)
    after = index_path(folder)
    assert result["rebuilt"] and after != before
    assert (Path(folder) / "index").is_symlink()
    time.sleep(0.6)
    assert service.search(SearchRequest(q="refugees", per_page=11)).total == total
    service.close()


def test_incremental_reindex_catches_up_documents_missing_from_the_index(examples_settings):
    folder = data_dir(examples_settings)
    with Ingester(examples_settings) as ingester:
        ingester.store.connection.execute("UPDATE documents SET indexed_hash = NULL")
        ingester.store.commit()
    # the next writer indexes what the store holds but the index does not
    with Ingester(examples_settings) as ingester:
        assert ingester.store.unindexed_ids() == []
    ix = windex.open_dir(str(index_path(folder)))
    with ix.searcher() as searcher:
        assert searcher.doc_count() == 9


def _hold_lock(folder: str, seconds: float, ready) -> None:
    with WriteLock(Path(folder), timeout=1):
        ready.set()
        time.sleep(seconds)


def test_a_second_writer_waits_then_gets_a_clear_message(settings, tmp_path):
    folder = data_dir(settings)
    ready = multiprocessing.Event()
    holder = multiprocessing.Process(target=_hold_lock, args=(str(folder), 3.0, ready))
    holder.start()
    try:
        assert ready.wait(10)
        (tmp_path / "a.txt").write_text("Title line\n\nAsylum seekers were heard by the committee today.")
        with pytest.raises(WriterBusy, match="another migsearch writer"):
            ingest_paths({**settings, "WRITE_LOCK_TIMEOUT": 0.5}, [str(tmp_path / "a.txt")])
        summary = ingest_paths({**settings, "WRITE_LOCK_TIMEOUT": 10}, [str(tmp_path / "a.txt")])
        assert summary.counts == {"added": 1}
    finally:
        holder.join(10)
