"""Facet counts without Whoosh's grouping collector: per-field (document, value) arrays counted with numpy.

The arrays are built once per searcher generation from the index's own postings, so counting the
facets of any result set is a mask and a ``bincount``: fast enough to do on every search.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np

from index.engine.contract import FacetCount
from index.engine.schema import FACETS

LOGGER = logging.getLogger(__name__)

#: Facets counted by value, newest first (the others: most frequent first).
CHRONOLOGICAL = ("year", "month")


@dataclass
class _FieldFacet:
    values: list[str]
    docs: np.ndarray  # docnum of each (doc, value) pair
    value_ids: np.ndarray  # value index of each pair
    rank: np.ndarray = field(init=False)  # each value's place in sorted(values)

    def __post_init__(self) -> None:
        self.rank = np.empty(len(self.values), dtype=np.int64)
        self.rank[sorted(range(len(self.values)), key=self.values.__getitem__)] = np.arange(len(self.values))

    @classmethod
    def empty(cls) -> _FieldFacet:
        return cls([], np.zeros(0, np.int64), np.zeros(0, np.int64))


class FacetIndex:
    """(document, value) pairs for every facet field of one index reader."""

    def __init__(self, reader) -> None:
        self.doc_count_all = reader.doc_count_all()
        self.fields: dict[str, _FieldFacet] = {}
        self.groups = self._load_groups(reader)
        indexed = set(reader.indexed_field_names())
        for name, fieldname in FACETS.items():
            if fieldname in indexed:
                self.fields[name] = self._load(reader, fieldname)
            else:
                self.fields[name] = _FieldFacet.empty()

    @staticmethod
    def _load(reader, fieldname: str) -> _FieldFacet:
        values: list[str] = []
        docs: list[np.ndarray] = []
        ids: list[np.ndarray] = []
        for number, term in enumerate(reader.lexicon(fieldname)):
            postings = np.fromiter(reader.postings(fieldname, term).all_ids(), dtype=np.int64)
            values.append(term.decode("utf-8"))
            docs.append(postings)
            ids.append(np.full(len(postings), number, dtype=np.int64))
        if not values:
            return _FieldFacet.empty()
        return _FieldFacet(values, np.concatenate(docs), np.concatenate(ids))

    def _load_groups(self, reader) -> np.ndarray:
        """Duplicate group number of every document (-1 when a document has none)."""
        groups = np.full(self.doc_count_all + 1, -1, dtype=np.int64)
        if "dupkey" in set(reader.indexed_field_names()):
            for number, term in enumerate(reader.lexicon("dupkey")):
                groups[np.fromiter(reader.postings("dupkey", term).all_ids(), dtype=np.int64)] = number
        missing = groups == -1
        groups[missing] = -1 - np.arange(int(missing.sum()))  # a document without a key is its own group
        return groups

    def group_of(self, docnum: int) -> int:
        """The duplicate group of a document."""
        return int(self.groups[docnum])

    def group_counts(self, mask: np.ndarray) -> np.ndarray:
        """Matching documents per duplicate group (index = group number; documents without a key
        count as their own groups at the end)."""
        selected = self.groups[mask[: len(self.groups)]]
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
        """The most frequent values of facet ``name`` among the documents in ``mask``."""
        facet = self.fields.get(name)
        if facet is None or not facet.values:
            return []
        selected = facet.value_ids[mask[facet.docs]]
        if not len(selected):
            return []
        counts = np.bincount(selected, minlength=len(facet.values))
        nonzero = np.flatnonzero(counts)
        if name in CHRONOLOGICAL:  # by value, newest first
            order = nonzero[np.argsort(-facet.rank[nonzero])]
        else:  # most frequent first, then by value
            order = nonzero[np.lexsort((facet.rank[nonzero], -counts[nonzero]))]
        return [FacetCount(facet.values[i], int(counts[i])) for i in order[:limit].tolist()]

    def counts(self, mask: np.ndarray, limits: dict[str, int]) -> dict[str, list[FacetCount]]:
        """Counts for several facets at once (facet name: how many values at most)."""
        return {name: self.count(name, mask, limit=limit) for name, limit in limits.items()}

    def values(self, name: str) -> list[FacetCount]:
        """Every value of a facet with its document count (for completions)."""
        facet = self.fields.get(name)
        if facet is None or not facet.values:
            return []
        counts = np.bincount(facet.value_ids, minlength=len(facet.values))
        return [FacetCount(value, int(counts[i])) for i, value in enumerate(facet.values)]
