"""Posting lists and field lengths of one index generation as numpy arrays, read once and kept.

The vectorised scoring pass (``index.engine.accel.vectorized``) needs, per (field, term), every document number
and weight of the term, and per field every document's length. Whoosh decodes a posting list block
by block while its matchers walk it; here each block is decoded once, the arrays are kept in a
bounded LRU cache (the segments of a generation never change), and later searches reuse them.
"""

from __future__ import annotations

import logging
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO
from itertools import accumulate
from pickle import load, loads

import numpy as np
from whoosh import formats
from whoosh.matching.wrappers import FilterMatcher
from whoosh.system import _INT_SIZE, unpack_int
from whoosh.util.numeric import byte_to_length

LOGGER = logging.getLogger(__name__)

# Postings kept in memory: 16 bytes each (document number and weight), and a posting whose raw
# positions are kept too (for phrases and proximity) counts VALUE_COST times: about 64 MB in all.
DEFAULT_BUDGET = 4_000_000
VALUE_COST = 4
# byte_to_length for every byte value, as Whoosh decodes the ``_<field>_len`` columns.
_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


@dataclass
class Postings:
    """Every posting of one term in one segment: document numbers, weights and raw values."""

    ids: np.ndarray  # int64, ascending, segment-local document numbers
    weights: np.ndarray  # float64 (Whoosh keeps weights as float32; widening is exact)
    values: list = field(default_factory=list)  # raw posting values (positions), one per id
    decoded: dict = field(default_factory=dict)  # posting index -> decoded positions

    def __len__(self) -> int:
        return len(self.ids)

    def cost(self) -> int:
        """The budget units this entry takes in the cache."""
        return len(self.ids) * (VALUE_COST if self.values else 1)

    def positions(self, decoder: Callable[[bytes], list[int]], index: int) -> list[int]:
        """The decoded positions of posting ``index`` (cached)."""
        found = self.decoded.get(index)
        if found is None:
            found = self.decoded[index] = list(decoder(self.values[index]))
        return found


class PostingCache:
    """Decoded postings, field lengths and deletion masks of the segments of one searcher.

    Shared by concurrent searches: the LRU bookkeeping takes a short lock; decoding does not (two
    threads may decode the same term at once, and one result is kept).
    """

    def __init__(self, budget: int = DEFAULT_BUDGET) -> None:
        self.budget = budget
        self.size = 0
        self._lock = threading.Lock()
        self._postings: OrderedDict = OrderedDict()
        self._lengths: dict = {}
        self._deleted: dict = {}

    @staticmethod
    def _segment_key(reader) -> object:
        segment = reader.segment()
        return segment.segment_id() if segment is not None else id(reader)

    def postings(self, reader, fieldname: str, btext: bytes, *, values: bool = False) -> Postings:
        """All postings of ``(fieldname, btext)`` in the segment ``reader`` (deleted documents included);
        with ``values``, their raw values (positions) too."""
        key = (self._segment_key(reader), fieldname, btext)
        with self._lock:
            found = self._postings.get(key)
            if found is not None and (found.values or not values or not len(found)):
                self._postings.move_to_end(key)
                return found
        found = read_postings(reader, fieldname, btext, values=values)
        with self._lock:
            old = self._postings.pop(key, None)
            if old is not None:
                self.size -= old.cost()
            self._postings[key] = found
            self.size += found.cost()
            while self.size > self.budget and len(self._postings) > 1:
                _, dropped = self._postings.popitem(last=False)
                self.size -= dropped.cost()
        return found

    def positions(self, reader, fieldname: str, text: str, docnums: list[int]) -> dict[int, list[int]]:
        """The positions of a term in each of ``docnums`` that holds it (any reader, any segments)."""
        field = reader.schema[fieldname]
        btext = field.to_bytes(text)
        decoder = positions_decoder(field.format)
        wanted = np.asarray(sorted(docnums), dtype=np.int64)
        found: dict[int, list[int]] = {}
        for leaf, offset in reader.leaf_readers():
            if (fieldname, btext) not in leaf:
                continue
            postings = self.postings(leaf, fieldname, btext, values=True)
            local = wanted - offset
            rows = np.searchsorted(postings.ids, local)
            for docnum, row in zip(wanted.tolist(), rows.tolist(), strict=True):
                if row < len(postings.ids) and postings.ids[row] == docnum - offset:
                    found[docnum] = postings.positions(decoder, row)
        return found

    def lengths(self, reader, fieldname: str) -> np.ndarray:
        """Every document's length of ``fieldname`` in the segment, as ``doc_field_length`` gives it."""
        key = (self._segment_key(reader), fieldname)
        found = self._lengths.get(key)
        if found is None:
            found = self._lengths[key] = read_lengths(reader, fieldname)
        return found

    def deleted(self, reader) -> np.ndarray | None:
        """A mask of the segment's deleted documents, or None when it has none."""
        key = self._segment_key(reader)
        if key not in self._deleted:
            mask = None
            if reader.has_deletions():
                mask = np.zeros(reader.doc_count_all(), dtype=bool)
                for docnum in range(len(mask)):
                    mask[docnum] = reader.is_deleted(docnum)
            self._deleted[key] = mask
        return self._deleted[key]


