"""Compatibility shim: the fast codec now lives in ``index.engine.accel.codec``.

Indexes written before the restructure pickle ``index.fast_codec.FastCodec`` in their table of contents; this
module keeps that path importable so those indexes still open.
"""

from index.engine.accel.codec import FastCodec

__all__ = ["FastCodec"]
