"""The client and index names of the OpenSearch engine, from the settings.

``OPENSEARCH_URL`` may name several nodes (comma-separated); the client spreads requests over them and
retries another node when one is down. Credentials and TLS verification come from the settings too.
Searches and writes go through the alias ``<prefix>-documents``; the concrete index behind it is
``<prefix>-documents-v<mapping version>-<timestamp>``, so a full rebuild can swap it in one step.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from opensearchpy import OpenSearch

LOGGER = logging.getLogger(__name__)


class EngineUnavailable(RuntimeError):
    """The OpenSearch cluster cannot be reached or answered with an error; the message says which."""


@dataclass(frozen=True)
class OpenSearchConfig:
    """Where the cluster is and how to talk to it."""

    urls: tuple[str, ...]
    prefix: str = "migsearch"
    user: str = ""
    password: str = ""
    verify_certs: bool = True
    ca_certs: str = ""
    timeout: float = 30.0
    shards: int = 1
    replicas: int = 1
    bulk_size: int = 500

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> OpenSearchConfig:
        """The configuration from ``OPENSEARCH_*`` settings."""
        urls = tuple(u.strip().rstrip("/") for u in str(settings.get("OPENSEARCH_URL", "")).split(",") if u.strip())
        if not urls:
            raise EngineUnavailable("MIGSEARCH_OPENSEARCH_URL is empty: name at least one node, e.g. http://127.0.0.1:9200")
        return cls(
            urls=urls,
            prefix=str(settings.get("OPENSEARCH_INDEX_PREFIX", "migsearch")).strip().lower() or "migsearch",
            user=str(settings.get("OPENSEARCH_USER", "")),
            password=str(settings.get("OPENSEARCH_PASSWORD", "")),
            verify_certs=bool(settings.get("OPENSEARCH_VERIFY_CERTS", True)),
            ca_certs=str(settings.get("OPENSEARCH_CA_CERTS", "")),
            timeout=float(settings.get("OPENSEARCH_TIMEOUT", 30.0)),
            shards=int(settings.get("OPENSEARCH_SHARDS", 1)),
            replicas=int(settings.get("OPENSEARCH_REPLICAS", 1)),
            bulk_size=max(1, int(settings.get("OPENSEARCH_BULK_SIZE", 500))),
        )

    @property
    def alias(self) -> str:
        """The alias every search and write goes through."""
        return f"{self.prefix}-documents"

    def new_index_name(self, version: int) -> str:
        """A fresh concrete index name for a mapping version."""
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
        return f"{self.alias}-v{version}-{stamp}"

    def client(self) -> OpenSearch:
        """A client over every configured node, retrying another node on connection errors and 502-504."""
        options: dict = {
            "hosts": list(self.urls),
            "timeout": self.timeout,
            "max_retries": 3,
            "retry_on_timeout": True,
            "retry_on_status": (502, 503, 504),
        }
        if self.user:
            options["http_auth"] = (self.user, self.password)
        if any(url.startswith("https://") for url in self.urls):
            options["verify_certs"] = self.verify_certs
            options["ssl_show_warn"] = self.verify_certs
            if self.ca_certs:
                options["ca_certs"] = self.ca_certs
        return OpenSearch(**options)
