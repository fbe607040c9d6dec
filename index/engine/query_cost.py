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

import copy
import logging
import re
import threading

from whoosh import query as wq

from index.engine.budget import Deadline, SearchTimeout, check_current, deadline_scope
from index.engine.contract import QueryError

LOGGER = logging.getLogger(__name__)

# As Lucene's default limit of boolean clauses (1,024): enough for any real prefix or wildcard.
DEFAULT_MAX_TERMS = 1024
TOTAL_FACTOR = 2
MAX_EXPANDING_PARTS = 8
_EXPANDING = (wq.Wildcard, wq.Prefix, wq.TermRange, wq.Regex, wq.FuzzyTerm)
_CHECK_EVERY = 512


class QueryCostError(QueryError):
    """A query refused by the cost model; ``status`` is the HTTP status to answer with."""

    status = 400


class QueryTooBroad(QueryCostError):
    """A wildcard, prefix or range that matches too many words (HTTP 400)."""

    status = 400


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
        return "narrow it: give both ends of the range, closer together"
    if isinstance(part, wq.Prefix):
        return "narrow it: use a longer prefix (more letters before the *)"
    return "narrow it: put more letters around the * or ?, or search whole words"


class Lexicons:
    """Each field's vocabulary of one searcher, read once into sorted memory lists (on first use).

    Whoosh expands a leading wildcard by decoding the field's whole vocabulary from disk, every time;
    matching a compiled pattern against a list in memory is about twenty times quicker, and the
    expansion is computed once per query (the query then carries its words, see ``_with_words``).
    """

    def __init__(self, reader) -> None:
        self.reader = reader
        self._fields: dict[str, tuple[list[bytes], list[str]]] = {}
        self._lock = threading.Lock()

    def vocabulary(self, fieldname: str) -> tuple[list[bytes], list[str]]:
        """The field's words as sorted bytes and, in the same order, as text."""
        found = self._fields.get(fieldname)
        if found is None:
            with self._lock:
                found = self._fields.get(fieldname)
                if found is None:
                    btexts = list(self.reader.lexicon(fieldname)) if fieldname in self.reader.schema else []
                    from_bytes = self.reader.schema[fieldname].from_bytes if btexts else None
                    found = (btexts, [from_bytes(b) for b in btexts] if from_bytes else [])
                    self._fields[fieldname] = found
        return found

    def expand(self, part: wq.Query, limit: int, deadline: Deadline | None = None) -> list[bytes] | None:
        """The words ``part`` stands for, or None when there are more than ``limit``.

        A wildcard with no letters before its first ``*`` or ``?`` is matched against the field's
        vocabulary in memory; prefixes, ranges and anchored wildcards walk only their stretch of the
        sorted vocabulary on disk and stop one word past the limit.
        """
        if isinstance(part, wq.Wildcard) and not part._find_prefix(part.text):
            btexts, texts = self.vocabulary(part.fieldname)
            match = re.compile(part._get_pattern()).match
            words: list[bytes] = []
            for number, text in enumerate(texts):
                if match(text):
                    words.append(btexts[number])
                    if len(words) > limit:
                        return None
                if deadline is not None and number % 8192 == 0:
                    deadline.check("expanding wildcards")
            return words
        words = []
        for number, btext in enumerate(part._btexts(self.reader)):
            words.append(btext)
            if len(words) > limit:
                return None
            if deadline is not None and number % 1024 == 0:
                deadline.check("expanding wildcards")
        return words


_expanded_classes: dict[type, type] = {}


def _with_words(part: wq.Query, words: list[bytes]) -> wq.Query:
    """A copy of ``part`` (same class behaviour, repr and equality) that expands to ``words``."""
    cls = type(part)
    expanded = _expanded_classes.get(cls)
    if expanded is None:

        def _btexts(self, ixreader):  # noqa: ARG001 - Whoosh's signature
            return iter(self.expanded_words)

        expanded = type(f"Expanded{cls.__name__}", (cls,), {"_btexts": _btexts})
        _expanded_classes[cls] = expanded
    clone = copy.copy(part)
    clone.__class__ = expanded
    clone.expanded_words = words
    return clone


def check_expansion(
    q: wq.Query,
    reader,
    *,
    max_terms: int = DEFAULT_MAX_TERMS,
    deadline: Deadline | None = None,
    lexicons: Lexicons | None = None,
) -> wq.Query:
    """``q`` with each wildcard, prefix or range part expanded once (from ``lexicons``); raises
    ``QueryTooBroad`` when a part expands to more than ``max_terms`` words in a field, the whole
    query to more than ``TOTAL_FACTOR * max_terms``, or the query holds more than
    ``MAX_EXPANDING_PARTS`` such parts."""
    parts = [leaf for leaf in q.leaves() if isinstance(leaf, _EXPANDING)]
    if not parts:
        return q
    distinct = {_describe(part) for part in parts}
    if len(distinct) > MAX_EXPANDING_PARTS:
        raise QueryTooBroad(
            f"the query has {len(distinct)} wildcard, prefix or range parts; at most {MAX_EXPANDING_PARTS} "
            "are allowed in one search: split it into several searches or use whole words"
        )
    lexicons = lexicons or Lexicons(reader)
    total = 0
    budget = TOTAL_FACTOR * max_terms
    expansions: dict[int, list[bytes]] = {}
    for part in parts:
        words = lexicons.expand(part, max_terms, deadline)
        if words is None:
            raise QueryTooBroad(
                f"'{_describe(part)}' matches more than {max_terms:,} words in {part.fieldname}; {_advice(part)}"
            )
        total += len(words)
        if total > budget:
            raise QueryTooBroad(
                f"the wildcards, prefixes and ranges of this query match more than {budget:,} words together; "
                f"narrow '{_describe(part)}' or search fewer of them at once"
            )
        expansions[id(part)] = words
        if deadline is not None:
            deadline.check("expanding wildcards")

    def replace(node: wq.Query) -> wq.Query:
        words = expansions.get(id(node))
        return _with_words(node, words) if words is not None else node

    return q.accept(replace)


__all__ = [
    "DEFAULT_MAX_TERMS",
    "Deadline",
    "Lexicons",
    "QueryCostError",
    "QueryTooBroad",
    "SearchTimeout",
    "check_current",
    "check_expansion",
    "deadline_scope",
    "simplify",
]
