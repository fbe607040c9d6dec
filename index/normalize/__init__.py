"""Normalization: raw bytes (HTML, text, records) to a clean title, body, language and metadata."""
