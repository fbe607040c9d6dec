"""The document store: one SQLite file (WAL), the source of truth, raw input kept compressed."""

from __future__ import annotations

import json
import logging
import sqlite3
import time
import zlib
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from index.document import Document, Quote, Speaker

LOGGER = logging.getLogger(__name__)

STORE_FILENAME = "store.sqlite3"
# zlib level of the kept raw inputs: level 1 is about twice as fast as 6 and ~10 % larger on releases.
RAW_COMPRESSION_LEVEL = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    url TEXT,
    title TEXT NOT NULL,
    date TEXT,
    language TEXT NOT NULL,
    body TEXT NOT NULL,
    speakers TEXT NOT NULL,
    events TEXT NOT NULL,
    organisations TEXT NOT NULL,
    countries TEXT NOT NULL,
    quotes TEXT NOT NULL,
    mentions TEXT NOT NULL DEFAULT '[]',
    content_hash TEXT NOT NULL,
    dup_group TEXT NOT NULL,
    raw BLOB NOT NULL,
    raw_kind TEXT NOT NULL,
    raw_meta TEXT NOT NULL,
    indexed_hash TEXT,
    added_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source);
CREATE INDEX IF NOT EXISTS documents_dup_group ON documents(dup_group);
-- ``stats`` counts languages and dated releases from this index instead of reading every row (bodies and all)
CREATE INDEX IF NOT EXISTS documents_language_date ON documents(language, date);
CREATE TABLE IF NOT EXISTS inputs (
    locator TEXT PRIMARY KEY,
    input_hash TEXT NOT NULL,
    doc_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS inputs_doc_id ON inputs(doc_id);
CREATE TABLE IF NOT EXISTS pending_deletes (
    id TEXT PRIMARY KEY
);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

_COLUMNS = (
    "id, source, url, title, date, language, body, speakers, events, organisations, countries, quotes, "
    "mentions, content_hash, dup_group, raw, raw_kind, raw_meta"
)

_UPSERT = (
    f"INSERT INTO documents ({_COLUMNS}, added_at, updated_at) "
    f"VALUES ({', '.join('?' * 18)}, ?, ?) "
    "ON CONFLICT(id) DO UPDATE SET "
    + ", ".join(f"{col.strip()} = excluded.{col.strip()}" for col in _COLUMNS.split(",")[1:])
    + ", updated_at = excluded.updated_at, indexed_hash = NULL"
)


class DocumentStore:
    """Upsert, read and delete documents in ``<data_dir>/store.sqlite3``.

    Writers open it read-write, holding the data directory's write lock: creating the tables and
    migrations (such as fingerprinting documents again for a newer SimHash recipe) happen then only.
    Readers (searches, ``stats``, ``export``) open it with ``readonly=True``: SQLite's ``mode=ro``, so a
    search can never write, and a missing store raises ``FileNotFoundError``.
    """

    def __init__(self, data_dir: Path | str, *, readonly: bool = False) -> None:
        self.path = Path(data_dir) / STORE_FILENAME
        self.readonly = readonly
        if readonly:
            if not self.path.exists():
                raise FileNotFoundError(f"no document store at {self.path}: ingest something first")
            uri = f"{self.path.resolve().as_uri()}?mode=ro"
            self.connection = sqlite3.connect(uri, uri=True, timeout=30.0, check_same_thread=False)
            self.connection.row_factory = sqlite3.Row
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.connection = sqlite3.connect(self.path, timeout=30.0, check_same_thread=False)
        self.connection.row_factory = sqlite3.Row
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute("PRAGMA synchronous=NORMAL")
        from index.store import dedup  # numpy and the SimHash code: only writers need them

        self.connection.executescript(_SCHEMA + dedup.SCHEMA)
        _add_mentions_column(self.connection)
        dedup.ensure_current(self.connection)

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()

    def __enter__(self) -> DocumentStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def content_hash(self, doc_id: str) -> str | None:
        """The stored content hash of ``doc_id``, or None when it is not stored."""
        row = self.connection.execute("SELECT content_hash FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def upsert(self, doc: Document, *, dup_group: str | None = None, force: bool = False) -> str:
        """Insert or replace ``doc``; returns "added", "updated" or "unchanged" (same content hash).

        ``force`` writes even an unchanged document (re-extraction of the same raw input).
        """
        content_hash = doc.content_hash
        previous = self.content_hash(doc.id)
        if previous == content_hash and not force:
            return "unchanged"
        if dup_group is None:
            dup_group = self._duplicate_group(doc)
        now = time.time()
        values = (
            doc.id,
            doc.source,
            doc.url,
            doc.title,
            doc.date.isoformat() if doc.date else None,
            doc.language,
            doc.body,
            json.dumps([{"name": s.name, "role": s.role} for s in doc.speakers], ensure_ascii=False),
            json.dumps(doc.events, ensure_ascii=False),
            json.dumps(doc.organisations, ensure_ascii=False),
            json.dumps(doc.countries, ensure_ascii=False),
            json.dumps([{"speaker": q.speaker, "text": q.text} for q in doc.quotes], ensure_ascii=False),
            json.dumps(doc.mentions, ensure_ascii=False),
            content_hash,
            dup_group or doc.text_hash,
            zlib.compress(doc.raw, RAW_COMPRESSION_LEVEL),
            doc.raw_kind,
            json.dumps(doc.raw_meta, ensure_ascii=False, default=str),
        )
        self.connection.execute(_UPSERT, (*values, now, now))
        return "added" if previous is None else "updated"

    def known_input(self, locator: str, input_hash: str) -> str | None:
        """The document id an identical input (same locator and hash) produced before, if stored."""
        row = self.connection.execute(
            "SELECT i.doc_id FROM inputs i JOIN documents d ON d.id = i.doc_id "
            "WHERE i.locator = ? AND i.input_hash = ?",
            (locator, input_hash),
        ).fetchone()
        return row[0] if row else None

    def remember_input(self, locator: str, input_hash: str, doc_id: str) -> None:
        """Record which document an input produced, so an identical input is skipped next time."""
        self.connection.execute(
            "INSERT INTO inputs (locator, input_hash, doc_id) VALUES (?, ?, ?) "
            "ON CONFLICT(locator) DO UPDATE SET input_hash = excluded.input_hash, doc_id = excluded.doc_id",
            (locator, input_hash, doc_id),
        )

    def _duplicate_group(self, doc: Document) -> str:
        """The group of an exact or near duplicate already stored, else this document's own text hash."""
        from index.store import dedup

        fingerprint = dedup.simhash(doc.body)
        dedup.remember(self.connection, doc.id, fingerprint)
        if fingerprint is not None:
            other = dedup.near_duplicate(self.connection, doc.id, fingerprint, doc.body)
            if other is not None:
                row = self.connection.execute("SELECT dup_group FROM documents WHERE id = ?", (other,)).fetchone()
                if row:
                    return row[0]
        return doc.text_hash

    def mark_indexed(self, doc_ids: Iterable[str]) -> None:
        """Record that the index holds the current version of these documents."""
        self.connection.executemany(
            "UPDATE documents SET indexed_hash = content_hash WHERE id = ?", ((i,) for i in doc_ids)
        )

    def unindexed_ids(self) -> list[str]:
        """Ids whose current version is not in the index yet (after a crash between store and index)."""
        rows = self.connection.execute(
            "SELECT id FROM documents WHERE indexed_hash IS NULL OR indexed_hash != content_hash"
        )
        return [row[0] for row in rows]

    def commit(self) -> None:
        """Commit the pending transaction."""
        self.connection.commit()

    def get(self, doc_id: str) -> Document | None:
        """The stored document, raw input included, or None."""
        row = self.connection.execute(f"SELECT {_COLUMNS} FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return _row_to_document(row) if row else None

    def get_many(
        self,
        doc_ids: list[str],
        *,
        columns: str = "id, source, url, title, date, language, speakers, events, organisations, countries",
    ) -> dict[str, sqlite3.Row]:
        """Rows for several ids at once (a light projection by default), keyed by id."""
        if not doc_ids:
            return {}
        marks = ", ".join("?" * len(doc_ids))
        rows = self.connection.execute(f"SELECT {columns} FROM documents WHERE id IN ({marks})", doc_ids)
        return {row["id"]: row for row in rows}

    def iter_documents(self, *, source: str | None = None, batch: int = 500) -> Iterator[Document]:
        """Every stored document, in id order, read in batches."""
        last = ""
        while True:
            sql = f"SELECT {_COLUMNS} FROM documents WHERE id > ?"
            params: list = [last]
            if source:
                sql += " AND source = ?"
                params.append(source)
            rows = self.connection.execute(sql + " ORDER BY id LIMIT ?", (*params, batch)).fetchall()
            if not rows:
                return
            for row in rows:
                yield _row_to_document(row)
            last = rows[-1]["id"]

    def dup_groups(self, doc_ids: list[str]) -> dict[str, str]:
        """The duplicate group of each id."""
        rows = self.get_many(doc_ids, columns="id, dup_group")
        return {doc_id: row["dup_group"] for doc_id, row in rows.items()}

    def delete(self, doc_ids: Iterable[str]) -> int:
        """Delete documents by id; returns how many existed.

        Each deleted id is also recorded as a pending index delete in the same transaction, so a
        crash before the index commits is finished by the next writer (``pending_deletes``).
        """
        from index.store import dedup

        count = 0
        for doc_id in doc_ids:
            count += self.connection.execute("DELETE FROM documents WHERE id = ?", (doc_id,)).rowcount
            self.connection.execute("DELETE FROM inputs WHERE doc_id = ?", (doc_id,))
            self.connection.execute("INSERT OR IGNORE INTO pending_deletes (id) VALUES (?)", (doc_id,))
            dedup.remember(self.connection, doc_id, None)
        return count

    def pending_deletes(self) -> list[str]:
        """Ids deleted from the store whose deletion the index may not have committed yet."""
        return [row[0] for row in self.connection.execute("SELECT id FROM pending_deletes ORDER BY id")]

    def clear_pending_deletes(self, doc_ids: Iterable[str]) -> None:
        """Forget pending deletes the index has committed."""
        self.connection.executemany("DELETE FROM pending_deletes WHERE id = ?", ((i,) for i in doc_ids))

    def get_meta(self, key: str) -> str | None:
        """A bookkeeping value (e.g. the index commit the store last asked for)."""
        row = self.connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Set a bookkeeping value (committed with the next commit)."""
        self.connection.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def all_ids(self) -> set[str]:
        """Every stored id."""
        return {row[0] for row in self.connection.execute("SELECT id FROM documents")}

    def indexed_count(self) -> int:
        """Documents the store has seen reach the index (0 when nothing was ever indexed)."""
        row = self.connection.execute("SELECT COUNT(*) FROM documents WHERE indexed_hash IS NOT NULL")
        return row.fetchone()[0]

    def body_length(self, doc_id: str) -> int | None:
        """The stored body's length in characters, or None when ``doc_id`` is not stored."""
        row = self.connection.execute("SELECT length(body) FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def ids_for_source(self, source: str) -> list[str]:
        """All ids of one source."""
        return [r[0] for r in self.connection.execute("SELECT id FROM documents WHERE source = ?", (source,))]

    def count(self) -> int:
        """Number of stored documents."""
        return self.connection.execute("SELECT COUNT(*) FROM documents").fetchone()[0]

    @classmethod
    def read_stats(cls, data_dir: Path | str) -> dict:
        """``stats()`` of the store in ``data_dir`` opened read-only (all zero when there is none yet)."""
        if not (Path(data_dir) / STORE_FILENAME).exists():
            return {"documents": 0, "indexed": 0, "by_source": {}, "by_language": {}, "dated": 0, "duplicate_groups": 0,
                    "store_bytes": 0}
        with cls(data_dir, readonly=True) as store:
            return store.stats()

    def stats(self) -> dict:
        """Counts by source and language, dated share, and the file size."""
        conn = self.connection
        return {
            "documents": self.count(),
            "indexed": self.indexed_count(),
            "by_source": dict(
                conn.execute("SELECT source, COUNT(*) FROM documents GROUP BY source ORDER BY 2 DESC")
            ),
            "by_language": dict(conn.execute("SELECT language, COUNT(*) FROM documents GROUP BY language")),
            "dated": conn.execute("SELECT COUNT(*) FROM documents WHERE date IS NOT NULL").fetchone()[0],
            "duplicate_groups": conn.execute(
                "SELECT COUNT(*) FROM (SELECT dup_group FROM documents GROUP BY dup_group HAVING COUNT(*) > 1)"
            ).fetchone()[0],
            "store_bytes": self.path.stat().st_size if self.path.exists() else 0,
        }


class StoreCorrupt(RuntimeError):
    """A stored row cannot be read back (damaged bytes in the SQLite file)."""


def _add_mentions_column(connection: sqlite3.Connection) -> None:
    """Stores made before people only mentioned were kept get the column, empty until re-extracted
    (``migsearch reindex --full``)."""
    columns = {row[1] for row in connection.execute("PRAGMA table_info(documents)")}
    if "mentions" not in columns:
        connection.execute("ALTER TABLE documents ADD COLUMN mentions TEXT NOT NULL DEFAULT '[]'")
        connection.commit()


def _row_to_document(row: sqlite3.Row) -> Document:
    try:
        return _decode_row(row)
    except (zlib.error, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise StoreCorrupt(
            f"stored document {row['id']!r} cannot be read ({exc.__class__.__name__}: {exc}); "
            f"delete it (`migsearch delete {row['id']}`) and ingest its input again"
        ) from exc


def _decode_row(row: sqlite3.Row) -> Document:
    return Document(
        id=row["id"],
        source=row["source"],
        url=row["url"],
        title=row["title"],
        date=date.fromisoformat(row["date"]) if row["date"] else None,
        language=row["language"],
        body=row["body"],
        speakers=[Speaker(s["name"], s.get("role")) for s in json.loads(row["speakers"])],
        events=json.loads(row["events"]),
        organisations=json.loads(row["organisations"]),
        countries=json.loads(row["countries"]),
        quotes=[Quote(q["speaker"], q["text"]) for q in json.loads(row["quotes"])],
        mentions=json.loads(row["mentions"]) if "mentions" in row.keys() else [],
        raw=zlib.decompress(row["raw"]),
        raw_kind=row["raw_kind"],
        raw_meta=json.loads(row["raw_meta"]),
    )
