"""Settings in one place: one frozen, typed ``Settings`` built by one loader, used by the CLI, the app and
the crawler alike.

Each setting has a default and a one-line help (``SETTINGS``, also the README's table: a test checks it).
``load_settings`` reads the defaults, then ``MIGSEARCH_*`` environment variables, then overrides, and turns
every text value into the setting's type, refusing what it cannot read (``MIGSEARCH_ACCELERATE=maybe``) with
a message naming the variable. ``Settings`` is also a read-only mapping by upper-case name
(``settings["DATA_DIR"]``), which is how the Flask config and older callers see it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PREFIX = "MIGSEARCH_"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


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
    Setting("SEARCH_CACHE_SIZE", 512, "Search results and whole answers kept in memory per worker (0: none)."),
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
    Setting(
        "EXPORT_MAX_ROWS",
        100_000,
        "Most rows a whole-search export (CSV, JSON Lines; web or CLI) writes; the rest is cut with a message.",
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
    Setting("ENGINE", "whoosh", "Search engine: whoosh (embedded, the default) or opensearch (a cluster)."),
    Setting("OPENSEARCH_URL", "http://127.0.0.1:9200", "OpenSearch nodes, comma-separated (engine opensearch)."),
    Setting("OPENSEARCH_INDEX_PREFIX", "migsearch", "Prefix of the OpenSearch alias and index names."),
    Setting("OPENSEARCH_USER", "", "User name for OpenSearch's basic authentication (empty: none)."),
    Setting("OPENSEARCH_PASSWORD", "", "Password for OpenSearch's basic authentication."),
    Setting("OPENSEARCH_VERIFY_CERTS", True, "Verify the TLS certificates of https:// OpenSearch nodes."),
    Setting("OPENSEARCH_CA_CERTS", "", "CA bundle for the OpenSearch nodes' certificates (empty: the system's)."),
    Setting("OPENSEARCH_SHARDS", 1, "Primary shards of a new OpenSearch index."),
    Setting("OPENSEARCH_REPLICAS", 1, "Replicas of each shard of a new OpenSearch index."),
    Setting("OPENSEARCH_BULK_SIZE", 500, "Documents per OpenSearch bulk request."),
    Setting("OPENSEARCH_TIMEOUT", 30.0, "Seconds to wait for an OpenSearch request."),
)
_BY_NAME = {setting.name: setting for setting in SETTINGS}


class SettingsError(ValueError):
    """A setting's value cannot be read as its type; the message names the variable and the value."""


@dataclass(frozen=True)
class Settings(Mapping[str, Any]):
    """Every setting, typed. Read as attributes (``settings.data_dir``) or by name (``settings["DATA_DIR"]``).

    ``extra`` keeps values no setting declares (for example Flask's ``TESTING``), passed through as given.
    """

    data_dir: str
    write_lock_timeout: float
    search_cache_size: int
    ingest_workers: int
    index_memory_mb: int
    accelerate: bool
    max_document_bytes: int
    commit_every_seconds: float
    max_query_terms: int
    search_time_budget: float
    public_url: str
    export_max_rows: int
    user_agent: str
    contact: str
    crawl_delay: float
    allow_private_addresses: bool
    allowed_addresses: str
    engine: str
    opensearch_url: str
    opensearch_index_prefix: str
    opensearch_user: str
    opensearch_password: str
    opensearch_verify_certs: bool
    opensearch_ca_certs: str
    opensearch_shards: int
    opensearch_replicas: int
    opensearch_bulk_size: int
    opensearch_timeout: float
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        name = key.removeprefix(PREFIX)
        if name in _BY_NAME:
            return getattr(self, name.lower())
        return self.extra[name]

    def __iter__(self) -> Iterator[str]:
        yield from _BY_NAME
        yield from self.extra

    def __len__(self) -> int:
        return len(_BY_NAME) + len(self.extra)

    def replace(self, **overrides: Any) -> Settings:
        """A copy with some settings changed (upper-case names, values coerced like the loader's)."""
        return _build({**self, **overrides})


def coerce(value: object, default: object, name: str = "") -> object:
    """A setting's value as the type of its default (bools accept 1/true/yes/on and 0/false/no/off)."""
    where = f"{PREFIX}{name}" if name else "setting"
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise SettingsError(f"{where} must be true or false (1/0, yes/no, on/off), not {value!r}")
    try:
        if isinstance(default, int):
            return int(str(value).strip()) if isinstance(value, str) else int(value)  # type: ignore[call-overload]
        if isinstance(default, float):
            return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        kind = "a whole number" if isinstance(default, int) else "a number"
        raise SettingsError(f"{where} must be {kind}, not {value!r}") from None
    return str(value)


def _build(values: Mapping[str, Any]) -> Settings:
    declared: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in values.items():
        name = key.removeprefix(PREFIX)
        if name == "extra":
            continue
        setting = _BY_NAME.get(name)
        if setting is None:
            extra[name] = value
        else:
            declared[name.lower()] = coerce(value, setting.default, name)
    return Settings(**declared, extra=extra)


def load_settings(overrides: Mapping[str, Any] | None = None, *, environ: Mapping[str, str] | None = None) -> Settings:
    """The one loader: defaults, then ``MIGSEARCH_*`` environment variables, then ``overrides`` (keys with
    or without the prefix). Raises ``SettingsError`` for a value that cannot be read."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = environ.get(PREFIX + setting.name)
        values[setting.name] = setting.default if raw is None else raw
    for key, value in (overrides or {}).items():
        values[key.removeprefix(PREFIX)] = value
    return _build(values)


def as_settings(settings: Mapping[str, Any]) -> Settings:
    """``settings`` as a ``Settings``: returned as it is, or loaded with a mapping's values as overrides."""
    return settings if isinstance(settings, Settings) else load_settings(settings)


def data_dir(settings: Mapping[str, Any]) -> Path:
    """The data directory from the settings, created if missing."""
    path = Path(settings["DATA_DIR"]).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


