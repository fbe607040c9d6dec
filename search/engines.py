"""The search service of the configured engine (``ENGINE``: whoosh, the default, or opensearch)."""

from __future__ import annotations

from index.settings import engine_name
from search.service import SearchService


def open_search_service(settings: dict):
    """A ``SearchService`` on Whoosh, or an ``OpenSearchService`` with the same operations."""
    if engine_name(settings) == "opensearch":
        from search.opensearch_service import OpenSearchService

        return OpenSearchService(settings)
    return SearchService(settings)
