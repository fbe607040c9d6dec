"""A vectorised scoring pass: Whoosh's own matcher tree, evaluated with numpy instead of walked.

Whoosh matches a query by advancing a tree of matchers document by document (unions and
intersections of per-field term matchers), which costs Python calls per candidate document and
per tree node. This module builds the very same matcher tree (so the query's structure, boosts,
BM25F parameters and the order in which scores are added stay Whoosh's), then evaluates each node
once over whole arrays: a leaf is its posting list (``index.engine.accel.postings``), a union adds two score
arrays, an intersection keeps the documents both sides hold, and so on. Scores are added in the
tree's order with the same float operations, so they are equal to Whoosh's, not merely close.

Only matchers whose meaning is reproduced exactly are evaluated; any other (span queries other than
phrases, custom scorers...) raises ``Unsupported`` and the caller uses Whoosh's collector instead.
"""

from __future__ import annotations

import logging

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import binary, combo, mcore, wrappers
from whoosh.query.spans import Span, SpanNear2, bisect_spans
from whoosh.scoring import BM25FScorer, WeightScorer

from index.engine.accel.postings import PostingCache, Postings, positions_decoder
from index.engine.accel.skeleton import TermSlot, skeleton_matcher
from index.engine.budget import check_current

LOGGER = logging.getLogger(__name__)


class Unsupported(Exception):
    """The matcher tree holds a node this module does not evaluate; use Whoosh's collector."""


def evaluate(searcher, q, cache: PostingCache, context=None) -> tuple[np.ndarray, np.ndarray]:
    """(document numbers, scores) of every document matching ``q``, ascending by document number.

    Builds the matcher tree per segment exactly as ``searcher.search_with_collector`` does (with
    its default context unless ``context`` is given).
    """
    context = context or searcher.context()
    docs: list[np.ndarray] = []
    scores: list[np.ndarray] = []
    for subsearcher, offset in searcher.leaf_searchers():
        reader = subsearcher.reader()
        try:  # the tree's shape without the work its constructors do (see index.engine.accel.skeleton)
            mask, score = _Evaluator(cache, reader, slots=True).node(skeleton_matcher(q, subsearcher, context))
        except Unsupported:
            mask, score = _Evaluator(cache, reader).node(q.matcher(subsearcher, context))
        found = np.flatnonzero(mask)
        docs.append(found + offset)
        scores.append(score[found])
    if len(docs) == 1:
        return docs[0], scores[0]
    return np.concatenate(docs), np.concatenate(scores)


def top(docs: np.ndarray, scores: np.ndarray, limit: int) -> list[tuple[int, float]]:
    """The best ``limit`` (document, score) pairs, by score then lower document number first,
    as Whoosh's ``TopCollector`` orders them."""
    if limit <= 0 or not len(docs):
        return []
    if len(docs) > limit:
        part = np.argpartition(-scores, limit - 1)[:limit]
        keep = np.flatnonzero(scores >= scores[part].min())  # every tie at the boundary
        docs, scores = docs[keep], scores[keep]
    order = np.lexsort((docs, -scores))[:limit]
    return [(int(d), float(s)) for d, s in zip(docs[order], scores[order], strict=True)]


