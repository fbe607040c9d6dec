"""Re-rank the best hits by how near each other the query's words stand (title first, then body).

Scoring span queries over every match is slow in Whoosh; reading the positions of a few words for
the top hits only is cheap, so proximity is a second pass over ``RERANK_DEPTH`` documents.
"""

from __future__ import annotations

import heapq
import logging

from index.engine.accel.postings import PostingCache

LOGGER = logging.getLogger(__name__)

RERANK_DEPTH = 20
# Bonus for all query words adjacent, as a share of the best hit's score; it halves for each word
# of gap. Titles count more than bodies.
FIELD_WEIGHTS = {"title": 0.5, "body": 0.35}
MAX_TERMS = 8


def smallest_window(position_lists: list[list[int]]) -> int:
    """The length of the shortest stretch of text holding one position from every list."""
    heap = [(positions[0], index, 0) for index, positions in enumerate(position_lists)]
    heapq.heapify(heap)
    high = max(positions[0] for positions in position_lists)
    best = high - heap[0][0]
    while True:
        low, index, offset = heapq.heappop(heap)
        best = min(best, high - low)
        if offset + 1 >= len(position_lists[index]):
            return best + 1
        following = position_lists[index][offset + 1]
        high = max(high, following)
        heapq.heappush(heap, (following, index, offset + 1))


def _positions(reader, fieldname: str, terms: list[str], docnums: list[int]) -> dict[int, list[list[int]]]:
    """Each document's positions of every term (documents missing a term left out), via matchers."""
    found: dict[int, list[list[int]]] = {}
    if not reader.schema[fieldname].format.supports("positions"):
        return {}  # (asked of the format: an exhausted multi-segment matcher cannot answer)
    for term in terms:
        if (fieldname, term) not in reader:
            return {}
        matcher = reader.postings(fieldname, term)
        for docnum in docnums:
            if not matcher.is_active():
                break
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
                if not matcher.is_active():
                    break
            if matcher.id() == docnum:
                found.setdefault(docnum, []).append(matcher.value_as("positions"))
    return {docnum: lists for docnum, lists in found.items() if len(lists) == len(terms)}


def _cached_positions(
    postings: PostingCache, reader, fieldname: str, terms: list[str], docnums: list[int]
) -> dict[int, list[list[int]]]:
    """``_positions`` read from the generation's posting arrays (same answer, no matcher walk)."""
    if not reader.schema[fieldname].format.supports("positions"):
        return {}
    per_term = []
    for term in terms:
        if (fieldname, term) not in reader:
            return {}
        per_term.append(postings.positions(reader, fieldname, term, docnums))
    return {d: [found[d] for found in per_term] for d in docnums if all(d in found for found in per_term)}


def proximity_bonus(
    reader, fields: dict[str, list[str]], docnums: list[int], postings: PostingCache | None = None
) -> dict[int, float]:
    """A bonus in [0, sum of FIELD_WEIGHTS] per document: 1 when the words are adjacent, halving per gap.

    ``fields`` maps each field (e.g. ``body``, ``title_ru``) to the query's analysed words in it.
    With ``postings`` (the generation's cache), positions come from its arrays.
    """
    ordered = sorted(set(docnums))
    bonus: dict[int, float] = {}
    for fieldname, terms in fields.items():
        unique = list(dict.fromkeys(terms))[:MAX_TERMS]
        if len(unique) < 2:
            continue
        weight = FIELD_WEIGHTS.get(fieldname.split("_", 1)[0], 0.0)
        if postings is None:
            found = _positions(reader, fieldname, unique, ordered)
        else:
            found = _cached_positions(postings, reader, fieldname, unique, ordered)
        for docnum, lists in found.items():
            gap = max(0, smallest_window(lists) - len(unique))
            bonus[docnum] = bonus.get(docnum, 0.0) + weight * 0.5 ** min(gap, 60)
    return bonus


def rerank(ranked: list[tuple[int, float]], bonus: dict[int, float]) -> list[tuple[int, float]]:
    """The first ``RERANK_DEPTH`` hits sorted again with the bonus (scaled to the best score)."""
    head, tail = ranked[:RERANK_DEPTH], ranked[RERANK_DEPTH:]
    if not head or not bonus:
        return ranked
    scale = max(score for _, score in head) or 1.0
    head = sorted(((d, s + scale * bonus.get(d, 0.0)) for d, s in head), key=lambda item: -item[1])
    return head + tail
