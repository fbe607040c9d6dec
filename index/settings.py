"""Settings in one place: each has a default and a one-line help, read from ``MIGSEARCH_*`` variables."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    """One setting: its name (without the MIGSEARCH_ prefix), default and help."""

    name: str
    default: object
    help: str


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/migsearch``, or ``~/.local/share/migsearch``."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "migsearch"


SETTINGS: tuple[Setting, ...] = (
    Setting("DATA_DIR", str(default_data_dir()), "Folder holding the document store and the Whoosh index."),
    Setting("WRITE_LOCK_TIMEOUT", 30.0, "Seconds a writer waits for another writer before giving up."),
    Setting("SEARCH_CACHE_SIZE", 512, "Number of search results kept in the in-memory cache."),
    Setting("INGEST_WORKERS", 0, "Processes that normalize and extract during ingest (0 = one per core)."),
    Setting(
        "INDEX_MEMORY_MB",
        512,
        "Memory for postings before the index writer sorts them on disk (shared by its processes).",
    ),
    Setting(
        "ACCELERATE",
        True,
        "Use the fast paths over stock Whoosh (writer, codec, vectorized scoring); off falls back to stock Whoosh.",
    ),
    Setting("MAX_DOCUMENT_BYTES", 20_000_000, "Inputs larger than this are refused and reported."),
    Setting(
        "COMMIT_EVERY_SECONDS",
        60.0,
        "A long ingest commits the index at least this often, so documents become searchable during it.",
    ),
    Setting(
        "MAX_QUERY_TERMS",
        1024,
        "Words one wildcard, prefix or range of a query may expand to; more is a 400 saying what to narrow.",
    ),
    Setting(
        "SEARCH_TIME_BUDGET",
        5.0,
        "Seconds one search may take; a search over budget answers 503 saying to narrow the query.",
    ),
    Setting(
        "PUBLIC_URL",
        "",
        "Address users reach the server at (e.g. https://search.example.org), for links in feeds, CSV and "
        "JSON; empty: the address the server listens on (never the request's Host header).",
    ),
    Setting("USER_AGENT", "migsearch/0.1 (+https://example.org/migsearch)", "User-Agent sent when fetching."),
    Setting("CONTACT", "", "Contact address added to the User-Agent so site owners can reach you."),
    Setting("CRAWL_DELAY", 1.0, "Seconds between two requests to the same host."),
    Setting("ALLOW_PRIVATE_ADDRESSES", False, "Allow fetching private, loopback and link-local addresses."),
    Setting(
        "ALLOWED_ADDRESSES",
        "",
        "Comma-separated addresses or networks allowed even when private (e.g. 127.0.0.1 for tests).",
    ),
)

_PREFIX = "MIGSEARCH_"


def coerce(value: str, default: object) -> object:
    """A setting's text value as the type of its default (bools accept 1/true/yes/on)."""
    if isinstance(default, bool):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    return value


def load_settings(overrides: dict | None = None) -> dict:
    """Defaults, then ``MIGSEARCH_*`` environment variables, then ``overrides`` (keys without prefix)."""
    values: dict = {}
    for setting in SETTINGS:
        raw = os.environ.get(_PREFIX + setting.name)
        values[setting.name] = setting.default if raw is None else coerce(raw, setting.default)
    for key, value in (overrides or {}).items():
        values[key.removeprefix(_PREFIX)] = value
    return values


def data_dir(settings: dict) -> Path:
    """The data directory from the settings, created if missing."""
    path = Path(settings["DATA_DIR"]).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path
