"""Facet counts without Whoosh's grouping collector: per-field (document, value) arrays counted with numpy.

Each facet field's arrays are built from the index's own postings the first time a search asks for
that facet, and kept for the searcher's generation, so counting the facets of any result set is a mask
and a ``bincount``. Nothing is loaded up front: a search that shows no facets (the CLI's text output)
never reads them. The arrays are compact: document numbers and value ids are held in the smallest
unsigned integer type that fits (``uint16`` up to 65,535 documents or values, else ``uint32``).

The duplicate groups (one per document, for totals and the collapsed hit list) come from the
``dupkey`` column in one read, or from its postings in indexes that have no column.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.engine.contract import FacetCount
from index.engine.facet_cache import field_pairs
from index.engine.schema import FACETS
from index.facets import CHRONOLOGICAL

LOGGER = logging.getLogger(__name__)



def smallest_uint(upper: int) -> np.dtype:
    """The smallest unsigned integer type holding every value from 0 to ``upper``."""
    for dtype in (np.uint8, np.uint16, np.uint32):
        if upper <= np.iinfo(dtype).max:
            return np.dtype(dtype)
    return np.dtype(np.uint64)


@dataclass
class _FieldFacet:
    values: list[str]
    docs: np.ndarray  # docnum of each (doc, value) pair, smallest unsigned type
    value_ids: np.ndarray  # value index of each pair, smallest unsigned type
    rank: np.ndarray = field(init=False)  # each value's place in sorted(values)
    value_set: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.rank = np.empty(len(self.values), dtype=smallest_uint(len(self.values)))
        self.rank[sorted(range(len(self.values)), key=self.values.__getitem__)] = np.arange(len(self.values))
        self.value_set = frozenset(self.values)

    @classmethod
    def empty(cls) -> _FieldFacet:
        return cls([], np.zeros(0, np.uint8), np.zeros(0, np.uint8))

    def nbytes(self) -> int:
        """Bytes held by the arrays (the value strings not counted)."""
        return self.docs.nbytes + self.value_ids.nbytes + self.rank.nbytes


class FacetIndex:
    """(document, value) pairs for the facet fields of one index reader, each loaded on first use.

    Safe to share between threads: a field is loaded once (under a lock held only while loading it),
    and the arrays are never changed afterwards.
    """

    def __init__(self, reader, cache_dir: Path | None = None) -> None:
        self._reader = reader
        self._cache_dir = cache_dir  # the generation's folder: each segment's pairs cached there
        self.doc_count_all = reader.doc_count_all()
        self._indexed = set(reader.indexed_field_names())
        self._fields: dict[str, _FieldFacet] = {}
        self._groups: np.ndarray | None = None
        self._lock = threading.Lock()

    # -- loading -------------------------------------------------------------------------------

    def field(self, name: str) -> _FieldFacet:
        """The arrays of facet ``name`` (loaded now if this is the first use)."""
        found = self._fields.get(name)
        if found is None:
            with self._lock:
                found = self._fields.get(name)
                if found is None:
                    fieldname = FACETS.get(name)
                    found = self._load(fieldname) if fieldname and fieldname in self._indexed else _FieldFacet.empty()
                    self._fields[name] = found
        return found

    @property
    def fields(self) -> dict[str, _FieldFacet]:
        """Every facet field, loading those not loaded yet."""
        return {name: self.field(name) for name in FACETS}

    def loaded(self) -> list[str]:
        """The facet fields loaded so far."""
        return sorted(self._fields)

    def _load(self, fieldname: str) -> _FieldFacet:
        terms, docs, lengths = field_pairs(self._reader, fieldname, self._cache_dir)
        if not terms:
            return _FieldFacet.empty()
        values = [term.decode("utf-8") for term in terms]
        doc_type, id_type = smallest_uint(self.doc_count_all), smallest_uint(len(values))
        value_ids = np.repeat(np.arange(len(values), dtype=id_type), lengths)
        return _FieldFacet(values, docs.astype(doc_type), value_ids)

    def has_value(self, name: str, value: str) -> bool:
        """Whether ``value`` is one of facet ``name``'s values (held by a live document): what
        ``values(name)`` would list, asked of the term index without loading the facet's arrays."""
        loaded = self._fields.get(name)
        if loaded is not None:
            return value in loaded.value_set
        fieldname = FACETS.get(name)
        if not value or not fieldname or fieldname not in self._indexed:
            return False
        btext = value.encode("utf-8")
        if (fieldname, btext) not in self._reader:
            return False
        return self._reader.postings(fieldname, btext).is_active()  # deleted documents are skipped

    @property
    def groups(self) -> np.ndarray:
        """Duplicate group number of every document (negative: a document without a key, its own group)."""
        found = self._groups
        if found is None:
            with self._lock:
                if self._groups is None:
                    self._groups = self._load_groups()
                found = self._groups
        return found

    def _load_groups(self) -> np.ndarray:
        reader = self._reader
        groups = np.full(self.doc_count_all + 1, -1, dtype=np.int32)
        if "dupkey" in self._indexed:
            keys = _column_values(reader, "dupkey")
            if keys is not None:  # one read of the column: the same group numbers as the lexicon gives
                groups[: len(keys)] = _group_numbers(keys)
            else:
                for number, term in enumerate(reader.lexicon("dupkey")):
                    groups[np.fromiter(reader.postings("dupkey", term).all_ids(), dtype=np.int64)] = number
        missing = groups == -1
        groups[missing] = -1 - np.arange(int(missing.sum()), dtype=np.int32)  # each its own group
        # Facet counts count each duplicate group once, as totals do: documents whose group has other
        # members are marked, and only their (value, group) pairs are made unique when counting.
        keyed = groups[groups >= 0]
        sizes = np.bincount(keyed) if len(keyed) else np.zeros(0, dtype=np.int64)
        self.in_duplicate_group = np.zeros(len(groups), dtype=bool)
        self.in_duplicate_group[groups >= 0] = sizes[keyed] > 1
        self.has_duplicates = bool(self.in_duplicate_group.any())
        self._group_low = int(groups.min()) if len(groups) else 0
        self._group_span = int(groups.max()) - self._group_low + 1 if len(groups) else 1
        return groups

    # -- counting ------------------------------------------------------------------------------

    def group_of(self, docnum: int) -> int:
        """The duplicate group of a document."""
        return int(self.groups[docnum])

    def group_counts(self, mask: np.ndarray) -> np.ndarray:
        """Matching documents per duplicate group (index = group number; documents without a key
        count as their own groups at the end)."""
        groups = self.groups
        selected = groups[mask[: len(groups)]]
        keyed = selected[selected >= 0]
        counts = np.bincount(keyed) if len(keyed) else np.zeros(0, dtype=np.int64)
        alone = int((selected < 0).sum())
        return np.concatenate([counts, np.ones(alone, dtype=np.int64)])

    def mask(self, docnums) -> np.ndarray:
        """A boolean mask over document numbers for a set or array of matching documents."""
        mask = np.zeros(self.doc_count_all + 1, dtype=bool)
        if isinstance(docnums, np.ndarray):
            mask[docnums] = True
        elif len(docnums):
            mask[np.fromiter(docnums, dtype=np.int64, count=len(docnums))] = True
        return mask

    def count(self, name: str, mask: np.ndarray, *, limit: int = 20) -> list[FacetCount]:
        """The most frequent values of facet ``name`` among the documents in ``mask``; a release issued
        several times with the same text counts once, as it is one hit in the results."""
        facet = self.field(name)
        if not facet.values:
            return []
        chosen = mask[facet.docs]
        selected = facet.value_ids[chosen]
        if not len(selected):
            return []
        counts = np.bincount(selected, minlength=len(facet.values))
        _ = self.groups  # loads the duplicate groups (and has_duplicates) on first use
        if self.has_duplicates:  # one count per (value, duplicate group): the number of hits a filter gives
            twins = chosen & self.in_duplicate_group[facet.docs]
            if twins.any():
                values = facet.value_ids[twins].astype(np.int64)
                groups = self.groups[facet.docs[twins]].astype(np.int64) - self._group_low
                unique = np.unique(values * self._group_span + groups) // self._group_span
                counts -= np.bincount(values, minlength=len(facet.values))
                counts += np.bincount(unique, minlength=len(facet.values))
        nonzero = np.flatnonzero(counts)
        rank = facet.rank[nonzero].astype(np.int64)
        if name in CHRONOLOGICAL:  # by value, newest first
            order = nonzero[np.argsort(-rank)]
        else:  # most frequent first, then by value
            order = nonzero[np.lexsort((rank, -counts[nonzero]))]
        return [FacetCount(facet.values[i], int(counts[i])) for i in order[:limit].tolist()]

    def counts(self, mask: np.ndarray, limits: dict[str, int]) -> dict[str, list[FacetCount]]:
        """Counts for several facets at once (facet name: how many values at most)."""
        return {name: self.count(name, mask, limit=limit) for name, limit in limits.items()}

    def values(self, name: str) -> list[FacetCount]:
        """Every value of a facet with its document count (for completions)."""
        facet = self.field(name)
        if not facet.values:
            return []
        counts = np.bincount(facet.value_ids, minlength=len(facet.values))
        return [FacetCount(value, int(counts[i])) for i, value in enumerate(facet.values)]

    def nbytes(self) -> int:
        """Bytes held by the loaded arrays (groups and facet fields; value strings not counted)."""
        groups = self._groups.nbytes if self._groups is not None else 0
        return groups + sum(facet.nbytes() for facet in self._fields.values())


