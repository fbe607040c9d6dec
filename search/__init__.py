"""Answering queries: request parsing, query building, ranking, filters, facets, highlights, suggestions."""
