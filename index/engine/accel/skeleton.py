"""Whoosh matcher trees built without touching a posting: each term leaf is a placeholder.

Whoosh decides a tree's shape (which union matcher, the order of additions, boosts, scorers) from
the query, the reader's statistics and the search context, then its constructors start matching
at once: an array union scores the first 2,048 documents of every clause, an intersection and a
phrase look for their first match. The vectorised pass reads postings from its own cache and only
needs the shape, so here queries build their matchers against a searcher whose term postings are
``TermSlot`` placeholders: never active, carrying the term, its format and its scorer. The tree is
the one Whoosh would build (the same code builds it), minus the work.
"""

from __future__ import annotations

import logging

from whoosh.matching import mcore
from whoosh.matching.wrappers import FilterMatcher

LOGGER = logging.getLogger(__name__)


class TermSlot(mcore.Matcher):
    """The place of one term's postings in a matcher tree: inactive, with the term's scorer."""

    def __init__(self, term: tuple[str, bytes], format_, scorer) -> None:
        self._term = term
        self.format = format_
        self.scorer = scorer

    def __repr__(self) -> str:
        return f"TermSlot({self._term!r})"

    def is_active(self) -> bool:
        return False

    def term(self) -> tuple[str, bytes]:
        return self._term

    def supports(self, astype: str) -> bool:
        return self.format.supports(astype)

    def all_ids(self):
        return iter(())

    def copy(self) -> TermSlot:
        return TermSlot(self._term, self.format, self.scorer)

    def reset(self) -> None:
        return None

    def replace(self, minquality=0):
        return mcore.NullMatcher()

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        return 0.0

    def id(self):
        raise mcore.ReadTooFar

    def next(self):
        raise mcore.ReadTooFar

    def skip_to(self, id):
        raise mcore.ReadTooFar

    def weight(self):
        raise mcore.ReadTooFar

    def score(self):
        raise mcore.ReadTooFar

    def value(self):
        raise mcore.ReadTooFar


class _SlotSearcher:
    """A leaf searcher whose ``postings`` gives term slots (with the real scorer); the rest is the
    searcher's own, so queries see the same reader, statistics, weighting and contexts."""

    def __init__(self, searcher) -> None:
        self._searcher = searcher

    def __getattr__(self, name: str):
        return getattr(self._searcher, name)

    def postings(self, fieldname: str, text, weighting=None, qf=1):
        """What ``Searcher.postings`` gives for an atomic searcher, with a slot for the postings."""
        searcher = self._searcher
        weighting = weighting or searcher.weighting
        scorer = weighting.scorer(searcher, fieldname, text, qf=qf)
        reader = searcher.reader()
        btext = searcher.schema[fieldname].to_bytes(text) if not isinstance(text, bytes) else text
        slot = TermSlot((fieldname, btext), searcher.schema[fieldname].format, scorer)
        deleted = getattr(reader, "deleted_docs_set", None)  # as SegmentReader.postings wraps them
        return FilterMatcher(slot, deleted, exclude=True) if deleted else slot


def skeleton_matcher(q, searcher, context):
    """``q.matcher(searcher, context)`` for an atomic searcher, with term slots for postings."""
    if not searcher.is_atomic():
        raise ValueError("skeleton matchers are built per segment")
    return q.matcher(_SlotSearcher(searcher), context)
