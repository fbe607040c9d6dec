"""The time budget of one search, engine-independent: a deadline checked between and inside stages.

``SearchService`` starts a ``Deadline`` per search and makes it current for its thread
(``deadline_scope``); the engine checks it while it expands and scores (``check_current``). Over budget,
``SearchTimeout`` (HTTP 503) ends the search instead of letting it hold a thread.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import time
from collections.abc import Iterator

from index.engine.contract import QueryError

LOGGER = logging.getLogger(__name__)


class SearchTimeout(QueryError):
    """A search that ran over its time budget (HTTP 503)."""

    status = 503


class Deadline:
    """A time budget started now; ``check()`` raises ``SearchTimeout`` once it is spent."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds if seconds and seconds > 0 else None

    def check(self, stage: str = "") -> None:
        """Raise ``SearchTimeout`` when the budget is spent."""
        if self.ends is not None and time.monotonic() > self.ends:
            where = f" ({stage})" if stage else ""
            raise SearchTimeout(
                f"the search took longer than its {self.seconds:g} s budget{where}; "
                "narrow the query (fewer wildcards or OR-ed words, a filter or a date range) and try again"
            )


_current: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar("migsearch_deadline", default=None)


@contextlib.contextmanager
def deadline_scope(deadline: Deadline) -> Iterator[None]:
    """Make ``deadline`` the budget that ``check_current`` checks in this thread's search."""
    token = _current.set(deadline)
    try:
        yield
    finally:
        _current.reset(token)


def current_deadline() -> Deadline | None:
    """The budget of the search running in this thread, if any."""
    return _current.get()


def check_current(stage: str) -> None:
    """Check the budget of the search running in this thread, if any (cheap when there is none)."""
    deadline = _current.get()
    if deadline is not None:
        deadline.check(stage)


