"""A parsed query (the query language's tree) as OpenSearch's query DSL.

The query language is parsed once, by the same parser for both engines, into terms that are already
analysed (stemmed, folded) with the schema's analyzers; the OpenSearch mapping analyses documents into
the same terms, so each node of the tree becomes an exact ``term``, span or range query and matches
the same documents on both engines. Phrases and said-by searches become ``span_near`` queries (Whoosh
counts a slop of 1 as adjacent, Lucene 0).
"""

from __future__ import annotations

import logging
from datetime import datetime

from whoosh import query as wq
from whoosh.query import spans as wspans

LOGGER = logging.getLogger(__name__)

MATCH_ALL: dict = {"match_all": {}}
MATCH_NONE: dict = {"match_none": {}}


class UntranslatableQuery(ValueError):
    """A query node with no OpenSearch counterpart."""


def _boosted(body: dict, boost: float) -> dict:
    """``body`` with a boost when it is not 1 (on the query inside its one key)."""
    if boost == 1.0:
        return body
    (kind, inner), = body.items()
    if kind in ("term", "prefix", "wildcard", "fuzzy", "regexp", "range", "span_term"):
        (field, params), = inner.items()
        return {kind: {field: {**params, "boost": boost}}}
    return {kind: {**inner, "boost": boost}}


def _text(value: object) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _date(value: datetime | None) -> str | None:
    return value.isoformat(timespec="milliseconds") if value is not None else None


def to_dsl(q: wq.Query) -> dict:
    """The DSL for ``q``; raises ``UntranslatableQuery`` for node kinds the query language never makes."""
    boost = float(getattr(q, "boost", 1.0) or 1.0)
    if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
        return MATCH_NONE
    if isinstance(q, wq.Every):
        return MATCH_ALL if not q.fieldname else {"exists": {"field": q.fieldname}}
    if isinstance(q, wspans.SpanQuery):
        return _boosted(_span(q), boost)
    if isinstance(q, wq.Term) and not isinstance(q, wq.MultiTerm):
        return _boosted({"term": {q.fieldname: {"value": _text(q.text)}}}, boost)
    if isinstance(q, wq.Phrase):
        clauses = [{"span_term": {q.fieldname: {"value": _text(w)}}} for w in q.words]
        if len(clauses) == 1:
            return _boosted({"term": {q.fieldname: {"value": _text(q.words[0])}}}, boost)
        return _boosted({"span_near": {"clauses": clauses, "slop": max(0, q.slop - 1), "in_order": True}}, boost)
    if isinstance(q, wq.Prefix):
        return _boosted({"prefix": {q.fieldname: {"value": _text(q.text)}}}, boost)
    if isinstance(q, wq.Wildcard):
        return _boosted({"wildcard": {q.fieldname: {"value": _text(q.text)}}}, boost)
    if isinstance(q, wq.FuzzyTerm):
        params = {"value": _text(q.text), "fuzziness": q.maxdist, "prefix_length": q.prefixlength}
        return _boosted({"fuzzy": {q.fieldname: params}}, boost)
    if isinstance(q, wq.Regex):
        return _boosted({"regexp": {q.fieldname: {"value": _text(q.text)}}}, boost)
    if isinstance(q, wq.DateRange):
        return _boosted({"range": {q.fieldname: _bounds(_date(q.startdate), _date(q.enddate), q)}}, boost)
    if isinstance(q, (wq.TermRange, wq.NumericRange)):
        return _boosted({"range": {q.fieldname: _bounds(q.start, q.end, q)}}, boost)
    if isinstance(q, wq.ConstantScoreQuery):
        return {"constant_score": {"filter": to_dsl(q.child), "boost": float(q.score)}}
    if isinstance(q, wq.Not):
        return {"bool": {"must": [MATCH_ALL], "must_not": [to_dsl(q.query)]}}
    if isinstance(q, wq.AndNot):
        return _boosted({"bool": {"must": [to_dsl(q.a)], "must_not": [to_dsl(q.b)]}}, boost)
    if isinstance(q, wq.AndMaybe):
        return _boosted({"bool": {"must": [to_dsl(q.a)], "should": [to_dsl(q.b)]}}, boost)
    if isinstance(q, wq.Require):
        return _boosted({"bool": {"must": [to_dsl(q.a)], "filter": [to_dsl(q.b)]}}, boost)
    if isinstance(q, wq.DisjunctionMax):
        return _boosted({"dis_max": {"queries": [to_dsl(s) for s in q.subqueries], "tie_breaker": q.tiebreak}}, boost)
    if isinstance(q, wq.And):
        must, must_not = [], []
        for sub in q.subqueries:
            if isinstance(sub, wq.Not):
                must_not.append(to_dsl(sub.query))
            else:
                must.append(to_dsl(sub))
        body: dict = {"must": must or [MATCH_ALL]}
        if must_not:
            body["must_not"] = must_not
        return _boosted({"bool": body}, boost)
    if isinstance(q, wq.Or):
        should = [to_dsl(s) for s in q.subqueries]
        return _boosted({"bool": {"should": should, "minimum_should_match": max(1, q.minmatch or 0)}}, boost)
    raise UntranslatableQuery(f"{type(q).__name__} cannot be searched on OpenSearch")


def _bounds(start: object, end: object, q: wq.Query) -> dict:
    bounds: dict = {}
    if start is not None:
        bounds["gt" if getattr(q, "startexcl", False) else "gte"] = start
    if end is not None:
        bounds["lt" if getattr(q, "endexcl", False) else "lte"] = end
    return bounds


def _span(q: wq.Query) -> dict:
    """A span query (said-by searches): terms, ordered nears and ors of spans."""
    if isinstance(q, wq.Term):
        return {"span_term": {q.fieldname: {"value": _text(q.text)}}}
    if isinstance(q, wq.Phrase):
        return _span(wspans.SpanNear2([wq.Term(q.fieldname, w) for w in q.words], slop=q.slop, ordered=True))
    if isinstance(q, wspans.SpanNear2):
        clauses = [_span(sub) for sub in q.qs]
        return {"span_near": {"clauses": clauses, "slop": max(0, q.slop - 1), "in_order": bool(q.ordered)}}
    if isinstance(q, wspans.SpanNear):
        clauses = [_span(q.a), _span(q.b)]
        return {"span_near": {"clauses": clauses, "slop": max(0, q.slop - 1), "in_order": bool(q.ordered)}}
    if isinstance(q, wspans.SpanOr):
        return {"span_or": {"clauses": [_span(sub) for sub in q.subqs]}}
    if isinstance(q, wspans.SpanFirst):
        return {"span_first": {"match": _span(q.q), "end": q.limit + 1}}
    raise UntranslatableQuery(f"{type(q).__name__} cannot be a span on OpenSearch")


def terms_in(q: wq.Query) -> list[tuple[str, str]]:
    """(field, term) pairs of a query (for highlights), phrases included."""
    return [(field, _text(text)) for field, text in q.iter_all_terms(phrases=True)]
