"""The search service on the OpenSearch engine: the same operations and results as ``SearchService``.

Queries are parsed by the same ``QueryBuilder`` as on Whoosh (so the query language means the same
thing), translated to the query DSL and answered by ``index.engine.opensearch.reader``. Hits are filled
in from the document store and their snippets cut from its text, exactly as on Whoosh; what differs is
the ranking (OpenSearch's BM25 per field, summed, instead of Whoosh's BM25F with a proximity re-rank).
"""

from __future__ import annotations

import json
import logging
import threading
import time

from index.engine.opensearch.connection import OpenSearchConfig
from index.engine.opensearch.reader import OpenSearchReader, RankedMatch
from index.engine.opensearch.translate import UntranslatableQuery, to_dsl
from index.engine.query import QueryBuilder
from index.engine.schema import build_schema, field_suffix
from index.settings import data_dir as settings_data_dir
from index.store.documents import DocumentStore
from search.facets import PUBLIC_FACETS
from search.highlight import highlight_paragraphs, snippet
from search.histogram import period
from search.request import QueryError, SearchRequest
from search.results import FacetValue, Hit, SearchResult
from search.suggest import MIN_WORD_FOR_CORRECTION, fold

LOGGER = logging.getLogger(__name__)

LANGUAGES_CHECK_SECONDS = 1.0  # as Whoosh's service looks for a changed index twice a second
MONTHLY_SPAN_YEARS = 2
COLUMNS = "id, source, url, title, date, language, speakers, events, organisations, countries"


