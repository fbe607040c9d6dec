"""A cache of whole search responses in front of the Flask app, checked before Flask sees the request.

A repeated search (a page reloaded, a link shared, a script polling one query) is answered from the
bytes of the first answer: no routing, no JSON encoding, no template, no URL building. The cache is
WSGI middleware around ``app.wsgi_app``, so it sits behind whatever server runs the app (gunicorn's
workers, waitress, Flask's test client) and in front of everything the app does.

What makes a key: the path, the query string's parameters (decoded and ordered by name, so
``?page=2&q=x`` and ``?q=x&page=2`` are one entry), the server's name, port and scheme and the
request's host (what the answers' links may be built from), and the index version the search service
answers from (its generation and commit). A commit or a swapped generation changes the version, so an
answer computed on an older index is never served once searches see a newer one; the version is read as the
service reads it (``SearchService.version``).

What is kept: ``200`` answers of ``GET`` on the search paths (``PATHS``) that set no cookie and fit
``MAX_ENTRY_BYTES``, up to ``search_cache_size`` entries and ``MAX_TOTAL_BYTES`` in all (least recently
used out first); nothing when ``search_cache_size`` is 0. Each worker process has its own cache, as it
has its own result cache (see the README). The JSON's ``took_ms`` is rewritten on every hit to the time
this answer took.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl

LOGGER = logging.getLogger(__name__)

#: Paths whose answers depend only on the request's parameters, host and the index version.
PATHS = frozenset({"/search", "/api/v1/search", "/api/v1/facets"})
MAX_ENTRY_BYTES = 1 << 20
MAX_TOTAL_BYTES = 16 << 20
#: What besides the parameters an answer's links may be built from (``web.external``, ``url_for``).
_WHERE = ("HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "wsgi.url_scheme", "SCRIPT_NAME")
_TOOK_RE = re.compile(rb'("took_ms": ?)(-?[0-9][0-9.eE+-]*)')


@dataclass(frozen=True)
class _Entry:
    status: str
    headers: list[tuple[str, str]]
    head: bytes  # the body, split around the JSON's took_ms value when it has one
    tail: bytes | None
    size: int


class ResponseCache:
    """WSGI middleware: answer cached ``GET`` requests on ``PATHS`` from memory, pass the rest on.

    ``version`` gives the index version answers are computed on (None: no index, nothing cached);
    ``capacity`` is the number of entries kept (0: off).
    """

    def __init__(self, app: Callable, version: Callable[[], object], capacity: int) -> None:
        self.app = app
        self.version = version
        self.capacity = capacity
        self._entries: OrderedDict[tuple, _Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """Answer from the cache when the request's entry is there, else from the app (keeping its answer)."""
        started = time.perf_counter()
        key = self._key(environ) if self.capacity > 0 else None
        if key is None:
            return self.app(environ, start_response)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
        if entry is not None:
            return self._replay(entry, start_response, started)
        return self._record(key, environ, start_response)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    # -- keys ----------------------------------------------------------------------------------

    def _key(self, environ: dict) -> tuple | None:
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("PATH_INFO") not in PATHS:
            return None
        if environ.get("HTTP_COOKIE"):
            return None  # nothing here reads cookies, but an answer for a cookie is not shared
        try:
            version = self.version()
        except Exception:  # noqa: BLE001 - the app answers (and reports) what is wrong
            LOGGER.debug("no index version for the response cache", exc_info=True)
            return None
        if version is None:
            return None
        query = environ.get("QUERY_STRING", "")
        params = tuple(sorted(parse_qsl(query, keep_blank_values=True), key=lambda pair: pair[0]))
        where = tuple(environ.get(name) for name in _WHERE)
        return (version, environ["PATH_INFO"], params, where)

    # -- answering -----------------------------------------------------------------------------

    def _replay(self, entry: _Entry, start_response: Callable, started: float) -> list[bytes]:
        if entry.tail is None:
            start_response(entry.status, list(entry.headers))
            return [entry.head]
        took = json.dumps(round((time.perf_counter() - started) * 1000, 2)).encode()
        body = entry.head + took + entry.tail
        headers = [
            (name, str(len(body)) if name.lower() == "content-length" else value) for name, value in entry.headers
        ]
        start_response(entry.status, headers)
        return [body]

    def _record(self, key: tuple, environ: dict, start_response: Callable) -> Iterable[bytes]:
        seen: dict = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        result = self.app(environ, capture)
        status, headers = seen.get("status", ""), seen.get("headers", [])
        if not status.startswith("200 ") or any(name.lower() == "set-cookie" for name, _ in headers):
            return result
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        if len(body) <= MAX_ENTRY_BYTES:
            self._keep(key, status, headers, body)
        return [body]

    def _keep(self, key: tuple, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        head, tail = body, None
        if any(name.lower() == "content-type" and "json" in value for name, value in headers):
            found = _TOOK_RE.search(body)  # (a key in JSON text: inside a string its quotes are escaped)
            if found is not None:
                head, tail = body[: found.start(2)], body[found.end(2) :]
        entry = _Entry(status, list(headers), head, tail, len(body))
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._entries[key] = entry
            self._bytes += entry.size
            while self._entries and (len(self._entries) > self.capacity or self._bytes > MAX_TOTAL_BYTES):
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= dropped.size


def install(app) -> None:
    """Put a ``ResponseCache`` in front of ``app`` (a Flask app), sized by its ``search_cache_size``."""
    from web.services import get_service, get_settings

    capacity = get_settings(app).search_cache_size
    if capacity <= 0:
        return

    def version() -> object:
        return get_service(app).version()

    app.wsgi_app = ResponseCache(app.wsgi_app, version, capacity)  # type: ignore[method-assign]
