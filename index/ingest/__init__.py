"""Ingest: raw inputs through normalization and extraction into the store and the search engine."""
