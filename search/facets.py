"""The facets users see, from the one registry (``index/facets.py``); the engine counts them."""

from __future__ import annotations

from index.facets import CHRONOLOGICAL, FACET_LABELS, FILTER_LABELS, FILTERS, PUBLIC_FACETS

__all__ = ["CHRONOLOGICAL", "FACET_LABELS", "FILTERS", "FILTER_LABELS", "PUBLIC_FACETS"]
