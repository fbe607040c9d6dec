"""Whoosh's W3 codec with a cheaper way of writing postings (same file format, readable by Whoosh).

Writing a segment spends most of its time turning sorted postings into blocks. Two things there cost
more than they need to:

- every block is zlib-compressed, even a block holding a single posting (most terms of a release
  appear in one or two documents); Whoosh means to skip blocks under 20 bytes but the check is
  overwritten a line later. ``FastPostingsWriter`` leaves blocks of fewer than
  ``COMPRESS_MIN_POSTINGS`` postings uncompressed; each block records its compression, so any W3
  reader decodes both kinds. Blocks are also pickled at protocol 4 rather than 2 and compressed
  with a small zlib memory level, which writes them about a fifth faster (Whoosh unpickles any protocol).
- for every posting the field length is looked up through three method calls.
  ``FastFieldWriter.add_postings`` reads the length bytes once per field as a table instead.
- every posting goes through ``add_posting`` one at a time. ``FastFieldWriter.add_term_groups``
  takes a term's postings as arrays (as ``index.engine.accel.writer.TermGroupedPool`` holds them) and fills
  each block with slices.

Index files stay in Whoosh's format; ``tests/test_fast_codec.py`` checks that an index written this
way answers like one written by the stock codec.
"""

from __future__ import annotations

import logging
import pickle
import zlib
from array import array
from collections.abc import Callable
from itertools import chain

from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3PostingsWriter,
    _lenfield,
)
from whoosh.system import emptybytes
from whoosh.util.numeric import byte_to_length, length_to_byte

LOGGER = logging.getLogger(__name__)

# Blocks with fewer postings than this are not worth compressing.
COMPRESS_MIN_POSTINGS = 8
# zlib level of posting blocks: level 1 writes a 10k-release segment about 15 % faster than Whoosh's 3,
# for blocks about 3 % larger (zlib reads every level the same way).
COMPRESSION_LEVEL = 1
_BYTE_TO_LENGTH = [byte_to_length(b) for b in range(256)]
# Posting blocks are pickled at protocol 4 (Whoosh writes 2); readers unpickle any protocol.
_PICKLE_PROTOCOL = 4
_ZLIB_MEMORY_LEVEL = 4


class FastCodec(W3Codec):
    """The W3 codec with ``FastFieldWriter`` and ``FastPostingsWriter``."""

    def __init__(self, blocklimit: int = 128, compression: int = COMPRESSION_LEVEL, inlinelimit: int = 1) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def field_writer(self, storage, segment):
        """A field writer whose ``add_postings`` reads field lengths as a table."""
        return FastFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        """A postings writer that compresses only blocks worth compressing."""
        return FastPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )


class FastFieldWriter(W3FieldWriter):
    """``add_postings`` without per-posting method calls for the field length."""

    def add_postings(self, schema, lengths, items) -> None:
        """Write sorted ``(fieldname, btext, docnum, weight, value)`` postings, term by term."""
        lastfn = None
        lasttext = None
        table: bytes | None = None
        add: Callable[..., None] | None = None
        for fieldname, btext, docnum, weight, value in items:
            if fieldname != lastfn:
                if lasttext is not None:
                    self.finish_term()
                if lastfn is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                table = _length_table(lengths, fieldname)
                lastfn = fieldname
                lasttext = None
            if docnum == -1:  # a spelling word, not a posting (see whoosh.codec.base)
                continue
            if btext != lasttext:
                if lasttext is not None:
                    self.finish_term()
                self.start_term(btext)
                add = self._postwriter.add_posting
                lasttext = btext
            length = _BYTE_TO_LENGTH[table[docnum]] if table is not None and docnum < len(table) else 0
            add(docnum, weight, emptybytes if value is None else value, length or None)
        if lasttext is not None:
            self.finish_term()
        if lastfn is not None:
            self.finish_field()

    def add_term_groups(self, schema, lengths, groups) -> None:
        """Write ``(fieldname, btext, postings)`` terms in sorted order, where ``postings`` is either
        a list of ``(fieldname, btext, docnum, weight, value)`` tuples or an object with ``docnums``,
        ``weights``, ``values`` (concatenated bytes) and ``ends`` (each value's end offset)."""
        lastfn = None
        doc_lengths: list[int] | None = None
        for fieldname, btext, postings in groups:
            if fieldname != lastfn:
                if lastfn is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                table = _length_table(lengths, fieldname)
                doc_lengths = None if table is None else [_BYTE_TO_LENGTH[b] for b in table]
                lastfn = fieldname
            if isinstance(postings, list):
                rows = [row for row in postings if row[2] != -1]  # -1: a spelling word, not a posting
                if not rows:
                    continue
                self.start_term(btext)
                add = self._postwriter.add_posting
                for _, _, docnum, weight, value in rows:
                    length = doc_lengths[docnum] if doc_lengths is not None and docnum < len(doc_lengths) else 0
                    add(docnum, weight, emptybytes if value is None else value, length or None)
            else:
                self.start_term(btext)
                self._postwriter.add_arrays(
                    postings.docnums, postings.weights, bytes(postings.values), postings.ends, doc_lengths
                )
            self.finish_term()
        if lastfn is not None:
            self.finish_field()


