"""Crawl state in the store's SQLite database: the frontier of one crawl run and what is known per URL.

``crawl_frontier`` holds the URLs of the current run (queued or done): a run that stops early (page
budget, error, Ctrl-C) leaves queued URLs behind, and the next crawl resumes that run instead of starting
over, so no page is fetched twice. When the frontier is drained the run is finished, and the next crawl
starts a new run that visits everything again with conditional requests. ``crawl_pages`` keeps, per URL,
the validators (ETag, Last-Modified), the content hash, the outcome and the links found, so a page
answered with 304 still leads the crawl to the pages it links to.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass

LOGGER = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS crawl_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at REAL NOT NULL,
    finished_at REAL
);
CREATE TABLE IF NOT EXISTS crawl_frontier (
    url TEXT PRIMARY KEY,
    site TEXT NOT NULL,
    kind TEXT NOT NULL,
    depth INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    done INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS crawl_frontier_queue ON crawl_frontier(done, seq);
CREATE TABLE IF NOT EXISTS crawl_pages (
    url TEXT PRIMARY KEY,
    site TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    http_status INTEGER,
    etag TEXT,
    last_modified TEXT,
    content_hash TEXT,
    doc_id TEXT,
    canonical TEXT,
    links TEXT,
    sitemaps TEXT,
    fetched_at REAL,
    checked_at REAL NOT NULL
);
"""


_KEPT = ("etag", "last_modified", "content_hash", "doc_id", "canonical", "links", "sitemaps", "fetched_at")


@dataclass(frozen=True)
class FrontierItem:
    """A URL waiting in the frontier: which site it belongs to, what it is, how deep it was found."""

    url: str
    site: str
    kind: str  # "page" | "feed" | "sitemap"
    depth: int


@dataclass(frozen=True)
class PageState:
    """What the last visit of a URL left behind."""

    url: str
    status: str
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    doc_id: str | None = None
    canonical: str | None = None
    links: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()  # child sitemaps of a sitemap index


