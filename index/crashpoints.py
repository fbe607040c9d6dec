"""Named crash points for fault-injection tests: ``MIGSEARCH_CRASH_AT=<name>`` kills the process there.

A writer calls ``crash_point("delete.after_store_commit")`` at the moments where a crash would leave
the store and the index in different states. When the environment variable names that point (or
``<name>:<n>`` for its n-th passage), the process sends itself SIGKILL, exactly as the OOM killer or a
power cut would end it: no ``finally`` blocks, no atexit handlers. Unset, a crash point costs one
dictionary lookup.
"""

from __future__ import annotations

import logging
import os
import signal

LOGGER = logging.getLogger(__name__)

ENV = "MIGSEARCH_CRASH_AT"

#: Every named point, so tests can check that each one is reached (a renamed point would silently
#: stop being tested otherwise).
POINTS = (
    "ingest.after_store_commit",  # documents stored, index not yet committed
    "ingest.after_index_commit",  # index committed, store not yet told
    "ingest.workers_started",  # indexing processes running, nothing committed
    "delete.after_store_commit",  # documents gone from the store, still in the index
    "delete.after_index_commit",  # gone from both, the pending deletes not yet cleared
    "rebuild.during",  # a full rebuild half written
    "rebuild.before_swap",  # new generation complete, link not yet swapped
    "rebuild.after_swap",  # new generation live, store not yet marked
)

_passes: dict[str, int] = {}


def crash_point(name: str) -> None:
    """Kill this process with SIGKILL when ``MIGSEARCH_CRASH_AT`` names this point (``name`` or
    ``name:n`` for the n-th time it is passed)."""
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    point, _, nth = wanted.partition(":")
    if point != name:
        return
    _passes[name] = _passes.get(name, 0) + 1
    if nth and _passes[name] != int(nth):
        return
    LOGGER.warning("crash point %s reached: killing process %s", name, os.getpid())
    os.kill(os.getpid(), signal.SIGKILL)
