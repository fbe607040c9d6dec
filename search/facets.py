"""The facets users see: their names and order (counted by the engine, see ``index.engine.contract``)."""

from __future__ import annotations

# Facets shown to users, and the ones counted by value, newest first (the others most frequent first).
PUBLIC_FACETS = ("speaker", "event", "country", "org", "source", "year", "lang")
CHRONOLOGICAL = ("year", "month")
