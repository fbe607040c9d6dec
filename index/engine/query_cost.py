"""The cost model of a query: bounded term expansion and a per-search time budget.

Wildcards (``*a*``, ``?*``), prefixes (``mig*``) and ranges (``body:[0 TO]``) stand for every indexed
word they match; Whoosh expands them without limit, so one anonymous request could make a search
read the postings of the whole vocabulary for tens of seconds. Before a query runs,
``check_expansion`` counts, field by field, the words each such part expands to (stopping one past
the limit, so the count itself is cheap) and refuses with a ``QueryTooBroad`` (HTTP 400) that names
the part and says how to narrow it:

- at most ``max_terms`` words per part and field, and ``TOTAL_FACTOR * max_terms`` for the whole query;
- at most ``MAX_EXPANDING_PARTS`` wildcard, prefix or range parts in one query (each costs a scan of
  the field's vocabulary);
- a bare ``*`` means "every document": a field-wide ``Every`` (which Whoosh answers by reading the
  postings of every word of the field) is rewritten to the document-wide one (``simplify``).

``Deadline`` is the time budget: the search checks it between its stages and while expanding; over
budget it raises ``SearchTimeout`` (HTTP 503), so a slow request ends instead of holding a thread.
"""

from __future__ import annotations

import itertools
import logging
import time

from whoosh import query as wq

LOGGER = logging.getLogger(__name__)

DEFAULT_MAX_TERMS = 2000
TOTAL_FACTOR = 4
MAX_EXPANDING_PARTS = 8
_EXPANDING = (wq.Wildcard, wq.Prefix, wq.TermRange, wq.Regex, wq.FuzzyTerm)
_CHECK_EVERY = 512


class QueryCostError(ValueError):
    """A query refused by the cost model; ``status`` is the HTTP status to answer with."""

    status = 400


class QueryTooBroad(QueryCostError):
    """A wildcard, prefix or range that matches too many words (HTTP 400)."""

    status = 400


class SearchTimeout(QueryCostError):
    """A search that ran over its time budget (HTTP 503)."""

    status = 503


class Deadline:
    """A time budget started now; ``check()`` raises ``SearchTimeout`` once it is spent."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds if seconds and seconds > 0 else None

    def check(self, stage: str = "") -> None:
        """Raise ``SearchTimeout`` when the budget is spent."""
        if self.ends is not None and time.monotonic() > self.ends:
            where = f" ({stage})" if stage else ""
            raise SearchTimeout(
                f"the search took longer than its {self.seconds:g} s budget{where}; "
                "narrow the query (fewer wildcards or OR-ed words, a filter or a date range) and try again"
            )


def simplify(q: wq.Query) -> wq.Query:
    """``q`` with field-wide ``Every`` parts (a bare ``*``) replaced by the document-wide ``Every``."""
    if isinstance(q, wq.Every) and q.fieldname not in (None, "*"):
        return wq.Every(boost=q.boost)
    if isinstance(q, wq.Wildcard) and q.text.strip("*") == "":
        return wq.Every(boost=q.boost)
    if q.is_leaf():
        return q
    return q.apply(simplify)


def _describe(part: wq.Query) -> str:
    if isinstance(part, wq.TermRange):
        start = part.start or ""
        end = part.end or ""
        return f"{part.fieldname}:[{start} TO {end}]"
    if isinstance(part, wq.Prefix):
        return f"{part.text}*"
    return str(getattr(part, "text", part))


def _advice(part: wq.Query) -> str:
    if isinstance(part, wq.TermRange):
        return "give both ends of the range, closer together"
    if isinstance(part, wq.Prefix):
        return "use a longer prefix (more letters before the *)"
    return "put more letters around the * or ?, or search whole words"


def check_expansion(
    q: wq.Query, reader, *, max_terms: int = DEFAULT_MAX_TERMS, deadline: Deadline | None = None
) -> int:
    """Raise ``QueryTooBroad`` when a wildcard, prefix or range part of ``q`` expands to more than
    ``max_terms`` words in a field, the whole query to more than ``TOTAL_FACTOR * max_terms``, or
    the query holds more than ``MAX_EXPANDING_PARTS`` such parts. Returns the words counted."""
    parts = [leaf for leaf in q.leaves() if isinstance(leaf, _EXPANDING)]
    distinct = {_describe(part) for part in parts}
    if len(distinct) > MAX_EXPANDING_PARTS:
        raise QueryTooBroad(
            f"the query has {len(distinct)} wildcard, prefix or range parts; at most {MAX_EXPANDING_PARTS} "
            "are allowed in one search: split it into several searches or use whole words"
        )
    total = 0
    budget = TOTAL_FACTOR * max_terms
    for part in parts:
        count = 0
        for count, _ in enumerate(itertools.islice(part._btexts(reader), max_terms + 1), start=1):
            if deadline is not None and count % _CHECK_EVERY == 0:
                deadline.check("expanding wildcards")
        if count > max_terms:
            raise QueryTooBroad(
                f"'{_describe(part)}' matches more than {max_terms:,} words in {part.fieldname}; {_advice(part)}"
            )
        total += count
        if total > budget:
            raise QueryTooBroad(
                f"the wildcards, prefixes and ranges of this query match more than {budget:,} words together; "
                f"narrow '{_describe(part)}' or search fewer of them at once"
            )
        if deadline is not None:
            deadline.check("expanding wildcards")
    return total
