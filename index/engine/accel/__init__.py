"""Fast paths over stock Whoosh (analysis, codec, writer, vectorized matching), each proven equal to Whoosh."""
