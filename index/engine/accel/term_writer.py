"""Whole terms written straight to a segment's files: the bytes Whoosh's W3 writers write, in fewer steps.

Most terms of a segment occur in one document. Through Whoosh's writers each still costs a term info
object, a block buffer, two ``tell()`` calls on the postings file and four writes, then four more writes
and two ``tell()`` calls on the term table. ``TermBlocks`` encodes a term held as arrays (see
``index.engine.accel.writer.TermGroupedPool``) into a shared buffer and returns its term info bytes;
``TermTable`` adds the term to Whoosh's on-disk hash through a buffer too. ``PendingBytes`` is that
buffer: bytes on their way to a file, whose file positions are known without asking the file.

``FastFieldWriter.add_term_groups`` (``index.engine.accel.codec``) uses them; ``tests/test_fast_writer.py``
checks that the files are byte for byte those the block-by-block path writes.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import struct
import zlib
from array import array
from itertools import chain
from operator import sub

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.filedb.filetables import OrderedHashWriter, md5_hash
from whoosh.system import emptybytes, pack_int, pack_long
from whoosh.util.numeric import length_to_byte

LOGGER = logging.getLogger(__name__)

# Blocks with fewer postings than this are not worth compressing.
COMPRESS_MIN_POSTINGS = 8
# Posting blocks are pickled at protocol 4 (Whoosh writes 2); readers unpickle any protocol.
PICKLE_PROTOCOL = 4
# zlib memory level for posting blocks (most are a few hundred bytes).
ZLIB_MEMORY_LEVEL = 4
# Buffered bytes are written to their file when this many are waiting.
PENDING_BYTES = 1 << 20
_TERM_INFO = W3TermInfo._struct
# Key and value lengths before each entry of Whoosh's on-disk hash (``whoosh.filedb.filetables``).
_HASH_LENGTHS = struct.Struct("!ii")


class PendingBytes:
    """Bytes on their way to ``file``: ``buffer`` holds them, ``base`` is where its first byte lands in the file."""

    def __init__(self, file) -> None:
        self.file = file
        self.buffer = bytearray()
        self.base = file.tell()  # the file position of buffer[0]

    def flush(self) -> None:
        """Write what is waiting (``base`` is then the file's position)."""
        if self.buffer:
            self.file.write(bytes(self.buffer))
            self.base += len(self.buffer)
            self.buffer.clear()

    def resync(self) -> None:
        """Write what is waiting and read the position back (after others wrote to the file)."""
        self.flush()
        self.base = self.file.tell()


def _md5_low32(key: bytes) -> int:
    """Whoosh's ``md5_hash``: the low 32 bits of the key's MD5, without the hex round trip."""
    return int.from_bytes(hashlib.md5(key, usedforsecurity=False).digest()[12:], "big")


class TermTable:
    """``OrderedHashWriter.add`` through a ``PendingBytes`` buffer (the same entries, index and buckets)."""

    def __init__(self, tindex: OrderedHashWriter) -> None:
        self.tindex = tindex
        self.out = PendingBytes(tindex.dbfile)
        self.hash = _md5_low32 if tindex.hashfn is md5_hash else tindex.hashfn

    def add(self, key: bytes, value: bytes) -> None:
        """Add one term's key and info bytes; keys must come in increasing order, as Whoosh requires."""
        tindex = self.tindex
        if key <= tindex.lastkey:
            raise ValueError(f"Keys must increase: {tindex.lastkey!r}..{key!r}")
        out = self.out
        position = out.base + len(out.buffer)
        tindex.index.append(position)
        buffer = out.buffer
        buffer += _HASH_LENGTHS.pack(len(key), len(value))
        buffer += key
        buffer += value
        hashed = self.hash(key)
        tindex.buckets[hashed & 255].append((hashed, position))
        tindex.lastkey = key
        if len(buffer) >= PENDING_BYTES:
            out.flush()


class TermBlocks:
    """Encodes a field's terms given as arrays, block by block, as ``FastPostingsWriter`` writes them, and
    returns each term's info bytes as ``W3TermInfo.to_bytes`` would."""

    def __init__(self, blocklimit: int, compression: int, posting_format, doc_lengths: list[int] | None) -> None:
        self.limit = blocklimit
        self.compression = compression
        self.fixedsize = posting_format.fixed_value_size()
        self.doc_lengths = doc_lengths

    def write(self, out: bytearray, base: int, postings) -> bytes:
        """Append the term's blocks to ``out`` (whose first byte is at ``base`` in the postings file);
        return the term's info bytes."""
        docnums = postings.docnums
        count = len(docnums)
        if count == 1:
            return self._write_one(out, base, postings)
        weights, values, ends = postings.weights, bytes(postings.values), postings.ends
        doc_lengths = self.doc_lengths
        if doc_lengths is not None and docnums[-1] >= len(doc_lengths):  # docnums ascend within a term
            doc_lengths = doc_lengths + [0] * (docnums[-1] + 1 - len(doc_lengths))
        start = len(out)
        out += WHOOSH3_HEADER_MAGIC
        total_weight: float | int = 0
        term_min_length: int | None = None
        term_max_length = 0
        term_max_weight: float | int = 0
        low = 0
        while low < count:
            high = min(low + self.limit, count)
            ids = docnums[low:high]
            block_weights = array("f", weights[low:high])
            heaviest = max(weights[low:high])
            max_weight = heaviest if heaviest > 0 else 0
            starts = chain((ends[low - 1] if low else 0,), ends[low:high - 1])
            block_values = [values[s:e] for s, e in zip(starts, ends[low:high], strict=True) if e > s]
            if doc_lengths is None:
                min_length, max_length = None, 0
            else:
                present = [length for length in map(doc_lengths.__getitem__, ids) if length]
                min_length = min(present) if present else None
                max_length = max(present) if present else 0
            # W3TermInfo.add_block
            total_weight += sum(block_weights)
            if term_min_length is None:
                term_min_length = min_length
            elif min_length is not None:
                term_min_length = min(term_min_length, min_length)
            term_max_length = max(term_max_length, max_length)
            term_max_weight = max(term_max_weight, max_weight)
            body = encode_block(
                ids, block_weights, max_weight, block_values, self.fixedsize, min_length, max_length,
                self.compression,
            )
            out += pack_int(-len(body) if high >= count else len(body))
            out += body
            low = high
        length = len(out) - start
        offset = base + start
        info = _TERM_INFO.pack(
            0, total_weight, count, length_to_byte(term_min_length), length_to_byte(term_max_length),
            term_max_weight, docnums[0], docnums[-1],
        )
        return info + pack_long(offset) + pack_int(length)

    def _write_one(self, out: bytearray, base: int, postings) -> bytes:
        """``write`` for a term in one document, most terms of a segment (the same bytes, fewer steps)."""
        docnum = postings.docnums[0]
        weight = postings.weights[0]
        stored_weight = array("f", postings.weights)[0]  # as a float32 block array holds it
        max_weight = weight if weight > 0 else 0
        doc_lengths = self.doc_lengths
        length = doc_lengths[docnum] if doc_lengths is not None and docnum < len(doc_lengths) else 0
        length_byte = length_to_byte(length or None)
        fixedsize = self.fixedsize
        value = bytes(postings.values)
        values: tuple[bytes, ...] | bytes | None
        if fixedsize is None or fixedsize < 0:
            values = (value,) if value else ()
        else:
            values = None if fixedsize == 0 else value
        databytes = pickle.dumps(((docnum,), None if stored_weight == 1.0 else stored_weight, values),
                                 PICKLE_PROTOCOL)
        level = self.compression if COMPRESS_MIN_POSTINGS <= 1 else 0
        if level:
            databytes = compress(databytes, level)
        infobytes = pickle.dumps((1, docnum, max_weight, level, length_byte, length_byte), PICKLE_PROTOCOL)
        start = len(out)
        out += WHOOSH3_HEADER_MAGIC
        out += pack_int(-(len(infobytes) + len(databytes)))
        out += infobytes
        out += databytes
        info = _TERM_INFO.pack(0, stored_weight, 1, length_byte, length_byte, max_weight, docnum, docnum)
        return info + pack_long(base + start) + pack_int(len(out) - start)


def encode_block(ids, weights: array, max_weight, values: list[bytes], fixedsize, min_length, max_length,
                 compression: int) -> bytes:
    """A posting block after its length: the pickled block info, then the pickled (and, from
    ``COMPRESS_MIN_POSTINGS`` postings on, compressed) docnum deltas, weights and values, as
    ``FastPostingsWriter._write_block`` writes them."""
    mini_ids = tuple(map(sub, ids, chain((0,), ids)))
    first = weights[0]
    if all(w == 1.0 for w in weights):
        mini_weights = None
    elif all(w == first for w in weights):
        mini_weights = first
    else:
        mini_weights = tuple(weights)
    if fixedsize is None or fixedsize < 0:
        mini_values = tuple(values)
    elif fixedsize == 0:
        mini_values = None
    else:
        mini_values = emptybytes.join(values)
    databytes = pickle.dumps((mini_ids, mini_weights, mini_values), PICKLE_PROTOCOL)
    level = compression if len(ids) >= COMPRESS_MIN_POSTINGS else 0
    if level:
        databytes = compress(databytes, level)
    infobytes = pickle.dumps(
        (len(ids), ids[-1], max_weight, level, length_to_byte(min_length), length_to_byte(max_length)),
        PICKLE_PROTOCOL,
    )
    return infobytes + databytes


def compress(data: bytes, level: int) -> bytes:
    """``data`` as a zlib stream at ``level``, with a 4 KB-class memory level instead of zlib's
    default 8: blocks are small, and setting up the larger state cost more than compressing them."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS, ZLIB_MEMORY_LEVEL)
    return compressor.compress(data) + compressor.flush()