def _group_numbers(keys: list[bytes]) -> np.ndarray:
    """The number of each key in the sorted distinct non-empty keys (-1 for an empty key): the numbers
    the ``dupkey`` lexicon's order gives."""
    if not keys:
        return np.zeros(0, dtype=np.int32)
    # (a fixed-width byte array sorts as bytes do, and the empty key sorts first)
    array = np.array(keys, dtype=f"S{max(1, max(map(len, keys)))}")
    distinct, numbers = np.unique(array, return_inverse=True)
    numbers = numbers.reshape(-1).astype(np.int32)
    if len(distinct) and distinct[0] == b"":
        numbers -= 1  # the empty key's number becomes -1, the others shift down by one
    return numbers


def _column_values(reader, fieldname: str) -> list[bytes] | None:
    """Every document's value of a sortable field's column (None when the field has no column).

    Deleted documents keep their value here; their group number is never looked up, since they
    never match.
    """
    if not reader.has_column(fieldname):
        return None
    values: list[bytes] = []
    for leaf, _ in reader.leaf_readers():
        column = leaf.column_reader(fieldname, translate=False)
        count = leaf.doc_count_all()
        blob = _column_blob(column, count)
        if blob is None:  # another column type: one read per document
            values.extend(column[docnum] for docnum in range(count))
        else:  # one read of the segment's bytes, cut by the column's own lengths and offsets
            pairs = zip(column._offsets, column._lengths, strict=True)
            values.extend(blob[start : start + length] for start, length in pairs)
    return values


def _column_blob(column, count: int) -> bytes | None:
    """All the bytes of a variable-length column's values in one read (None for other columns)."""
    try:
        offsets, lengths, dbfile, base = column._offsets, column._lengths, column._dbfile, column._basepos
    except AttributeError:
        return None
    if len(offsets) != count or len(lengths) != count:
        return None
    end = offsets[-1] + lengths[-1] if count else 0
    return dbfile.get(base, end) if end else b""
