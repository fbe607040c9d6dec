"""The OpenSearch engine: the same documents and searches as the Whoosh engine, on a cluster.

``connection`` reads the settings into a client and index names, ``mapping`` generates the index mapping
from the one schema, ``documents`` turns a document into its OpenSearch source, ``writer`` indexes through
bulk requests with retries and rebuilds behind an alias, ``translate`` turns a parsed query into the
query DSL, and ``reader`` answers searches, facets, suggestions and more-like-this.
"""