class OpenSearchService:
    """Search, documents, facets, suggestions and health over an OpenSearch cluster and a document store."""

    def __init__(self, settings: dict) -> None:
        self.settings = settings
        self.data_dir = settings_data_dir(settings)
        self.config = OpenSearchConfig.from_settings(settings)
        self.reader = OpenSearchReader(self.config)
        self.schema = build_schema()
        self._lock = threading.RLock()
        self._builder: QueryBuilder | None = None
        self._checked = 0.0
        self._store: DocumentStore | None = None

    @property
    def store(self) -> DocumentStore:
        """The document store (opened on first use)."""
        if self._store is None:
            self._store = DocumentStore(self.data_dir)
        return self._store

    def close(self) -> None:
        """Close the store and the client's connections."""
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None
            self.reader.client.close()

    def _query_builder(self) -> QueryBuilder | None:
        """A parser for the languages present in the index (checked at most every second)."""
        now = time.monotonic()
        if self._builder is not None and now - self._checked < LANGUAGES_CHECK_SECONDS:
            return self._builder
        self._checked = now
        if not self.reader.exists():
            self._builder = None
            return None
        present = {"en", *(lang for lang in self.reader.languages() if field_suffix(lang))}
        languages = tuple(sorted(present))
        if self._builder is None or self._builder.languages != languages:
            self._builder = QueryBuilder(self.schema, languages)
        return self._builder

    def _dsl(self, builder: QueryBuilder, req: SearchRequest, *, lead: bool = True):
        q = builder.parse(req.q)
        if lead:
            q = builder.favour_lead_speaker(q, req)
        filter_q = builder.filters(req)
        try:
            return q, to_dsl(q), (to_dsl(filter_q) if filter_q is not None else None)
        except UntranslatableQuery as exc:
            raise QueryError(f"this query cannot be searched on OpenSearch: {exc}") from exc

    # -- search --------------------------------------------------------------------------------

    def search(self, req: SearchRequest, *, facets: bool = True, highlight: bool = True) -> SearchResult:
        """Ranked, filtered, highlighted hits with facet counts and a spelling suggestion."""
        started = time.perf_counter()
        with self._lock:
            builder = self._query_builder()
            if builder is None:
                return SearchResult(req, 0, [], {}, None, 0.0)
            q, query, filters = self._dsl(builder, req)
            # As on Whoosh: by relevance only with query words; otherwise newest first, or oldest with -date.
            sort = "relevance" if req.q and req.sort == "relevance" else ("-date" if req.sort == "-date" else "date")
            matches = self.reader.search(
                query, filters, sort=sort, offset=(req.page - 1) * req.per_page, size=req.per_page,
                facets=PUBLIC_FACETS if facets else (), histogram=facets,
            )
            hits = self._hits(builder, q, matches.ranked, highlight=highlight) if matches.total else []
            facet_counts = {}
            if facets and matches.total:
                facet_counts = {n: [FacetValue(v, c) for v, c in matches.facets[n]] for n in PUBLIC_FACETS}
            bars = _bars(matches.years, matches.months) if facets else []
            suggestion = self._did_you_mean(builder, req.q) if req.q and matches.total < 3 else None
        took = (time.perf_counter() - started) * 1000
        return SearchResult(req, matches.total, hits, facet_counts, suggestion, took, histogram=bars)

    def _hits(self, builder: QueryBuilder | None, q, ranked: list[RankedMatch], *, highlight: bool) -> list[Hit]:
        ids = [match.doc_id for match in ranked]
        rows = self.store.get_many(ids, columns=COLUMNS + (", body" if highlight else ""))
        hits: list[Hit] = []
        for match in ranked:
            row = rows.get(match.doc_id)
            if row is None:
                continue
            text = ""
            if highlight and builder is not None:
                fieldname = "body" + field_suffix(row["language"])
                words = builder.terms_for_highlight(q, fieldname)
                text = snippet(row["body"], words, self.schema[fieldname].analyzer)
            hits.append(
                Hit(
                    id=row["id"], title=row["title"], url=row["url"], source=row["source"], date=row["date"],
                    language=row["language"], speakers=json.loads(row["speakers"]),
                    events=json.loads(row["events"]), organisations=json.loads(row["organisations"]),
                    countries=json.loads(row["countries"]), score=match.score, snippet=text,
                    duplicates=max(0, match.group_matches - 1),
                )
            )
        return hits

    # -- documents -----------------------------------------------------------------------------

    def get_document(self, doc_id: str, *, highlight: str = "") -> dict | None:
        """The stored document as a dict, with ``body_html`` (escaped, query words in ``<mark>``)."""
        doc = self.store.get(doc_id)
        if doc is None:
            return None
        data = doc.to_dict()
        fieldname = "body" + field_suffix(doc.language)
        words: set[str] = set()
        if highlight:
            with self._lock:
                builder = self._query_builder() or QueryBuilder(self.schema, ("en",))
            try:
                words = builder.terms_for_highlight(builder.parse(highlight), fieldname)
            except QueryError:
                words = set()
        data["body_html"] = highlight_paragraphs(doc.body, words, self.schema[fieldname].analyzer)
        return data

    def more_like_this(self, doc_id: str, limit: int = 5) -> list[Hit]:
        """Documents whose key terms resemble this one's (its duplicates left out)."""
        with self._lock:
            if self._query_builder() is None:
                return []
            row = self.store.get_many([doc_id], columns="id, language, dup_group").get(doc_id)
            if row is None or not self.reader.has_document(doc_id):
                return []
            fieldname = "body" + field_suffix(row["language"])
            found = self.reader.more_like_this(doc_id, fieldname, limit * 3)
            groups = self.store.dup_groups([found_id for found_id, _ in found])
            seen = {row["dup_group"]}
            chosen: list[RankedMatch] = []
            for found_id, score in found:
                group = groups.get(found_id)
                if group in seen:
                    continue
                seen.add(group)
                chosen.append(RankedMatch(found_id, score))
                if len(chosen) >= limit:
                    break
            return self._hits(None, None, chosen, highlight=False)

    # -- facets, suggestions, histogram, health ------------------------------------------------

    def facets(self, req: SearchRequest, *, limit: int = 50) -> dict:
        """Facet counts for a request, with more values than a search page shows."""
        with self._lock:
            builder = self._query_builder()
            if builder is None:
                return {name: [] for name in PUBLIC_FACETS}
            _, query, filters = self._dsl(builder, req, lead=False)
            matches = self.reader.search(query, filters, size=0, facets=PUBLIC_FACETS, facet_limit=limit)
            return {n: [FacetValue(v, c) for v, c in matches.facets[n]] for n in PUBLIC_FACETS}

    def histogram(self, req: SearchRequest) -> list[dict]:
        """Matching documents per year, or per month when the dates span at most three years."""
        with self._lock:
            builder = self._query_builder()
            if builder is None:
                return []
            _, query, filters = self._dsl(builder, req, lead=False)
            matches = self.reader.search(query, filters, size=0, histogram=True)
            return _bars(matches.years, matches.months)

    def suggest(self, prefix: str, limit: int = 10) -> list[dict]:
        """Completions for a prefix: speakers and events, then title words; most frequent first."""
        folded = fold(prefix.strip())
        with self._lock:
            if not folded or self._query_builder() is None:
                return []
            last_words = folded.split()
            found: list[tuple[int, int, str, str]] = []
            for kind in ("speaker", "event"):
                for value, count in self.reader.facet_values(kind):
                    folded_value = fold(value)
                    if folded_value.startswith(folded) or (
                        len(last_words) == 1 and any(word.startswith(folded) for word in folded_value.split())
                    ):
                        found.append((0, -count, value, kind))
            found.sort()
            suggestions = [{"value": value, "kind": kind} for _, _, value, kind in found[:limit]]
            if len(suggestions) < limit and len(last_words) == 1 and len(folded) >= 2:
                words = self.reader.words_with_prefix("title.words", folded, limit * 2)
                seen = {s["value"].casefold() for s in suggestions}
                for word, _ in sorted(words, key=lambda pair: (-pair[1], pair[0])):
                    if word not in seen:
                        suggestions.append({"value": word, "kind": "title"})
                        seen.add(word)
                    if len(suggestions) >= limit:
                        break
            return suggestions

    def _did_you_mean(self, builder: QueryBuilder, text: str) -> str | None:
        """The query with misspelt plain words replaced by the closest indexed title word, or None."""
        if any(ch in text for ch in ':"*?~'):
            return None
        suffixes = sorted({field_suffix(lang) for lang in builder.languages})
        known_fields = [f for s in suffixes for f in (f"body{s}", f"title{s}")] + ["speaker", "event", "org", "country"]
        changed, corrected = False, []
        for token in text.split():
            word = token.casefold()
            if len(word) < MIN_WORD_FOR_CORRECTION or not word.isalpha() or token in ("AND", "OR", "NOT"):
                corrected.append(token)
                continue
            if self.reader.is_known(token, known_fields):
                corrected.append(token)
                continue
            best = None
            for suffix in suffixes:
                best = self.reader.correction(word, f"title{suffix}.words")
                if best:
                    break
            if best and best != word:
                corrected.append(best)
                changed = True
            else:
                corrected.append(token)
        return " ".join(corrected) if changed else None

    def health(self) -> dict:
        """Whether an index is present, how many documents it holds, and its age in seconds."""
        with self._lock:
            if not self.reader.exists():
                return {"ok": False, "index_present": False, "documents": 0, "index_age_seconds": None}
            age = self.reader.age_seconds()
            return {
                "ok": True,
                "index_present": True,
                "documents": self.reader.count(),
                "index_age_seconds": round(age, 1) if age is not None else None,
            }


def _bars(years: list[tuple[str, int]], months: list[tuple[str, int]]) -> list[dict]:
    """Chart bars, oldest first: per year, or per month when the years span at most three."""
    if not years:
        return []
    if int(years[-1][0]) - int(years[0][0]) <= MONTHLY_SPAN_YEARS:
        return [period(value, count) for value, count in months]
    return [period(value, count) for value, count in years]
