"""The search engine: the only package that imports Whoosh (schema, writing, generations, reading, queries)."""
