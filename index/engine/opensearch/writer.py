"""Writing to OpenSearch: bulk requests with retries and back-off, rebuilds swapped in behind an alias.

Every document goes in as an ``index`` action under its own id, so sending one again after a failure
or a retry never makes a duplicate. Items the cluster answers with 429 (too many requests) or 502-504
(a node or shard not ready) are sent again after a growing pause; a request that does not reach any
node is sent again the same way. What still fails is returned by ``commit``, with its reason, to the
caller, which leaves those documents marked as not indexed in the store (the next run sends them again).

The index refreshes only at a commit (``refresh_interval`` -1), so readers see whole commits, and each
commit records its time in the index's ``_meta``: readers take it as their version, health its age.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable

from opensearchpy import OpenSearch
from opensearchpy.exceptions import ConnectionError as OSConnectionError
from opensearchpy.exceptions import ConnectionTimeout, NotFoundError, TransportError
from opensearchpy.helpers import scan

from index.document import Document
from index.engine.contract import IndexingFailed, RefusedDocument
from index.engine.opensearch.connection import EngineUnavailable, OpenSearchConfig
from index.engine.opensearch.documents import document_source
from index.engine.opensearch.mapping import DUP_SHARED, MAPPING_VERSION, index_body

LOGGER = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 502, 503, 504})
FIRST_PAUSE = 0.5
MAX_PAUSE = 15.0
MAX_ATTEMPTS = 10
FLAG_CHUNK = 10_000  # duplicate keys per request when flagging shared groups (below max_terms_count)


class OpenSearchIndex:
    """The alias, its concrete index and the operations on them."""

    def __init__(self, config: OpenSearchConfig, client: OpenSearch | None = None) -> None:
        self.config = config
        self.client = client or config.client()

    def close(self) -> None:
        """Close the client's connections."""
        self.client.close()

    def live_index(self) -> str | None:
        """The concrete index the alias points to, or None when there is none yet."""
        try:
            if not self.client.indices.exists_alias(name=self.config.alias):
                return None
            found = self.client.indices.get_alias(name=self.config.alias)
        except NotFoundError:
            return None
        except (OSConnectionError, ConnectionTimeout) as exc:
            raise EngineUnavailable(f"OpenSearch at {', '.join(self.config.urls)} cannot be reached: {exc}") from exc
        names = sorted(found)
        return names[-1] if names else None

    def mapping_version(self, index: str) -> int | None:
        """The mapping version recorded in an index's ``_meta``."""
        mapping = self.client.indices.get_mapping(index=index)[index]["mappings"]
        return (mapping.get("_meta") or {}).get("mapping_version")

    def ensure(self) -> str:
        """The live index, created with the current mapping and the alias when there is none."""
        live = self.live_index()
        if live is not None:
            version = self.mapping_version(live)
            if version != MAPPING_VERSION:
                LOGGER.warning(
                    "OpenSearch index %s has mapping version %s, this code writes version %s: run "
                    "'migsearch reindex --full' to rebuild it", live, version, MAPPING_VERSION
                )
            return live
        name = self._create(self.config.replicas)
        self.client.indices.put_alias(index=name, name=self.config.alias)
        LOGGER.info("created OpenSearch index %s behind alias %s", name, self.config.alias)
        return name

    def _create(self, replicas: int) -> str:
        name = self.config.new_index_name(MAPPING_VERSION)
        self.client.indices.create(index=name, body=index_body(self.config.shards, replicas))
        self.client.cluster.health(index=name, wait_for_status="yellow")
        return name

    def rebuild(
        self, documents: Iterable[tuple[Document, str]], *, before_swap: Callable[[str], None] | None = None
    ) -> int:
        """Index ``(document, dup_group)`` pairs into a new index, then move the alias to it in one step.

        Searches keep answering from the old index until the move; the index before it is kept (as
        Whoosh keeps the previous generation) and older ones are deleted. Returns the number of
        documents indexed; when the cluster refuses any, the new index is dropped, the alias stays
        where it was and ``IndexingFailed`` names them.
        """
        name = self._create(replicas=0)
        writer = BulkWriter(self.client, name, self.config.bulk_size)
        count = 0
        try:
            for doc, dup_group in documents:
                writer.add(doc, dup_group)
                count += 1
            failures = writer.commit()
        except BaseException:
            self.client.indices.delete(index=name, ignore_unavailable=True)
            raise
        if failures:
            self.client.indices.delete(index=name, ignore_unavailable=True)
            listed = "; ".join(f"{f.id}: {f.reason[:200]}" for f in failures[:5])
            raise IndexingFailed(
                f"OpenSearch refused {len(failures)} of {count} documents; index not swapped: {listed}"
            )
        self.client.indices.put_settings(
            index=name, body={"index": {"number_of_replicas": self.config.replicas}}
        )
        self.client.cluster.health(index=name, wait_for_status="yellow")
        if before_swap is not None:
            before_swap(name)
        old = self._alias_targets()
        actions = [{"remove": {"index": index, "alias": self.config.alias}} for index in old]
        actions.append({"add": {"index": name, "alias": self.config.alias}})
        self.client.indices.update_aliases(body={"actions": actions})
        self._drop_old(keep={name, *old[-1:]})
        LOGGER.info("rebuilt OpenSearch index %s with %s documents", name, count)
        return count

    def _alias_targets(self) -> list[str]:
        try:
            if not self.client.indices.exists_alias(name=self.config.alias):
                return []
            return sorted(self.client.indices.get_alias(name=self.config.alias))
        except NotFoundError:
            return []

    def _drop_old(self, keep: set[str]) -> None:
        """Delete this prefix's indexes other than ``keep``."""
        pattern = f"{self.config.alias}-v*"
        existing = self.client.indices.get(index=pattern, expand_wildcards="open")
        for index in sorted(set(existing) - keep):
            self.client.indices.delete(index=index, ignore_unavailable=True)

    def drop_all(self) -> None:
        """Delete every index of this prefix (tests and ``reindex`` from scratch)."""
        self.client.indices.delete(index=f"{self.config.alias}-v*", ignore_unavailable=True)


