"""Ranking of plain queries: BM25F over OR, a coordination factor, proximity over the candidates.

A plain query (words only: no quotes, fields, operators or wildcards) used to require every word,
which loses releases that use another form of one word or leave one out. Here each query word is a
unit scored with BM25F over title, speaker, event and body (the fields and boosts of
``index.engine.query.FIELD_BOOSTS``), and a release matches when it holds at least ``min_should_match``
of the units. Its score is the sum of the units' scores times ``(matched / units) ** coord``, so
releases holding every word still come first, the others follow instead of vanishing.

The title's share of the score is multiplied by the caller's title trust of each release
(``index.engine.titles.title_trust``), so a stamp, an address or a transcript line in the title
position earns no title boost.
The best ``proximity_depth`` candidates (not only the first page) then get a bonus for query words
standing next to each other in the title (again times its trust) and in the body; stop words are
not indexed but positions close up around them, so "A Last Resort" rewards "a last resort".

Queries with syntax keep the documented query language (``search.query``): words AND-ed, phrases,
AND/OR/NOT, fields (``index.engine.query``). Scores are computed with the vectorised evaluator over
Whoosh's own matchers (``index.engine.accel.vectorized``), so each unit's BM25F is exactly Whoosh's.
"""

from __future__ import annotations

import logging
import math
import re
from bisect import bisect_left
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq

from index.engine.accel.vectorized import evaluate
from index.engine.proximity import smallest_window as heap_window
from index.engine.query import FIELD_BOOSTS, LANGUAGE_FIELDS, drop_stop_words, language_fields

LOGGER = logging.getLogger(__name__)

_SYNTAX_RE = re.compile(r'[:"()*?~^\[\]{}]|(?:^|\s)(?:AND|OR|NOT)(?:\s|$)|(?:^|\s)[+-]\w')
MAX_WORDS = 12


@dataclass(frozen=True)
class RankingSettings:
    """The constants of plain-query ranking (fitted on the tuning half of the judged queries)."""

    coord: float = 6.0  # exponent of the share of query words a release holds
    slack: float = 0.34  # share of the words (rounded down) a release may miss and still match
    proximity_depth: int = 200  # candidates that get proximity evidence
    title_proximity: float = 1.0  # bonus for adjacent words in a trusted title (share of the best score)
    body_proximity: float = 0.7  # the same in the body; halves for each word of gap
    lead_share: float = 1.0  # with a speaker filter: bonus (share of the best score) where that person issued or leads


DEFAULT_SETTINGS = RankingSettings()


def plain_words(text: str) -> list[str] | None:
    """The words of a plain query (stop words left out as the parser does), or None for syntax."""
    text = text.strip()
    if not text or _SYNTAX_RE.search(text):
        return None
    words = drop_stop_words(text).split()
    return words if 1 <= len(words) <= MAX_WORDS else None


def min_should_match(units: int, slack: float) -> int:
    """How many of ``units`` query words a release must hold (one or two words: all of them)."""
    return max(1, units - math.floor(units * slack)) if units > 2 else units


@dataclass(frozen=True)
class UnitTerm:
    """One indexed word a query word stands for in one field (``base``: title, speaker, event, body)."""

    base: str
    fieldname: str
    token: str
    boost: float


def plain_units(builder, words: list[str]) -> tuple[list[list[UnitTerm]], dict[str, list[str]]]:
    """The units of a plain query: per query word that gives any indexed word, its terms in every
    field of ``FIELD_BOOSTS`` (each language present); and the first word of each in title and body
    fields, in query order (for proximity)."""
    schema = builder.schema
    units: list[list[UnitTerm]] = []
    near: dict[str, list[str]] = {}
    for word in words:
        unit: list[UnitTerm] = []
        for base, boost in FIELD_BOOSTS.items():
            names = language_fields(base, builder.languages) if base in LANGUAGE_FIELDS else [base]
            for name in names:
                if name not in schema:
                    continue
                tokens = list(dict.fromkeys(schema[name].process_text(word, mode="query")))
                if tokens and base in ("title", "body"):
                    near.setdefault(name, []).append(tokens[0])
                unit.extend(UnitTerm(base, name, token, boost) for token in tokens)
        if unit:
            units.append(unit)
    return units, near


def plain_query(builder, words: list[str], settings: RankingSettings | None = None) -> wq.Query:
    """What ``rank_plain`` matches, as one query for other engines: at least ``min_should_match`` of the
    units, each unit any of its terms (scores are the engine's own: no coordination or proximity)."""
    settings = settings or DEFAULT_SETTINGS
    units, _ = plain_units(builder, words)
    if not units:
        return wq.NullQuery
    clauses = [wq.Or([wq.Term(t.fieldname, t.token, boost=t.boost) for t in unit]) for unit in units]
    return wq.Or(clauses, minmatch=min_should_match(len(units), settings.slack))