def read_postings(reader, fieldname: str, btext: bytes, *, values: bool = False) -> Postings:
    """Decode a term's whole posting list, block by block (one pass, no per-posting calls)."""
    matcher = reader.postings(fieldname, btext)
    if isinstance(matcher, FilterMatcher):  # deletions are applied by the scoring tree itself
        matcher = matcher.child
    ids: list = []
    weights: list = []
    kept: list = []
    if hasattr(matcher, "_read_ids") and hasattr(matcher, "_next_block"):  # W3LeafMatcher
        while not matcher._atend:
            matcher._read_ids()
            matcher._read_weights()
            ids.append(np.asarray(matcher._ids, dtype=np.int64))
            weights.append(np.asarray(matcher._weights, dtype=np.float64))
            if values:
                matcher._read_values()
                kept.extend(matcher._values)
            matcher._next_block()
        if not ids:
            return Postings(np.zeros(0, np.int64), np.zeros(0, np.float64))
        return Postings(np.concatenate(ids), np.concatenate(weights), kept)
    # Inlined short lists (ListMatcher) and anything else: the public, one-posting-at-a-time way.
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        if values:
            kept.append(matcher.value())
        matcher.next()
    return Postings(np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64), kept)


def positions_decoder(fmt) -> Callable[[bytes], list[int]]:
    """The positions decoder of a format: ``Positions.decode_positions`` without its per-call overhead."""
    if type(fmt) is not formats.Positions:
        return fmt.decoder("positions")

    def decode(value: bytes) -> list[int]:
        # a packed count, then the pickled position deltas stored without pickle's final STOP
        codes = loads(value[_INT_SIZE:] if value.endswith(b".") else value[_INT_SIZE:] + b".")
        return list(accumulate(codes))

    return decode


def read_lengths(reader, fieldname: str) -> np.ndarray:
    """Every document's length of ``fieldname`` in a segment, as the BM25F scorer reads it
    (``doc_field_length(docnum, fieldname, 1)``: 1 when the index keeps no lengths for the field)."""
    count = reader.doc_count_all()
    perdoc = getattr(reader, "_perdoc", None)
    if perdoc is None or not hasattr(perdoc, "_cached_reader"):  # other codecs: the slow, public way
        return np.array([reader.doc_field_length(d, fieldname, 1) or 0 for d in range(count)], dtype=np.float64)
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN

    column = perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
    if column is None:
        return np.ones(count, dtype=np.float64)
    raw = np.zeros(count, dtype=np.uint8)
    stored = min(column._count, count)
    if stored:
        raw[:stored] = np.frombuffer(column._dbfile.get(column._basepos, stored), dtype=np.uint8)
    return _LENGTHS[raw]


_MAGIC_SIZE = 4  # W3's header tag before a term's first block


def block_ids(postfile, offset: int) -> list[int]:
    """Every document number of one term's on-disk W3 posting list, decoded straight from its blocks.

    The list at ``offset`` is the header tag, then blocks of: a signed block length (negative for
    the last block), the pickled block info (its fourth item the zlib level, 0 for none), and the
    pickled (ids, weights, values) tuple with the ids delta-encoded, as ``W3LeafMatcher`` reads
    them; without building a matcher per term, which costs more than the decoding for short lists
    (and as a plain list: numpy's per-call cost is more than the work on a few ids).
    """
    ids: list[int] = []
    position = offset + _MAGIC_SIZE
    while True:  # (the list ends with its last block: the length Whoosh's term info reads is not used)
        size = unpack_int(bytes(postfile.get(position, _INT_SIZE)))[0]
        block = BytesIO(bytes(postfile.get(position + _INT_SIZE, abs(size))))
        info = load(block)
        data = block.read()
        if info[3]:
            data = zlib.decompress(data)
        ids.extend(accumulate(loads(data)[0]))  # each block's first id is absolute
        if size < 0:
            break
        position += _INT_SIZE + size
    return ids


def segment_field_postings(leaf, fieldname: str) -> tuple[list[bytes], np.ndarray, np.ndarray]:
    """Every term of ``fieldname`` in the segment ``leaf`` (sorted) with the segment's numbers of the
    documents holding it, deleted ones included, flat: (terms, numbers term after term, counts).

    One pass over the segment's term table; postings Whoosh inlines in a term's entry are taken
    straight from it, the others decoded block by block (``block_ids``).
    """
    names: list[bytes] = []
    ids: list[int] = []
    counts: list[int] = []
    terms = getattr(leaf, "_terms", None)
    if fieldname not in leaf.indexed_field_names():
        pass
    elif not hasattr(terms, "items_from"):  # another codec: a matcher per term
        for btext in leaf.lexicon(fieldname):
            found = list(leaf.postings(fieldname, btext).all_ids())
            names.append(btext)
            ids.extend(found)
            counts.append(len(found))
    else:
        assert terms is not None
        postfile = getattr(terms, "_postfile", None) if type(terms).__name__ == "W3TermsReader" else None
        for (name, btext), terminfo in terms.items_from(fieldname, b""):
            if name != fieldname:
                break
            inlined = terminfo.inlined_postings() if terminfo.is_inlined() else None
            if inlined is not None:
                found = list(inlined[0])
            elif postfile is not None:
                found = block_ids(postfile, terminfo.extent()[0])
            else:
                found = read_postings(leaf, fieldname, btext).ids.tolist()
            names.append(btext)
            ids.extend(found)
            counts.append(len(found))
    return names, np.asarray(ids, dtype=np.int64), np.asarray(counts, dtype=np.int64)