class CrawlState:
    """Frontier and per-URL state on a SQLite connection (the store's, or ``:memory:`` for dry runs)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self.connection.executescript(_SCHEMA)
        self.run_id: int | None = None
        self._seq = 0

    def begin_run(self, sites: Iterable[str]) -> bool:
        """Resume the unfinished run, or start a new one; returns True when resuming.

        Queued URLs of sites not crawled now are dropped from a resumed run.
        """
        row = self.connection.execute(
            "SELECT id FROM crawl_runs WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1"
        ).fetchone()
        queued = self.connection.execute("SELECT COUNT(*) FROM crawl_frontier WHERE done = 0").fetchone()[0]
        if row is not None and queued:
            self.run_id = int(row[0])
            names = list(sites)
            marks = ", ".join("?" * len(names))
            self._sql(f"DELETE FROM crawl_frontier WHERE done = 0 AND site NOT IN ({marks})", names)
            LOGGER.info("resuming crawl run %s with %s queued URLs", self.run_id, queued)
            resumed = True
        else:
            self._sql("UPDATE crawl_runs SET finished_at = ? WHERE finished_at IS NULL", (time.time(),))
            self.connection.execute("DELETE FROM crawl_frontier")
            cursor = self.connection.execute("INSERT INTO crawl_runs (started_at) VALUES (?)", (time.time(),))
            self.run_id = int(cursor.lastrowid or 0)
            resumed = False
        self._seq = self.connection.execute("SELECT COALESCE(MAX(seq), 0) FROM crawl_frontier").fetchone()[0]
        self.commit()
        return resumed

    def finish_run(self) -> None:
        """Mark the current run finished: the next crawl starts afresh (with conditional requests)."""
        self._sql("UPDATE crawl_runs SET finished_at = ? WHERE id = ?", (time.time(), self.run_id))
        self.commit()

    def enqueue(self, url: str, site: str, kind: str, depth: int) -> bool:
        """Add ``url`` to the frontier unless this run already has it; True when added."""
        self._seq += 1
        cursor = self.connection.execute(
            "INSERT OR IGNORE INTO crawl_frontier (url, site, kind, depth, seq) VALUES (?, ?, ?, ?, ?)",
            (url, site, kind, depth, self._seq),
        )
        return cursor.rowcount > 0

    def claim(self, url: str, site: str, kind: str, depth: int) -> bool:
        """Mark ``url`` done in this run (adding it if needed); False when it was done already."""
        self.enqueue(url, site, kind, depth)
        cursor = self._sql("UPDATE crawl_frontier SET done = 1 WHERE url = ? AND done = 0", (url,))
        return cursor.rowcount > 0

    def is_done(self, url: str) -> bool:
        """True when ``url`` was already visited in this run."""
        row = self.connection.execute("SELECT done FROM crawl_frontier WHERE url = ?", (url,)).fetchone()
        return bool(row and row[0])

    def queued(self, limit: int = 50, exclude_sites: Iterable[str] = ()) -> list[FrontierItem]:
        """The oldest queued URLs (breadth first), without those of ``exclude_sites``."""
        excluded = list(exclude_sites)
        marks = ", ".join("?" * len(excluded))
        where = f"AND site NOT IN ({marks})" if excluded else ""
        rows = self.connection.execute(
            f"SELECT url, site, kind, depth FROM crawl_frontier WHERE done = 0 {where} ORDER BY seq LIMIT ?",
            (*excluded, limit),
        )
        return [FrontierItem(*row) for row in rows]

    def pending(self) -> int:
        """Number of URLs still queued in this run."""
        return int(self._sql("SELECT COUNT(*) FROM crawl_frontier WHERE done = 0").fetchone()[0])

    def mark_done(self, url: str) -> None:
        """Take ``url`` off the queue of this run."""
        self.connection.execute("UPDATE crawl_frontier SET done = 1 WHERE url = ?", (url,))

    def page(self, url: str) -> PageState | None:
        """What the last visit of ``url`` left, or None for a URL never visited."""
        row = self.connection.execute(
            "SELECT url, status, etag, last_modified, content_hash, doc_id, canonical, links, sitemaps "
            "FROM crawl_pages WHERE url = ?",
            (url,),
        ).fetchone()
        if row is None:
            return None
        links = tuple(json.loads(row[7])) if row[7] else ()
        sitemaps = tuple(json.loads(row[8])) if row[8] else ()
        return PageState(*row[:7], links=links, sitemaps=sitemaps)

    def record(
        self,
        url: str,
        *,
        site: str,
        kind: str,
        status: str,
        reason: str | None = None,
        http_status: int | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        content_hash: str | None = None,
        doc_id: str | None = None,
        canonical: str | None = None,
        links: Iterable[str] | None = None,
        sitemaps: Iterable[str] | None = None,
        fetched: bool = False,
    ) -> None:
        """Store the outcome of visiting ``url``; a 304 keeps the old validators, hash and links."""
        now = time.time()
        self.connection.execute(
            "INSERT INTO crawl_pages (url, site, kind, status, reason, http_status, etag, last_modified, "
            "content_hash, doc_id, canonical, links, sitemaps, fetched_at, checked_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET site = excluded.site, kind = excluded.kind, "
            "status = excluded.status, reason = excluded.reason, http_status = excluded.http_status, "
            + ", ".join(f"{column} = COALESCE(excluded.{column}, {column})" for column in _KEPT)
            + ", checked_at = excluded.checked_at",
            (
                url, site, kind, status, reason, http_status, etag, last_modified, content_hash, doc_id,
                canonical, json.dumps(list(links)) if links is not None else None,
                json.dumps(list(sitemaps)) if sitemaps is not None else None, now if fetched else None, now,
            ),
        )

    def _sql(self, query: str, params: Iterable = ()) -> sqlite3.Cursor:
        return self.connection.execute(query, tuple(params))

    def commit(self) -> None:
        """Commit (on the store's connection this also commits documents stored so far)."""
        self.connection.commit()