def rank_plain(
    searcher,
    builder,
    words: list[str],
    filter_q,
    passes,
    trust,
    *,
    lead_q=None,
    settings: RankingSettings | None = None,
) -> tuple[list[tuple[int, float]], np.ndarray]:
    """(docnum, score) of every matching release, best first, and the matching document numbers."""
    settings = settings or DEFAULT_SETTINGS
    rest, title, matched, units, near = _unit_scores(searcher, builder, words, passes)
    if not units:
        return [], np.zeros(0, dtype=np.int64)
    docs = _candidates(searcher, matched, units, filter_q, passes, settings)
    titled = title[docs]
    has_title = titled > 0  # trust is read only where the title matched (it scales nothing else)
    titled[has_title] *= trust[docs[has_title]]
    scores = (rest[docs] + titled) * (matched[docs] / units) ** settings.coord
    if lead_q is not None and len(scores):
        lead, _ = evaluate(searcher, lead_q, passes.postings)
        scores = scores + settings.lead_share * float(scores.max()) * np.isin(docs, lead)
    order = np.lexsort((docs, -scores))
    docs, scores = docs[order], scores[order]
    if len(docs) and units > 1:
        scores = _with_proximity(searcher, near, docs, scores, trust, passes, settings)
        order = np.lexsort((docs, -scores))
        docs, scores = docs[order], scores[order]
    ranked = [(int(d), float(s)) for d, s in zip(docs.tolist(), scores.tolist(), strict=True)]
    return ranked, docs


def plain_matches(searcher, builder, words: list[str], filter_q, passes, settings: RankingSettings | None = None):
    """The releases ``rank_plain`` matches (its document numbers, ascending), without scoring them: what
    a search sorted by date and the facet counts of a plain query count, so that every sort and every
    count of one query agree."""
    settings = settings or DEFAULT_SETTINGS
    _, _, matched, units, _ = _unit_scores(searcher, builder, words, passes, scores=False)
    if not units:
        return np.zeros(0, dtype=np.int64)
    return _candidates(searcher, matched, units, filter_q, passes, settings)


def _unit_scores(searcher, builder, words: list[str], passes, *, scores: bool = True):
    """Per document: BM25F of the body-side and title terms, and how many units it holds; with the
    number of units and the proximity terms."""
    size = searcher.doc_count_all()
    rest = np.zeros(size)
    title = np.zeros(size)
    matched = np.zeros(size, dtype=np.int32)
    found, near = plain_units(builder, words)
    for unit in found:
        held = np.zeros(size, dtype=bool)
        for term in unit:
            docs, term_scores = evaluate(
                searcher, wq.Term(term.fieldname, term.token, boost=term.boost), passes.postings
            )
            if not len(docs):
                continue
            if scores:
                (title if term.base == "title" else rest)[docs] += term_scores
            held[docs] = True
        matched += held
    return rest, title, matched, len(found), near


def _candidates(searcher, matched: np.ndarray, units: int, filter_q, passes, settings: RankingSettings) -> np.ndarray:
    candidates = matched >= min_should_match(units, settings.slack)
    if filter_q is not None:
        candidates &= passes.filter_mask(searcher, filter_q)[: searcher.doc_count_all()]
    return np.flatnonzero(candidates)


def _with_proximity(searcher, near, docs, scores, trust, passes, settings: RankingSettings) -> np.ndarray:
    """Scores with the proximity bonus added to the best ``proximity_depth`` candidates.

    Per field, a candidate holding every query word gets ``weight * 0.5 ** gap`` of the best score,
    ``gap`` being the words between them in the shortest stretch that holds them all (0: adjacent).
    """
    head = docs[: settings.proximity_depth]
    scale = float(scores[0]) or 1.0
    scores = scores.copy()
    reader = searcher.reader()
    for fieldname, tokens in near.items():
        unique = list(dict.fromkeys(tokens))[:MAX_WORDS]
        if len(unique) < 2 or not reader.schema[fieldname].format.supports("positions"):
            continue
        if any((fieldname, token) not in reader for token in unique):
            continue
        weight = settings.title_proximity if fieldname.startswith("title") else settings.body_proximity
        lists = [passes.postings.positions(reader, fieldname, token, head.tolist()) for token in unique]
        for index, docnum in enumerate(head.tolist()):
            if all(docnum in found for found in lists):
                gap = max(0, smallest_window([found[docnum] for found in lists]) - len(unique))
                extra = weight * 0.5 ** min(gap, 60)
                if fieldname.startswith("title"):
                    extra *= trust[docnum]
                scores[index] += scale * extra
    return scores


def smallest_window(position_lists: list[list[int]]) -> int:
    """The length of the shortest stretch of text holding one position from every list."""
    if len(position_lists) == 2 and len(position_lists[0]) * len(position_lists[1]) <= _SMALL_PAIR:
        return _nearest_pair(position_lists[0], position_lists[1])
    if len(position_lists) == 2:  # the common case, without a heap: nearest neighbours by bisection
        first, second = np.asarray(position_lists[0]), np.asarray(position_lists[1])
        at = np.searchsorted(second, first)
        after = second[np.minimum(at, len(second) - 1)]
        before = second[np.maximum(at - 1, 0)]
        return int(min(np.abs(after - first).min(), np.abs(first - before).min())) + 1
    return heap_window(position_lists)  # three words or more: the general sweep


_SMALL_PAIR = 4096  # below this many pairs, plain Python beats numpy's per-call cost


def _nearest_pair(first: list[int], second: list[int]) -> int:
    """``smallest_window`` of two short ascending position lists: the same bisection, without numpy."""
    last = len(second) - 1
    best = None
    for position in first:
        at = bisect_left(second, position)
        gap = min(abs(second[min(at, last)] - position), abs(position - second[max(at - 1, 0)]))
        if best is None or gap < best:
            best = gap
    return int(best if best is not None else 0) + 1
