"""Compatibility shim: the schema now lives in ``index.engine.schema``.

Indexes written before the restructure pickle ``index.schema.QuoteGapFilter`` in their table of contents;
this module keeps that path importable so those indexes still open. New code imports ``index.engine.schema``.
"""

from index.engine.schema import QuoteGapFilter

__all__ = ["QuoteGapFilter"]
