"""The search requests of the OpenSearch engine: collapsed ranked ids, exact totals and facet counts.

A search is one request: the query and filters, ``collapse`` on the duplicate key (the best document
of each group, with the group's matching count from ``inner_hits``), the total and ``terms``
aggregations for the facets (the chart's years and months too). Totals and facet values count
duplicate groups, as the Whoosh engine does (a release issued several times with the same text counts
once: the number of hits a filter on the value gives): the writer flags the documents of groups with
several members (``DUP_SHARED``), and a count is the matching unflagged documents plus the groups among
the flagged ones (a ``cardinality`` while they are few, else counted page by page). A cardinality over
all documents was tried first: it was off by one now and then at 10,000 releases (hash collisions,
even below its precision), and one per facet value tripped the node's memory circuit breaker. Facet
counts are exact: every shard returns all of its values (``shard_size``), not only its top few.
Partial answers (a shard missing while a node is lost) are refused and asked again, so an answer is
complete or an error.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from opensearchpy import OpenSearch
from opensearchpy.exceptions import ConnectionError as OSConnectionError
from opensearchpy.exceptions import ConnectionTimeout, TransportError

from index.engine.opensearch.connection import EngineUnavailable, OpenSearchConfig
from index.engine.opensearch.mapping import DUP_SHARED
from index.engine.schema import FACETS

LOGGER = logging.getLogger(__name__)

CHRONOLOGICAL = ("year", "month")
SHARD_SIZE = 10_000  # values each shard reports per facet: counts are exact below it
COUNT_SECONDS = 1.0
SEARCH_ATTEMPTS = 8  # about 30 s of pauses in all, while a lost node's shards are taken over
RETRY_STATUSES = frozenset({429, 502, 503, 504})
SHARED_PRECISION = 300  # the cardinality's precision for shared duplicate groups
SHARED_EXACT = 50  # above this many shared groups, they are counted page by page (exact) rather than estimated


@dataclass(frozen=True)
class RankedMatch:
    """One ranked document: its id, score and how many documents of its duplicate group match."""

    doc_id: str
    score: float
    group_matches: int = 1


@dataclass
class Matches:
    """What one search request returns."""

    total: int
    ranked: list[RankedMatch]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def _shared_groups_agg() -> dict:
    """The matching documents of shared duplicate groups, and how many groups they make."""
    groups = {"cardinality": {"field": "dupkey", "precision_threshold": SHARED_PRECISION}}
    return {"filter": {"term": {DUP_SHARED: True}}, "aggs": {"groups": groups}}


def _only_shared(query: dict) -> dict:
    return {"bool": {"must": [query], "filter": [{"term": {DUP_SHARED: True}}]}}


def _facet_agg(name: str, size: int, shared: bool) -> dict:
    """Values of facet ``name`` by document count (years and months by value, newest first); with
    ``shared``, each bucket also counts its documents of shared duplicate groups and those groups."""
    order = [{"_key": "desc"}] if name in CHRONOLOGICAL else [{"_count": "desc"}, {"_key": "asc"}]
    agg: dict = {"terms": {"field": FACETS[name], "size": size, "shard_size": SHARD_SIZE, "order": order}}
    if shared:
        agg["aggs"] = {"shared": _shared_groups_agg()}
    return agg


class SearchCalls:
    """The search requests the engine makes, over the alias of one configuration."""

    def __init__(self, config: OpenSearchConfig, client: OpenSearch | None = None) -> None:
        self.config = config
        self.client = client or config.client()
        self.index = config.alias
        self._documents = 0
        self._shared = 0
        self._counted_at = -COUNT_SECONDS - 1.0

    def _search(self, body: dict) -> dict:
        """One search request; partial answers (a shard missing while a node is lost) are refused and the
        request is sent again after a pause, so a search answers with every match or raises."""
        params = {"allow_partial_search_results": "false"}
        for attempt in range(SEARCH_ATTEMPTS):
            try:
                response = self.client.search(index=self.index, body=body, params=params)
            except (OSConnectionError, ConnectionTimeout) as exc:
                reason: object = exc
            except TransportError as exc:
                if exc.status_code not in RETRY_STATUSES:
                    raise
                reason = exc
            else:
                shards = response.get("_shards", {})
                if not shards.get("failed") and not response.get("timed_out"):
                    return response
                reason = f"{shards.get('failed')} of {shards.get('total')} shards failed"
            pause = min(4.0, 0.25 * 2**attempt)
            LOGGER.info("OpenSearch search incomplete (%s); again in %.2fs", reason, pause)
            time.sleep(pause)
        raise EngineUnavailable(f"OpenSearch at {', '.join(self.config.urls)} did not answer completely: {reason}")

    def exists(self) -> bool:
        """True when the alias points to an index."""
        try:
            return bool(self.client.indices.exists_alias(name=self.index))
        except (OSConnectionError, ConnectionTimeout) as exc:
            raise EngineUnavailable(f"OpenSearch at {', '.join(self.config.urls)} cannot be reached: {exc}") from exc

    def languages(self) -> tuple[str, ...]:
        """Languages of the indexed documents."""
        body = {"size": 0, "aggs": {"lang": {"terms": {"field": "language", "size": 100}}}}
        buckets = self._search(body)["aggregations"]["lang"]["buckets"]
        return tuple(sorted(b["key"] for b in buckets))

    def search(
        self,
        query: dict,
        filters: dict | None,
        *,
        sort: str = "relevance",
        offset: int = 0,
        size: int = 10,
        facets: Mapping[str, int] | None = None,
    ) -> Matches:
        """Ranked groups ``offset..offset+size`` (best document of each), the total number of groups and
        the counts of ``facets`` (name: how many values) over every matching document."""
        self._refresh_counts()
        body: dict = {
            "query": _combine(query, filters),
            "from": offset,
            "size": size,
            "track_total_hits": True,
            "_source": False,
            "collapse": {"field": "dupkey", "inner_hits": {"name": "group", "size": 0}},
            "aggs": {},
        }
        if self._shared:
            body["aggs"]["shared"] = _shared_groups_agg()
        if sort != "relevance":
            order = "asc" if sort == "-date" else "desc"
            # As on Whoosh (``index.engine.reader.date_order``): releases without a date come last either way.
            body["sort"] = [{"date": {"order": order, "missing": "_last"}}]
        for name, limit in (facets or {}).items():
            body["aggs"][f"facet_{name}"] = _facet_agg(name, self._facet_size(name, limit), self._shared > 0)
        response = self._search(body)
        aggs = response.get("aggregations", {})
        total = int(response["hits"]["total"]["value"])
        if self._shared and total:  # documents outside shared groups, plus the shared groups
            total = total - int(aggs["shared"]["doc_count"]) + self._shared_groups(aggs["shared"], body["query"])
        ranked = [
            RankedMatch(
                hit["_id"],
                float(hit.get("_score") or 0.0),
                int(hit["inner_hits"]["group"]["hits"]["total"]["value"]) if "inner_hits" in hit else 1,
            )
            for hit in response["hits"]["hits"]
        ]
        result = Matches(total, ranked)
        for name, limit in (facets or {}).items():
            buckets = aggs[f"facet_{name}"]["buckets"]
            result.facets[name] = self._facet_counts(name, buckets, body["query"], limit)
        return result

    def _facet_size(self, name: str, limit: int) -> int:
        """How many values to ask for: ``limit``, more when duplicate groups can reorder the values."""
        return limit if name in CHRONOLOGICAL or not self._shared else 2 * limit + 10

    def _facet_counts(self, name: str, buckets: list[dict], query: dict, limit: int) -> list[tuple[str, int]]:
        """(value, duplicate groups) of a facet's best ``limit`` values, as Whoosh counts them.

        A value's count is its documents outside shared duplicate groups plus the shared groups among
        its documents (a ``cardinality``, recounted page by page when large). Without shared groups in
        the index the document counts are the answer. Otherwise the buckets come by document count, which
        is never below the group count: when the last bucket fetched has fewer documents than the
        ``limit``-th group count, no value left out can enter; else every value is asked for again.
        """
        if not self._shared:  # every document is its own group
            return [(str(b["key"]), int(b["doc_count"])) for b in buckets[:limit]]
        counts = [self._group_count(name, bucket, query) for bucket in buckets]
        if name in CHRONOLOGICAL:
            return counts[:limit]
        ranked = sorted(counts, key=lambda pair: (-pair[1], pair[0]))
        asked = self._facet_size(name, limit)
        if len(buckets) >= asked and len(ranked) >= limit and int(buckets[-1]["doc_count"]) >= ranked[limit - 1][1]:
            body = {"size": 0, "query": query, "aggs": {"f": _facet_agg(name, SHARD_SIZE, True)}}
            everything = self._search(body)["aggregations"]["f"]["buckets"]
            ranked = sorted((self._group_count(name, b, query) for b in everything),
                            key=lambda pair: (-pair[1], pair[0]))
        return ranked[:limit]

    def _group_count(self, name: str, bucket: dict, query: dict) -> tuple[str, int]:
        """(value, duplicate groups) of one bucket: documents outside shared groups, plus shared groups."""
        value, docs = str(bucket["key"]), int(bucket["doc_count"])
        held = {"bool": {"must": [query], "filter": [{"term": {FACETS[name]: {"value": value}}}]}}
        return (value, docs - int(bucket["shared"]["doc_count"]) + self._shared_groups(bucket["shared"], held))

    def _shared_groups(self, shared: dict, query: dict) -> int:
        """Shared duplicate groups among the matches of ``query``, from a ``_shared_groups_agg`` answer:
        its cardinality where that is small, else counted exactly page by page (hash collisions make a
        cardinality off by one now and then, even below its precision)."""
        docs = int(shared["doc_count"])
        if not docs:
            return 0
        groups = int(shared["groups"]["value"])
        if groups > SHARED_EXACT:
            return self._exact_groups(_only_shared(query))
        return max(1, min(groups, docs))

    def _refresh_counts(self) -> None:
        """The index's number of documents and of documents in shared duplicate groups, looked up at most
        every ``COUNT_SECONDS`` (a document added since is at most a second old)."""
        now = time.monotonic()
        if now - self._counted_at > COUNT_SECONDS:
            self._documents = self.count()
            shared = {"size": 0, "track_total_hits": True, "query": {"term": {DUP_SHARED: True}}}
            self._shared = int(self._search(shared)["hits"]["total"]["value"]) if self._documents else 0
            self._counted_at = now

    def _exact_groups(self, query: dict) -> int:
        """The number of distinct duplicate keys among the matches, counted page by page."""
        count, after = 0, None
        while True:
            composite: dict = {"size": 10_000, "sources": [{"k": {"terms": {"field": "dupkey"}}}]}
            if after:
                composite["after"] = after
            aggs = self._search({"size": 0, "query": query, "aggs": {"g": {"composite": composite}}})["aggregations"]
            buckets = aggs["g"]["buckets"]
            count += len(buckets)
            after = aggs["g"].get("after_key")
            if not buckets or not after:
                return count

    def facet_values(self, name: str) -> list[tuple[str, int]]:
        """Every value of a facet with its document count, in value order (paged: no limit)."""
        values: list[tuple[str, int]] = []
        after = None
        while True:
            composite: dict = {"size": 10_000, "sources": [{"v": {"terms": {"field": FACETS[name]}}}]}
            if after:
                composite["after"] = after
            aggs = self._search({"size": 0, "aggs": {"c": {"composite": composite}}})["aggregations"]["c"]
            values += [(str(b["key"]["v"]), int(b["doc_count"])) for b in aggs["buckets"]]
            after = aggs.get("after_key")
            if not aggs["buckets"] or not after:
                return values

    def words_with_prefix(self, fieldname: str, prefix: str, limit: int) -> list[tuple[str, int]]:
        """Indexed words of ``fieldname`` starting with ``prefix``, with their document frequency."""
        include = re.sub(r"([.?+*|{}\[\]()\"\\#@&<>~])", r"\\\1", prefix) + ".*"
        body = {"size": 0, "aggs": {"w": {"terms": {"field": fieldname, "include": include, "size": limit,
                                                     "shard_size": SHARD_SIZE}}}}
        return [(str(b["key"]), int(b["doc_count"])) for b in self._search(body)["aggregations"]["w"]["buckets"]]

    def holds(self, fieldname: str, value: str) -> bool:
        """True when a document has exactly ``value`` in keyword field ``fieldname``."""
        body = {"size": 0, "track_total_hits": 1, "query": {"term": {fieldname: {"value": value}}}}
        return self._search(body)["hits"]["total"]["value"] > 0

    def is_known(self, word: str, fieldnames: list[str]) -> bool:
        """True when any of the fields holds ``word`` (analysed by each field's own analyzer)."""
        query = {"bool": {"should": [{"match": {name: word}} for name in fieldnames], "minimum_should_match": 1}}
        body = {"size": 0, "track_total_hits": 1, "query": query}
        return self._search(body)["hits"]["total"]["value"] > 0

    def correction(self, word: str, fieldname: str) -> str | None:
        """The most frequent indexed word of ``fieldname`` within two edits of ``word`` (same first letter)."""
        suggest = {"fix": {"text": word, "term": {"field": fieldname, "suggest_mode": "always", "max_edits": 2,
                                                   "prefix_length": 1, "min_word_length": 4, "size": 1,
                                                   "sort": "frequency"}}}
        response = self._search({"size": 0, "suggest": suggest})
        for entry in response.get("suggest", {}).get("fix", []):
            for option in entry.get("options", []):
                return str(option["text"])
        return None

    def more_like_this(self, doc_id: str, text: str, fieldname: str, size: int) -> list[tuple[str, float]]:
        """Documents whose key words in ``fieldname`` resemble ``text`` (document ``doc_id`` left out)."""
        # Any one shared key word qualifies, as in Whoosh's more_like (OpenSearch's default asks for 30 %
        # of them, which leaves a release in a small or uneven collection with no neighbours at all).
        like = {"more_like_this": {"fields": [fieldname], "like": text, "min_term_freq": 1, "min_doc_freq": 1,
                                   "max_query_terms": 25, "minimum_should_match": 1}}
        query = {"bool": {"must": [like], "must_not": [{"ids": {"values": [doc_id]}}]}}
        response = self._search({"size": size, "_source": False, "query": query})
        return [(hit["_id"], float(hit["_score"] or 0.0)) for hit in response["hits"]["hits"]]

    def count(self) -> int:
        """Number of searchable documents."""
        return int(self.client.count(index=self.index)["count"])


def _combine(query: dict, filters: dict | None) -> dict:
    if filters is None:
        return query
    return {"bool": {"must": [query], "filter": [filters]}}
