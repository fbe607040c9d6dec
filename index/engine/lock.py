"""The single-writer lock of a data directory: one process at a time changes the store and the index.

Engine-independent (a ``flock`` on a file beside the store), so writers of every engine take it.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from pathlib import Path
from typing import TextIO

LOGGER = logging.getLogger(__name__)

LOCK_FILENAME = "write.lock"


class WriterBusy(RuntimeError):
    """Another process holds the write lock of this data directory."""


# Lock files held by this process: a forked child drops its copies at once (see ``WriteLock``).
_HELD_LOCKS: set[int] = set()


def _close_inherited_locks() -> None:
    """In a freshly forked child: drop the inherited write lock, so only the writer holds it.

    The descriptor is pointed at /dev/null rather than closed, so the child's copy of the lock's file
    object stays valid (closing it later closes /dev/null, never a reused descriptor).
    """
    for fd in list(_HELD_LOCKS):
        try:
            devnull = os.open(os.devnull, os.O_RDONLY)
            os.dup2(devnull, fd)
            os.close(devnull)
        except OSError:
            LOGGER.debug("could not drop the inherited write lock %s", fd, exc_info=True)
    _HELD_LOCKS.clear()


os.register_at_fork(after_in_child=_close_inherited_locks)


def _holder_alive(holder: str) -> bool | None:
    """Whether the process named in the lock file ("pid N ...") still runs; None when unknown."""
    parts = holder.split()
    if len(parts) < 2 or parts[0] != "pid" or not parts[1].isdigit():
        return None
    try:
        os.kill(int(parts[1]), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class WriteLock:
    """An exclusive ``flock`` on ``<data_dir>/write.lock``, waiting up to ``timeout`` seconds.

    The lock belongs to the writer process alone: forked children drop their inherited copy
    (``_close_inherited_locks``), so when the writer dies, even by SIGKILL, the kernel releases it,
    whatever its children do.
    """

    def __init__(self, data_dir: Path, timeout: float = 30.0) -> None:
        self.path = Path(data_dir) / LOCK_FILENAME
        self.timeout = timeout
        self._handle: TextIO | None = None

    def __enter__(self) -> WriteLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")  # noqa: SIM115 - held until __exit__
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    handle.close()
                    ended = _holder_alive(holder) is False
                    state = " (that process has ended; a process it started still holds the lock)" if ended else ""
                    raise WriterBusy(
                        f"another migsearch writer ({holder}){state} is using {self.path.parent}; "
                        f"waited {self.timeout:g} s - try again when it has finished"
                    ) from None
                time.sleep(0.1)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} pgid {os.getpgid(0)}")
        handle.flush()
        self._handle = handle
        _HELD_LOCKS.add(handle.fileno())
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            _HELD_LOCKS.discard(self._handle.fileno())
            self._handle.truncate(0)
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None
