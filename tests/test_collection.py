"""Garbage collection during an ingest: young garbage is still freed, the collector is restored after."""

from __future__ import annotations

import gc
import weakref

from index.ingest.collection import YoungCollections
from index.ingest.pipeline import ingest_paths


class _Node:
    """A tiny object graph with a reference cycle, like a parse tree."""

    def __init__(self) -> None:
        self.child = {"parent": self}


def test_cyclic_garbage_of_each_document_is_collected_while_automatic_collection_is_off() -> None:
    assert gc.isenabled()
    with YoungCollections(every=3) as collections:
        assert not gc.isenabled()
        node = _Node()
        ref = weakref.ref(node)
        del node
        collections.tick()
        collections.tick()
        assert ref() is not None, "a cycle is only freed by a collection"
        collections.tick()
        assert ref() is None, "the third document's tick collected the young generations"
    assert gc.isenabled()


def test_a_collector_turned_off_before_stays_off() -> None:
    gc.disable()
    try:
        with YoungCollections():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_ingest_leaves_the_collector_on_after_a_batch_with_a_bad_file(settings, tmp_path) -> None:
    (tmp_path / "release.txt").write_text("Resettlement places\n\nThe minister announced new places.", "utf-8")
    summary = ingest_paths(settings, [str(tmp_path / "release.txt")])
    assert summary.counts["added"] == 1 and gc.isenabled()
    (tmp_path / "broken.bin").write_bytes(b"\x00\xff" * 100)
    ingest_paths(settings, [str(tmp_path)])
    assert gc.isenabled()