class _Evaluator:
    """Evaluates one segment's matcher tree into a match mask and a score array (0 where unmatched)."""

    def __init__(self, cache: PostingCache, reader, *, slots: bool = False) -> None:
        self.cache = cache
        self.reader = reader
        self.size = reader.doc_count_all()
        self.slots = slots  # a skeleton tree: list matchers were filled from term slots

    def node(self, m) -> tuple[np.ndarray, np.ndarray]:
        check_current("scoring")  # the search's time budget (index.engine.budget)
        kind = type(m)
        handler = _HANDLERS.get(kind)
        if handler is None:
            if isinstance(m, mcore.NullMatcherClass):
                return self.empty()
            raise Unsupported(kind.__name__)
        return handler(self, m)

    def empty(self) -> tuple[np.ndarray, np.ndarray]:
        return np.zeros(self.size, dtype=bool), np.zeros(self.size, dtype=np.float64)

    def dense(self, ids: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        mask, score = self.empty()
        mask[ids] = True
        score[ids] = values
        return mask, score

    # -- leaves ----------------------------------------------------------------------------------

    def postings_of(self, m, *, values: bool = False) -> Postings:
        """The postings a term leaf stands for (read from the cache, whatever the leaf consumed)."""
        if type(m) in (W3LeafMatcher, TermSlot):
            fieldname, btext = m.term()
            return self.cache.postings(self.reader, fieldname, btext, values=values)
        if type(m) is mcore.ListMatcher and self.slots:
            return self._constant_list(m)
        if type(m) is mcore.ListMatcher:
            ids = np.asarray(m._ids, dtype=np.int64)
            if m._all_weights:
                weights = np.full(len(ids), float(m._all_weights))
            elif m._weights:
                weights = np.asarray(m._weights, dtype=np.float64)
            else:
                weights = np.ones(len(ids))
            return Postings(ids, weights, list(m._values) if m._values else [])
        raise Unsupported(type(m).__name__)

    def _constant_list(self, m) -> Postings:
        """In a skeleton, a list matcher is ``ConstantScoreQuery`` preloading a term's (slot's) ids:
        the term's postings, deleted documents left out, each weighing the constant."""
        if m._scorer is not None or m.term() is None:
            raise Unsupported("list matcher of unknown origin in a skeleton")
        fieldname, btext = m.term()
        ids = self.cache.postings(self.reader, fieldname, btext).ids
        deleted = self.cache.deleted(self.reader)
        if deleted is not None:
            ids = ids[~deleted[ids]]
        return Postings(ids, np.full(len(ids), float(m._all_weights) if m._all_weights else 1.0))

    def leaf(self, m) -> tuple[np.ndarray, np.ndarray]:
        postings = self.postings_of(m)
        scorer = m.scorer if type(m) in (W3LeafMatcher, TermSlot) else m._scorer
        weights = postings.weights
        if scorer is None or type(scorer) is WeightScorer:
            scores = weights
        elif type(scorer) is BM25FScorer:
            fieldname = m.term()[0]
            lengths = self.cache.lengths(self.reader, fieldname)[postings.ids]
            idf, avgfl, b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
            # whoosh.scoring.bm25, operation for operation
            scores = idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths / avgfl)))
        else:
            raise Unsupported(type(scorer).__name__)
        return self.dense(postings.ids, scores)

    # -- combinations ----------------------------------------------------------------------------

    def union(self, m) -> tuple[np.ndarray, np.ndarray]:
        ma, sa = self.node(m.a)
        mb, sb = self.node(m.b)
        return ma | mb, sa + sb

    def intersection(self, m) -> tuple[np.ndarray, np.ndarray]:
        ma, sa = self.node(m.a)
        mb, sb = self.node(m.b)
        mask = ma & mb
        return mask, np.where(mask, sa + sb, 0.0)

    def and_not(self, m) -> tuple[np.ndarray, np.ndarray]:
        ma, sa = self.node(m.a)
        mb, _ = self.node(m.b)
        mask = ma & ~mb
        return mask, np.where(mask, sa, 0.0)

    def and_maybe(self, m) -> tuple[np.ndarray, np.ndarray]:
        ma, sa = self.node(m.a)
        _, sb = self.node(m.b)
        return ma, np.where(ma, sa + sb, 0.0)

    def array_union(self, m) -> tuple[np.ndarray, np.ndarray]:
        """``ArrayUnionMatcher``: scores added per sub-matcher in order; a zero total is no match."""
        mask, score = self.empty()
        for sub in m._submatchers:
            ms, ss = self.node(sub)
            mask |= ms
            if m._scored:
                score = score + np.where(ms, ss * m._boost, 0.0)
        if m._scored:
            mask &= score > 0
            score = np.where(mask, score, 0.0)
        else:
            score = mask.astype(np.float64)
        mask[m._doccount:] = False
        return mask, score

    # -- wrappers --------------------------------------------------------------------------------

    def wrapping(self, m) -> tuple[np.ndarray, np.ndarray]:
        mask, score = self.node(m.child)
        return mask, score * m.boost

    def filtered(self, m) -> tuple[np.ndarray, np.ndarray]:
        mask, score = self.node(m.child)
        ids = np.fromiter(iter(m._ids), dtype=np.int64)
        listed = np.zeros(self.size, dtype=bool)
        listed[ids[ids < self.size]] = True
        mask = mask & ~listed if m._exclude else mask & listed
        return mask, np.where(mask, score * m.boost, 0.0)

    def inverse(self, m) -> tuple[np.ndarray, np.ndarray]:
        child, _ = self.node(m.child)
        mask = ~child
        mask[m.limit:] = False
        missing = m.missing
        if getattr(missing, "__name__", "") == "is_deleted" and hasattr(missing, "__self__"):
            deleted = self.cache.deleted(missing.__self__)  # Not(): the reader's deleted documents
            if deleted is not None:
                mask &= ~deleted
        elif getattr(missing, "__qualname__", "") != "InverseMatcher.__init__.<locals>.<lambda>":
            raise Unsupported("InverseMatcher with an unknown missing function")
        return mask, np.where(mask, float(m._weight), 0.0)

    def phrase(self, m) -> tuple[np.ndarray, np.ndarray]:
        """``SpanNear2Matcher`` (a phrase): the words' intersection, then the positions of candidates."""
        mask, score = self.node(m.child)
        leaves = [self._term_leaf(sub) for sub in m.ms]
        postings = [self.postings_of(leaf, values=True) for leaf in leaves]
        decoders = [positions_decoder(leaf._format if type(leaf) is mcore.ListMatcher else leaf.format)
                    for leaf in leaves]
        candidates = np.flatnonzero(mask)
        if not len(candidates):
            return mask, score
        rows = [np.searchsorted(p.ids, candidates) for p in postings]
        if m.ordered and m.mindist >= 1 and m.slop - m.mindist <= 16:
            found = _ordered_chains(postings, decoders, rows, m.slop, m.mindist)
        else:
            found = np.zeros(len(candidates), dtype=bool)
            for row in range(len(candidates)):
                spans = [
                    [Span(pos) for pos in p.positions(decoder, int(where[row]))]
                    for p, decoder, where in zip(postings, decoders, rows, strict=True)
                ]
                found[row] = bool(near2_spans(spans, m.slop, m.ordered, m.mindist))
        mask[candidates[~found]] = False
        return mask, np.where(mask, score * m.boost, 0.0)

    @staticmethod
    def _term_leaf(m):
        while type(m) is wrappers.FilterMatcher:  # deletions: already applied by the intersection
            m = m.child
        if type(m) not in (W3LeafMatcher, TermSlot, mcore.ListMatcher) or m.term() is None:
            raise Unsupported("phrase over a non-term matcher")
        return m


