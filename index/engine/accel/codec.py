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
- every posting goes through ``add_posting`` one at a time, and every term through a term info object,
  a block buffer and a dozen file calls. ``FastFieldWriter.add_term_groups`` takes a term's postings as
  arrays (as ``index.engine.accel.writer.TermGroupedPool`` holds them) and
  ``index.engine.accel.term_writer`` encodes the whole term into buffered bytes.

Index files stay in Whoosh's format; ``tests/test_fast_codec.py`` checks that an index written this
way answers like one written by the stock codec.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3PostingsWriter,
    _lenfield,
)
from whoosh.system import emptybytes, pack_ushort
from whoosh.util.numeric import byte_to_length

from index.engine.accel import term_writer
from index.engine.accel.term_writer import PendingBytes, TermBlocks, TermTable, encode_block

LOGGER = logging.getLogger(__name__)

# zlib level of posting blocks: level 1 writes a 10k-release segment about 15 % faster than Whoosh's 3,
# for blocks about 3 % larger (zlib reads every level the same way).
COMPRESSION_LEVEL = 1
_BYTE_TO_LENGTH = [byte_to_length(b) for b in range(256)]


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
        ``weights``, ``values`` (concatenated bytes) and ``ends`` (each value's end offset).

        Terms given as arrays go through ``index.engine.accel.term_writer`` (the same bytes as the
        block-by-block path, buffered); lists go through Whoosh's ``start_term``/``finish_term``."""
        lastfn = None
        doc_lengths: list[int] | None = None
        blocks: TermBlocks | None = None
        postings_out = PendingBytes(self._postfile)
        table = TermTable(self._tindex)
        for fieldname, btext, postings in groups:
            if fieldname != lastfn:
                if lastfn is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                length_bytes = _length_table(lengths, fieldname)
                doc_lengths = None if length_bytes is None else [_BYTE_TO_LENGTH[b] for b in length_bytes]
                blocks = TermBlocks(self._postwriter._blocklimit, self._postwriter._compression, self._format,
                                    doc_lengths)
                lastfn = fieldname
            if isinstance(postings, list):
                postings_out.flush()  # Whoosh's path writes and asks positions through the files
                table.out.flush()
                self._add_rows(btext, postings, doc_lengths)
                postings_out.resync()
                table.out.resync()
                continue
            assert blocks is not None
            info = blocks.write(postings_out.buffer, postings_out.base, postings)
            table.add(pack_ushort(self._fieldid) + btext, info)
            if len(postings_out.buffer) >= term_writer.PENDING_BYTES:
                postings_out.flush()
        postings_out.flush()  # what is still waiting (an error above discards the whole segment)
        table.out.flush()
        if lastfn is not None:
            self.finish_field()

    def _add_rows(self, btext: bytes, postings: list, doc_lengths: list[int] | None) -> None:
        """One term given as ``(fieldname, btext, docnum, weight, value)`` rows, through Whoosh's path."""
        rows = [row for row in postings if row[2] != -1]  # -1: a spelling word, not a posting
        if not rows:
            return
        self.start_term(btext)
        add = self._postwriter.add_posting
        for _, _, docnum, weight, value in rows:
            length = doc_lengths[docnum] if doc_lengths is not None and docnum < len(doc_lengths) else 0
            add(docnum, weight, emptybytes if value is None else value, length or None)
        self.finish_term()


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

    def _write_block(self, last: bool = False) -> None:
        """Write the buffered block as Whoosh's ``W3PostingsWriter._write_block`` does, except as
        ``term_writer.encode_block`` encodes it (small blocks uncompressed, pickle protocol 4)."""
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        body = encode_block(
            self._ids, self._weights, self._maxweight, self._values, self._format.fixed_value_size(),
            self._minlength, self._maxlength, self._compression,
        )
        self._postfile.write_int(-len(body) if last else len(body))  # negative: the term's last block
        self._postfile.write(body)
        self._blockcount += 1
        self._new_block()