def _length_table(lengths, fieldname: str) -> bytes | None:
    """The length byte of every document in ``fieldname`` (None when the field keeps no lengths)."""
    if lengths is None or not lengths.has_column(_lenfield(fieldname)):
        return None
    reader = lengths.column_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    return bytes(reader[docnum] for docnum in range(lengths.doc_count_all()))


class FastPostingsWriter(W3PostingsWriter):
    """Blocks of fewer than ``COMPRESS_MIN_POSTINGS`` are written uncompressed (recorded in the block info)."""

    def add_posting(self, id_, weight, vbytes, length=None) -> None:
        """Buffer one posting (Whoosh's version, without its per-posting type assertions)."""
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length

    def add_arrays(
        self, docnums: array, weights: array, values: bytes, ends: array, doc_lengths: list[int] | None
    ) -> None:
        """Buffer a whole term's postings: full blocks are written, the last one is left for
        ``finish_postings`` (as ``add_posting`` one by one would leave them).

        ``values[ends[i - 1]:ends[i]]`` is posting i's value (empty values are not kept, as in Whoosh);
        ``doc_lengths[docnum]`` is the document's field length (None: the field keeps no lengths).
        """
        count = len(docnums)
        limit = self._blocklimit
        if doc_lengths is not None and docnums[-1] >= len(doc_lengths):  # docnums ascend within a term
            doc_lengths = doc_lengths + [0] * (docnums[-1] + 1 - len(doc_lengths))
        low = 0
        while True:
            high = min(low + limit, count)
            block_weights = weights[low:high]
            heaviest = max(block_weights)
            starts = chain((ends[low - 1] if low else 0,), ends[low:high - 1])
            self._ids = docnums[low:high]
            self._weights = array("f", block_weights)
            self._maxweight = heaviest if heaviest > 0 else 0
            self._values = [values[start:end] for start, end in zip(starts, ends[low:high], strict=True) if end > start]
            if doc_lengths is None:
                self._minlength, self._maxlength = None, 0
            else:
                present = [length for length in map(doc_lengths.__getitem__, self._ids) if length]
                self._minlength = min(present) if present else None
                self._maxlength = max(present) if present else 0
            if high >= count:
                return
            self._write_block()
            low = high

    def _write_block(self, last: bool = False) -> None:
        """Write the buffered block as Whoosh's ``W3PostingsWriter._write_block`` does, except that
        blocks under ``COMPRESS_MIN_POSTINGS`` stay uncompressed, the pickle uses protocol 4 (smaller and
        faster to write than Whoosh's 2; ``pickle.loads`` reads every protocol) and zlib runs with a
        small memory level (most blocks are a few hundred bytes)."""
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        ids = self._ids
        databytes = pickle.dumps((self._mini_ids(), self._mini_weights(), self._mini_values()), _PICKLE_PROTOCOL)
        level = self._compression if len(ids) >= COMPRESS_MIN_POSTINGS else 0
        if level:
            databytes = _compress(databytes, level)
        infobytes = pickle.dumps(
            (
                len(ids),
                ids[-1],
                self._maxweight,
                level,
                length_to_byte(self._minlength),
                length_to_byte(self._maxlength),
            ),
            _PICKLE_PROTOCOL,
        )
        blocklength = len(infobytes) + len(databytes)
        postfile = self._postfile
        postfile.write_int(-blocklength if last else blocklength)  # negative: the term's last block
        postfile.write(infobytes)
        postfile.write(databytes)
        self._blockcount += 1
        self._new_block()


def _compress(data: bytes, level: int) -> bytes:
    """``data`` as a zlib stream at ``level``, with a 4 KB-class memory level instead of zlib's
    default 8: blocks are small, and setting up the larger state cost more than compressing them."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS, _ZLIB_MEMORY_LEVEL)
    return compressor.compress(data) + compressor.flush()
