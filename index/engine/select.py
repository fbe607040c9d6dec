"""Choose the search engine for a data directory from the settings (today: Whoosh, the default)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from index.engine.contract import Engine
from index.engine.whoosh_engine import WhooshEngine
from index.settings import as_settings
from index.settings import data_dir as settings_data_dir

LOGGER = logging.getLogger(__name__)

ENGINES = ("whoosh", "opensearch")


def open_engine(settings: Mapping[str, Any]) -> Engine:
    """The engine named by ``ENGINE`` (default ``whoosh``) over the settings' data directory."""
    settings = as_settings(settings)
    name = str(settings.get("ENGINE", "whoosh") or "whoosh").strip().lower()
    if name == "opensearch":
        from index.engine.opensearch.engine import OpenSearchEngine  # only imported when chosen

        return OpenSearchEngine(settings)
    if name != "whoosh":
        raise ValueError(f"unknown search engine {name!r}: choose one of {', '.join(ENGINES)}")
    return WhooshEngine(
        settings_data_dir(settings), accelerate=settings.accelerate, max_terms=settings.max_query_terms
    )
