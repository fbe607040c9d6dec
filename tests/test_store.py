"""The SQLite document store: upsert, unchanged skip, raw input kept, delete, iteration."""

from __future__ import annotations

from datetime import date

from index.document import Document, Quote, Speaker
from index.store.documents import DocumentStore


def _doc(doc_id: str = "d1", raw: bytes = b"raw release text", **changes) -> Document:
    fields = dict(
        id=doc_id,
        source="agency",
        title="Title",
        body="Body text about migrants.",
        url="https://x.example/a",
        date=date(2024, 3, 14),
        language="en",
        speakers=[Speaker("Elena Marchetti", "Director")],
        events=["Regional Forum on Labour Migration"],
        organisations=["IOM"],
        countries=["Malta"],
        quotes=[Quote("Elena Marchetti", "Circular migration works")],
        raw=raw,
        raw_kind="text",
    )
    fields.update(changes)
    return Document(**fields)


def test_upsert_reports_added_unchanged_updated(tmp_path):
    with DocumentStore(tmp_path) as store:
        assert store.upsert(_doc()) == "added"
        assert store.upsert(_doc()) == "unchanged"
        assert store.upsert(_doc(raw=b"a corrected release text")) == "updated"
        store.commit()
        assert store.count() == 1


def test_force_rewrites_an_unchanged_document(tmp_path):
    with DocumentStore(tmp_path) as store:
        store.upsert(_doc())
        assert store.upsert(_doc(title="Re-extracted title"), force=True) == "updated"
        assert store.get("d1").title == "Re-extracted title"


def test_round_trip_keeps_every_field_and_the_raw_input(tmp_path):
    original = _doc(raw="Relés — текст".encode() * 100)
    with DocumentStore(tmp_path) as store:
        store.upsert(original)
        store.commit()
    with DocumentStore(tmp_path) as store:
        loaded = store.get("d1")
    assert loaded.raw == original.raw
    assert loaded.speakers == original.speakers
    assert loaded.quotes == original.quotes
    assert loaded.date == date(2024, 3, 14)
    assert loaded.to_dict() == original.to_dict()


def test_raw_input_is_stored_compressed(tmp_path):
    with DocumentStore(tmp_path) as store:
        store.upsert(_doc(raw=b"repetitive release text " * 2000))
        store.commit()
        stored = store.connection.execute("SELECT length(raw) FROM documents").fetchone()[0]
    assert stored < 48_000 / 10


def test_unindexed_until_marked(tmp_path):
    with DocumentStore(tmp_path) as store:
        store.upsert(_doc("a"))
        store.upsert(_doc("b"))
        assert sorted(store.unindexed_ids()) == ["a", "b"]
        store.mark_indexed(["a"])
        assert store.unindexed_ids() == ["b"]
        store.upsert(_doc("a", raw=b"changed"))
        assert sorted(store.unindexed_ids()) == ["a", "b"]


def test_delete_iterate_and_stats(tmp_path):
    with DocumentStore(tmp_path) as store:
        for number in range(5):
            store.upsert(
                _doc(f"d{number}", raw=f"text {number}".encode(), source="s1" if number < 3 else "s2")
            )
        assert [d.id for d in store.iter_documents(batch=2)] == [f"d{n}" for n in range(5)]
        assert sorted(store.ids_for_source("s2")) == ["d3", "d4"]
        assert store.delete(["d0", "missing"]) == 1
        stats = store.stats()
    assert stats["documents"] == 4
    assert stats["by_source"] == {"s1": 2, "s2": 2}
    assert stats["duplicate_groups"] == 1  # identical title and body: one group of duplicates


def test_the_store_is_in_wal_mode(tmp_path):
    with DocumentStore(tmp_path) as store:
        assert store.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_people_only_mentioned_are_kept_and_older_stores_gain_the_column(tmp_path):
    import sqlite3

    with DocumentStore(tmp_path) as store:
        store.upsert(_doc(mentions=["Peter Critic", "Anna Appointee"]))
        store.commit()
    with DocumentStore(tmp_path) as store:
        assert store.get("d1").mentions == ["Peter Critic", "Anna Appointee"]
    older = tmp_path / "older"
    with DocumentStore(older) as store:
        store.upsert(_doc())
        store.commit()
    connection = sqlite3.connect(older / store.path.name)
    connection.execute("ALTER TABLE documents DROP COLUMN mentions")
    connection.commit()
    connection.close()
    with DocumentStore(older) as store:
        assert store.get("d1").mentions == []
        store.upsert(_doc(doc_id="d2", mentions=["Late Mention"]))
        assert store.get("d2").mentions == ["Late Mention"]
