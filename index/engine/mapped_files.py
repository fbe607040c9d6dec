"""Segment files read in place from their memory map, instead of copied whole into memory on opening.

Whoosh memory-maps a compound segment (``.seg``) and hands each file inside it to its codec as a
``BufferFile`` over a slice of the map, whose positional reads (``get``, ``get_int``, ``get_array``...)
slice the map directly. But ``BufferFile.__init__`` also builds ``BytesIO(buf)`` for its stream methods
(``read``, ``seek``, ``read_pickle``...), and ``BytesIO`` copies its initial value: opening a reader
copied every segment's term and posting files into the heap (270 MB and 0.6 s for 10 k releases), in
each CLI command and in each server worker, before the first query.

``install()`` replaces that ``BytesIO`` with ``MappedFile``, a read-only file over the same slice that
copies only what is read, with its own stream position in each thread (so one reader can be shared by
concurrent searches). Readers, searchers and merges behave the same; they only stop copying.
"""

from __future__ import annotations

import io
import logging
import threading

from whoosh.filedb import structfile

LOGGER = logging.getLogger(__name__)

_BUFFER = 4096


class _ViewRaw(io.RawIOBase):
    """A raw, read-only, seekable stream over a memoryview (what ``io.BufferedReader`` reads from)."""

    def __init__(self, view: memoryview) -> None:
        super().__init__()
        self._view = view
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self._pos, len(self._view))[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer) -> int:
        target = memoryview(buffer).cast("B")
        end = min(len(self._view), self._pos + len(target))
        count = max(0, end - self._pos)
        target[:count] = self._view[self._pos : end]
        self._pos += count
        return count


class MappedFile:
    """The stream side of a ``BufferFile``: reads its buffer in place, one position per thread.

    Each thread gets its own ``io.BufferedReader`` over the same memory (the buffered reader's methods
    run in C, so ``pickle.load`` and ``read_int`` on it cost what they did on ``BytesIO``). Whoosh's
    posting matchers ``seek`` and then ``read`` a block header through this stream, so with one reader
    shared by concurrent searches, a single shared position would let one thread's ``seek`` land
    between another's ``seek`` and ``read``; per-thread positions make that impossible.
    """

    def __init__(self, buf) -> None:
        self._view = memoryview(buf)
        self._local = threading.local()
        self.closed = False

    def _stream(self) -> io.BufferedReader:
        stream = getattr(self._local, "stream", None)
        if stream is None:
            stream = self._local.stream = io.BufferedReader(_ViewRaw(self._view), buffer_size=_BUFFER)
        return stream

    def __getattr__(self, name: str):
        # read, readline, readinto, peek, seek, tell...: the calling thread's own buffered stream
        return getattr(self._stream(), name)

    def __iter__(self):
        return iter(self._stream())

    def write(self, data) -> int:
        raise OSError("a segment file is read-only")

    def truncate(self, size: int | None = None) -> int:
        raise OSError("a segment file is read-only")

    def flush(self) -> None:
        return None

    def close(self) -> None:
        self.closed = True
        self._local = threading.local()


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
