"""Choose the search engine for a data directory from the settings (today: Whoosh, the default)."""

from __future__ import annotations

import logging

from index.engine.contract import Engine
from index.engine.query_cost import DEFAULT_MAX_TERMS
from index.engine.whoosh_engine import WhooshEngine
from index.settings import data_dir as settings_data_dir

LOGGER = logging.getLogger(__name__)

ENGINES = ("whoosh",)


def open_engine(settings: dict) -> Engine:
    """The engine named by ``ENGINE`` (default ``whoosh``) over the settings' data directory."""
    name = str(settings.get("ENGINE", "whoosh") or "whoosh").lower()
    if name != "whoosh":
        raise ValueError(f"unknown search engine {name!r}: choose one of {', '.join(ENGINES)}")
    return WhooshEngine(
        settings_data_dir(settings),
        accelerate=_accelerate(settings),
        max_terms=int(settings.get("MAX_QUERY_TERMS", DEFAULT_MAX_TERMS) or DEFAULT_MAX_TERMS),
    )


def _accelerate(settings: dict) -> bool:
    """Whether the fast paths over stock Whoosh are used (``ACCELERATE``, on unless set false)."""
    value = settings.get("ACCELERATE", True)
    if isinstance(value, str):
        return value.strip().lower() not in ("0", "false", "no", "off", "")
    return bool(value)
