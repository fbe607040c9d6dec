"""Compatibility shim: the fast analysis now lives in ``index.engine.accel.analysis``.

Indexes written before the restructure pickle ``index.fast_analysis.TextAnalyzer`` and ``CompactPositions`` in
their table of contents; this module keeps those paths importable so those indexes still open.
"""

from index.engine.accel.analysis import CompactPositions, FastPositions, TextAnalyzer

__all__ = ["CompactPositions", "FastPositions", "TextAnalyzer"]
