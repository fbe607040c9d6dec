"""Per-host politeness: one request at a time per host, and a pause between two requests to it.

The pause is ``max(delay, crawl_delay)``: the configured delay (``CRAWL_DELAY``, default 1 s) or the
site's robots.txt ``Crawl-delay``, whichever is longer. It is measured from the *end* of the previous
response, so a slow server also gets a breather. A host key is ``scheme://host:port``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

LOGGER = logging.getLogger(__name__)

MAX_CRAWL_DELAY = 60.0  # a robots.txt asking for more is capped here (the crawl would never end)


def host_key(url: str) -> str:
    """``scheme://host:port`` of a URL, the unit politeness and robots.txt apply to."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


class HostThrottle:
    """Spaces the requests to each host; thread-safe, one request in flight per host."""

    def __init__(
        self,
        delay: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.delay = max(0.0, float(delay))
        self._clock = clock
        self._sleep = sleep
        self._crawl_delays: dict[str, float] = {}
        self._host_delays: dict[str, float] = {}
        self._ready_at: dict[str, float] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self.waited = 0.0  # total seconds spent waiting, for the summary

    def set_crawl_delay(self, url: str, crawl_delay: float | None) -> None:
        """Record a host's robots.txt ``Crawl-delay`` (capped at :data:`MAX_CRAWL_DELAY`)."""
        key = host_key(url)
        if crawl_delay is None:
            self._crawl_delays.pop(key, None)
            return
        self._crawl_delays[key] = min(max(0.0, float(crawl_delay)), MAX_CRAWL_DELAY)

    def set_host_delay(self, url: str, delay: float) -> None:
        """Use ``delay`` instead of the default for the URL's host (robots.txt may still ask for more)."""
        self._host_delays[host_key(url)] = max(0.0, float(delay))

    def delay_for(self, url: str) -> float:
        """The pause applied between two requests to the URL's host."""
        key = host_key(url)
        return max(self._host_delays.get(key, self.delay), self._crawl_delays.get(key, 0.0))

    def ready_in(self, url: str) -> float:
        """Seconds until a request to the URL's host may start (0 when it may start now)."""
        return max(0.0, self._ready_at.get(host_key(url), 0.0) - self._clock())

    @contextmanager
    def slot(self, url: str) -> Iterator[None]:
        """Wait for the host's turn, hold it while the request runs, then start the pause."""
        key = host_key(url)
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            wait = self._ready_at.get(key, 0.0) - self._clock()
            if wait > 0:
                LOGGER.debug("waiting %.2fs for %s", wait, key)
                self.waited += wait
                self._sleep(wait)
            try:
                yield
            finally:
                self._ready_at[key] = self._clock() + self.delay_for(url)
