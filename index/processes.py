"""Child processes of a writer: they die with their parent and are always stopped and reaped.

A writer forks processes (normalizing workers, Whoosh's indexing processes). Forked children inherit
every open file, the write lock's included, so a child that outlived a killed parent would keep the
data directory locked for ever. Each child therefore asks the kernel to kill it when its parent dies
(``PR_SET_PDEATHSIG`` on Linux), drops its copy of the write lock (``index.indexer.WriteLock`` closes
it after a fork), and the parent stops and reaps its children on every error path (``stop``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import signal
import sys

LOGGER = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1
#: Seconds a child gets to end after SIGTERM before it is killed.
TERMINATE_GRACE = 3.0

_libc = None


def die_with_parent(parent_pid: int | None = None) -> None:
    """In a child: be killed (SIGKILL) when the parent process ends; exit now if it already has."""
    global _libc
    if sys.platform.startswith("linux"):
        try:
            if _libc is None:
                _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except OSError:  # pragma: no cover - no libc: the parent still stops its children itself
            LOGGER.debug("prctl(PR_SET_PDEATHSIG) unavailable", exc_info=True)
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(1)  # the parent died before the death signal was armed


def stop(processes) -> None:
    """Terminate every live process of ``processes`` (``multiprocessing.Process`` objects), kill
    those still alive after ``TERMINATE_GRACE`` seconds, and reap them all."""
    processes = list(processes)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(TERMINATE_GRACE)
        if process.is_alive():
            LOGGER.warning("process %s did not stop on SIGTERM: killing it", process.pid)
            process.kill()
            process.join()


class Interrupted(KeyboardInterrupt):
    """The writer was asked to stop (Ctrl-C or SIGTERM): it cancels what is uncommitted and exits."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum = signum


def raise_on_termination() -> dict:
    """Make SIGTERM (and SIGINT) raise ``Interrupted`` in the main thread, so a writer asked to stop
    leaves through its ``finally`` blocks: workers stopped, uncommitted work cancelled, lock released.

    Returns the previous handlers (for ``restore_handlers``); does nothing outside the main thread.
    """
    import threading

    if threading.current_thread() is not threading.main_thread():
        return {}

    def handler(signum, frame):  # noqa: ARG001 - the signal module's signature
        raise Interrupted(signum)

    return {signum: signal.signal(signum, handler) for signum in (signal.SIGTERM, signal.SIGINT)}


def restore_handlers(previous: dict) -> None:
    """Put back the signal handlers ``raise_on_termination`` replaced."""
    for signum, handler in previous.items():
        signal.signal(signum, handler)
