"""Progress lines for long CLI runs (ingest, reindex, crawl), on a terminal or not.

On a terminal the line is rewritten in place; when the output goes to a file or a pipe (a log, a
job scheduler) a full line is written instead. Either way at most one line every ``interval``
seconds, and always one every ``every`` items, so a long run shows it is alive and short runs stay
quiet. ``--quiet`` turns it off.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from typing import TextIO

LOGGER = logging.getLogger(__name__)

#: Seconds between two progress lines, and items after which a line is due anyway.
INTERVAL_SECONDS = 5.0
EVERY_ITEMS = 1000


class ProgressLine:
    """Call ``update(done, text)`` as work goes on; ``finish()`` ends a line left open on a terminal."""

    def __init__(
        self,
        *,
        quiet: bool = False,
        stream: TextIO | None = None,
        interval: float | None = None,
        every: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.interval = INTERVAL_SECONDS if interval is None else interval
        self.every = EVERY_ITEMS if every is None else every
        self.clock = clock
        self.started = clock()
        self._last_time = self.started
        self._last_done = 0
        self._open = False  # a terminal line waiting for its newline
        self.lines = 0

    @property
    def live(self) -> bool:
        """True when the stream is a terminal (the line is rewritten in place)."""
        isatty = getattr(self.stream, "isatty", None)
        return bool(isatty and isatty())

    def update(self, done: int, text: str) -> None:
        """Report ``done`` items so far; writes ``text`` when a line is due."""
        if self.quiet:
            return
        now = self.clock()
        if now - self._last_time < self.interval and done - self._last_done < self.every:
            return
        self._last_time, self._last_done = now, done
        elapsed = max(now - self.started, 1e-9)
        line = f"  {text} ({done / elapsed:,.0f}/s, {elapsed:,.0f} s)"
        if self.live:
            self.stream.write("\r" + line.ljust(78))
            self._open = True
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
        self.lines += 1

    def finish(self) -> None:
        """End the in-place line on a terminal."""
        if self._open:
            self.stream.write("\n")
            self.stream.flush()
            self._open = False
