"""Segment files read in place from their memory map, instead of copied whole into memory on opening.

Whoosh memory-maps a compound segment (``.seg``) and hands each file inside it to its codec as a
``BufferFile`` over a slice of the map, whose positional reads (``get``, ``get_int``, ``get_array``...)
slice the map directly. But ``BufferFile.__init__`` also builds ``BytesIO(buf)`` for its stream methods
(``read``, ``seek``, ``read_pickle``...), and ``BytesIO`` copies its initial value: opening a reader
copied every segment's term and posting files into the heap (270 MB and 0.6 s for 10 k releases), in
each CLI command and in each server worker, before the first query.

``install()`` replaces that ``BytesIO`` with ``MappedFile``, a read-only file over the same slice that
copies only what is read. Readers, searchers and merges behave the same; they only stop copying.
"""

from __future__ import annotations

import logging

from whoosh.filedb import structfile

LOGGER = logging.getLogger(__name__)

_LINE_CHUNK = 256


class MappedFile:
    """A read-only, seekable binary file over a buffer (a memory map slice or bytes), copying nothing
    until read."""

    def __init__(self, buf) -> None:
        self._view = memoryview(buf)
        self._pos = 0
        self.closed = False

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def writable(self) -> bool:
        return False

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self._pos, len(self._view))[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def read(self, size: int | None = -1) -> bytes:
        end = len(self._view) if size is None or size < 0 else min(len(self._view), self._pos + size)
        data = bytes(self._view[self._pos : end])
        self._pos = max(self._pos, end)
        return data

    def readinto(self, buffer) -> int:
        target = memoryview(buffer).cast("B")
        end = min(len(self._view), self._pos + len(target))
        count = max(0, end - self._pos)
        target[:count] = self._view[self._pos : end]
        self._pos += count
        return count

    def readline(self, size: int | None = -1) -> bytes:
        limit = len(self._view) if size is None or size < 0 else min(len(self._view), self._pos + size)
        start = end = self._pos
        while end < limit:
            chunk = bytes(self._view[end : min(limit, end + _LINE_CHUNK)])
            newline = chunk.find(b"\n")
            if newline >= 0:
                end += newline + 1
                break
            end += len(chunk)
        self._pos = end
        return bytes(self._view[start:end])

    def __iter__(self):
        while True:
            line = self.readline()
            if not line:
                return
            yield line

    def write(self, data) -> int:
        raise OSError("a segment file is read-only")

    def truncate(self, size: int | None = None) -> int:
        raise OSError("a segment file is read-only")

    def flush(self) -> None:
        return None

    def close(self) -> None:
        self.closed = True
        self._view = memoryview(b"")


def _buffer_file_init(self, buf, name=None, onclose=None) -> None:
    """``BufferFile.__init__`` with ``MappedFile`` in place of ``BytesIO(buf)`` (which copies ``buf``)."""
    self._buf = buf
    self._name = name
    self.file = MappedFile(buf)
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


def install() -> None:
    """Make Whoosh's ``BufferFile`` read its buffer in place (idempotent)."""
    if structfile.BufferFile.__init__ is not _buffer_file_init:
        structfile.BufferFile.__init__ = _buffer_file_init
        LOGGER.debug("whoosh BufferFile reads its buffer in place")


install()
