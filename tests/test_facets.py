"""Facet counts ordered with numpy equal the plain rule: most frequent first, ties by value; dates newest first."""

from __future__ import annotations

from collections import Counter

import numpy as np

from index.engine.facets import CHRONOLOGICAL
from search.facets import PUBLIC_FACETS
from search.service import SearchService


def _plain(facets, name: str, mask: np.ndarray, limit: int) -> list[tuple[str, int]]:
    facet = facets.field(name)
    counts = Counter(facet.values[v] for d, v in zip(facet.docs, facet.value_ids, strict=True) if mask[d])
    if name in CHRONOLOGICAL:
        return sorted(counts.items(), reverse=True)[:limit]
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


def test_facet_counts_follow_the_plain_rule(examples_settings):
    service = SearchService(examples_settings)
    try:
        facets = service.reader.current().facets
        rng = np.random.default_rng(7)
        masks = [np.ones(facets.doc_count_all + 1, dtype=bool)]
        masks += [rng.random(facets.doc_count_all + 1) < 0.5 for _ in range(20)]
        for mask in masks:
            for name in (*PUBLIC_FACETS, "month"):
                for limit in (1, 3, 20):
                    got = [(f.value, f.count) for f in facets.count(name, mask, limit=limit)]
                    assert got == _plain(facets, name, mask, limit), name
    finally:
        service.close()
