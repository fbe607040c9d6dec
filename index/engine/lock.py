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


class WriteLock:
    """An exclusive ``flock`` on ``<data_dir>/write.lock``, waiting up to ``timeout`` seconds."""

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
                    raise WriterBusy(
                        f"another migsearch writer ({holder}) is using {self.path.parent}; "
                        f"waited {self.timeout:g} s - try again when it has finished"
                    ) from None
                time.sleep(0.1)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        self._handle = handle
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.truncate(0)
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None