def _ordered_chains(postings, decoders, rows, slop: int, mindist: int) -> np.ndarray:
    """Which candidates hold the words in order, each ``mindist``..``slop`` positions after the last.

    For an ordered ``SpanNear2`` with ``mindist >= 1`` this is exactly Whoosh's span rule: a word's
    span can only extend the chain after its end (overlaps are distance 0), so only the end matters.
    Positions are keyed ``candidate * stride + position`` and each step is a set lookup.
    """
    flat: list[tuple[np.ndarray, np.ndarray]] = []
    for p, decoder, where in zip(postings, decoders, rows, strict=True):
        lists = [p.positions(decoder, int(index)) for index in where]
        counts = np.fromiter((len(x) for x in lists), dtype=np.int64, count=len(lists))
        positions = np.fromiter((pos for x in lists for pos in x), dtype=np.int64, count=int(counts.sum()))
        flat.append((np.repeat(np.arange(len(lists), dtype=np.int64), counts), positions))
    stride = max(int(pos.max(initial=0)) for _, pos in flat) + slop + 2
    ends = flat[0][0] * stride + flat[0][1]
    for owner, positions in flat[1:]:
        keys = owner * stride + positions
        ok = np.zeros(len(keys), dtype=bool)
        for gap in range(mindist, slop + 1):
            ok |= np.isin(keys - gap, ends)
        ends = keys[ok]
    found = np.zeros(len(rows[0]), dtype=bool)
    found[ends // stride] = True
    return found


def near2_spans(span_lists: list[list[Span]], slop: int, ordered: bool, mindist: int) -> list[Span]:
    """``SpanNear2Matcher._get_spans`` over the words' spans in one document (Whoosh's own rule)."""
    aspans = span_lists[0]
    i = 1
    while i < len(span_lists) and aspans:
        bspans = span_lists[i]
        spans = set()
        for aspan in aspans:
            start = aspan.start if ordered else max(0, aspan.start - slop)
            j = bisect_spans(bspans, start)
            while j < len(bspans):
                bspan = bspans[j]
                j += 1
                if bspan.end < aspan.start - slop or (ordered and aspan.start > bspan.start):
                    continue
                if bspan.start > aspan.end + slop:
                    break
                dist = aspan.distance_to(bspan)
                if mindist <= dist <= slop:
                    spans.add(aspan.to(bspan))
        aspans = sorted(spans)
        i += 1
    return aspans if i == len(span_lists) else []


_HANDLERS = {
    W3LeafMatcher: _Evaluator.leaf,
    TermSlot: _Evaluator.leaf,
    mcore.ListMatcher: _Evaluator.leaf,
    binary.UnionMatcher: _Evaluator.union,
    binary.IntersectionMatcher: _Evaluator.intersection,
    binary.AndNotMatcher: _Evaluator.and_not,
    binary.AndMaybeMatcher: _Evaluator.and_maybe,
    combo.ArrayUnionMatcher: _Evaluator.array_union,
    wrappers.WrappingMatcher: _Evaluator.wrapping,
    wrappers.FilterMatcher: _Evaluator.filtered,
    wrappers.InverseMatcher: _Evaluator.inverse,
    SpanNear2.SpanNear2Matcher: _Evaluator.phrase,
}