class BulkWriter:
    """Documents buffered and sent in bulk requests of ``batch`` actions; ``commit`` makes them visible.

    The contract's ``EngineWriter`` (``procs`` is ignored: the cluster does the indexing)."""

    def __init__(self, client: OpenSearch, index: str, batch: int = 500, *, owns_client: bool = False) -> None:
        self.client = client
        self.index = index
        self.batch = batch
        self.procs = 1
        self._owns_client = owns_client
        self._actions: list[tuple[dict, dict | None]] = []
        self.failures: list[RefusedDocument] = []
        self.sent = 0
        self.retried = 0  # actions sent again because the cluster was busy (429) or a node was not ready
        self._keys: set[str] = set()  # duplicate keys written since the last commit

    def update(self, doc: Document, dup_group: str) -> None:
        """Add or replace a document (the same as ``add``: documents are indexed under their id)."""
        self.add(doc, dup_group)

    def add(self, doc: Document, dup_group: str) -> None:
        """Add or replace a document."""
        self._actions.append(({"index": {"_index": self.index, "_id": doc.id}}, document_source(doc, dup_group)))
        self._keys.add(dup_group)
        if len(self._actions) >= self.batch:
            self.flush()

    def delete(self, doc_id: str) -> None:
        """Delete a document (no error when it is absent)."""
        self._actions.append(({"delete": {"_index": self.index, "_id": doc_id}}, None))
        if len(self._actions) >= self.batch:
            self.flush()

    def flush(self) -> None:
        """Send the buffered actions, retrying what the cluster could not take yet."""
        pending, self._actions = self._actions, []
        attempt = 0
        while pending:
            retry: list[tuple[dict, dict | None]] = []
            try:
                response = self.client.bulk(body=_lines(pending))
            except (OSConnectionError, ConnectionTimeout) as exc:
                retry, reason = pending, f"no node answered: {exc.__class__.__name__}"
            except TransportError as exc:
                if not isinstance(exc.status_code, int) or exc.status_code not in RETRY_STATUSES:
                    raise
                retry, reason = pending, f"HTTP {exc.status_code}"
            else:
                reason = ""
                for action, item in zip(pending, response["items"], strict=True):
                    op, result = next(iter(item.items()))
                    status = int(result.get("status", 500))
                    if status < 300 or (op in ("delete", "update") and status == 404):
                        self.sent += 1
                    elif status in RETRY_STATUSES:
                        retry.append(action)
                        reason = f"HTTP {status}"
                    else:
                        error = result.get("error") or {}
                        text = error.get("reason", str(error)) if isinstance(error, dict) else str(error)
                        self.failures.append(RefusedDocument(result.get("_id", "?"), f"HTTP {status}: {text}"))
                        LOGGER.warning("OpenSearch refused document %s: %s", result.get("_id"), text)
            if not retry:
                return
            self.retried += len(retry)
            attempt += 1
            if attempt >= MAX_ATTEMPTS:
                for meta, _ in retry:
                    doc_id = next(iter(meta.values()))["_id"]
                    self.failures.append(RefusedDocument(doc_id, f"gave up after {attempt} attempts: {reason}"))
                return
            pause = min(MAX_PAUSE, FIRST_PAUSE * 2 ** (attempt - 1))
            LOGGER.info("OpenSearch busy or a node down (%s): %s actions again in %.1fs", reason, len(retry), pause)
            time.sleep(pause)
            pending = retry

    def commit(self) -> list[RefusedDocument]:
        """Send what is buffered, refresh so searches see it and record the commit's time; the documents
        refused since the last commit."""
        self.flush()
        for attempt in range(MAX_ATTEMPTS):
            try:
                self.client.indices.refresh(index=self.index)
                if self._keys and self._flag_shared_groups(sorted(self._keys)):
                    self.client.indices.refresh(index=self.index)
                self._keys = set()
                meta = {"mapping_version": MAPPING_VERSION, "created_by": "migsearch", "commit": time.time()}
                self.client.indices.put_mapping(index=self.index, body={"_meta": meta})
                break
            except (OSConnectionError, ConnectionTimeout) as exc:
                reason: object = exc
            except TransportError as exc:
                if exc.status_code not in RETRY_STATUSES:
                    raise
                reason = exc
            time.sleep(min(MAX_PAUSE, FIRST_PAUSE * 2**attempt))
        else:
            raise IndexingFailed(f"OpenSearch could not refresh {self.index} ({reason}): changes not visible yet")
        failures, self.failures = self.failures, []
        return failures

    def _flag_shared_groups(self, keys: list[str]) -> int:
        """Flag (``DUP_SHARED``) the documents of the groups among ``keys`` that have several members, so
        facet counts count each such group once; returns how many documents were flagged."""
        flagged = 0
        for start in range(0, len(keys), FLAG_CHUNK):
            chunk = keys[start : start + FLAG_CHUNK]
            several = {"terms": {"field": "dupkey", "size": len(chunk), "shard_size": len(chunk),
                                 "min_doc_count": 2, "shard_min_doc_count": 1}}
            body = {"size": 0, "query": {"terms": {"dupkey": chunk}}, "aggs": {"k": several}}
            shared = [b["key"] for b in self.client.search(index=self.index, body=body)["aggregations"]["k"]["buckets"]]
            if not shared:
                continue
            query = {"bool": {"filter": [{"terms": {"dupkey": shared}}], "must_not": [{"term": {DUP_SHARED: True}}]}}
            for hit in scan(self.client, index=self.index, query={"query": query, "_source": False}):
                action = {"update": {"_index": self.index, "_id": hit["_id"]}}
                self._actions.append((action, {"doc": {DUP_SHARED: True}}))
                flagged += 1
            self.flush()
        return flagged

    def indexed_ids(self) -> Counter:
        """Every document id in the index (each once: documents are indexed under their id), for
        ``reindex``'s check of the index against the store."""
        self.client.indices.refresh(index=self.index)
        hits = scan(self.client, index=self.index, query={"query": {"match_all": {}}, "_source": False})
        return Counter(hit["_id"] for hit in hits)

    def cancel(self) -> None:
        """Forget buffered actions."""
        self._actions = []
        self._keys = set()

    def close(self) -> None:
        """Close the client when this writer opened it."""
        if self._owns_client:
            self.client.close()


def _lines(actions: list[tuple[dict, dict | None]]) -> list[dict]:
    body: list[dict] = []
    for meta, source in actions:
        body.append(meta)
        if source is not None:
            body.append(source)
    return body
