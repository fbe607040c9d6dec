"""A fused indexing path for the text analyzers of ``index.engine.schema``.

Whoosh analyses a field by passing one ``Token`` object through a chain of generators (tokenizer,
lowercase, stop words, accent folding, stemming), then groups the tokens by word. That chain is the
readable definition of our analysis and stays in use for queries and highlights. Indexing every
release through it costs more than the rest of Whoosh's indexing, so ``TextAnalyzer`` adds
``index_positions()``: the same steps fused into one loop over ``re.findall`` that yields
``{word: [positions]}`` directly. ``CompactPositions`` (the postings format of our text fields)
uses it when indexing; ``tests/test_fast_analysis.py`` checks that both paths give the same words
and positions on real releases.

``CompactPositions`` also stores positions more cheaply than Whoosh's ``Positions`` (which pickles a
list of gaps for every posting): as an array of 32-bit positions, the frequency being its length.
Indexes written before it used ``FastPositions`` (Whoosh's encoding); that class stays so they can
still be read.
"""

from __future__ import annotations

import logging
import struct
import sys
from array import array
from collections import defaultdict
from collections.abc import Iterable
from pickle import dumps

from whoosh.analysis import CharsetFilter, CompositeAnalyzer, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.formats import Positions
from whoosh.system import pack_uint

LOGGER = logging.getLogger(__name__)

TERM_CACHE_LIMIT = 200_000


class TextAnalyzer(CompositeAnalyzer):
    """A visible Whoosh analyzer chain with a fused ``index_positions()`` for indexing.

    The chain must be ``RegexTokenizer | LowercaseFilter [| StopFilter] [| CharsetFilter]
    [| StemFilter] [| gap filter]``; the gap filter (see ``index.engine.schema.QuoteGapFilter``) names its
    ``separator`` and ``gap``.
    """

    def __init__(self, *composables) -> None:
        super().__init__(*composables)
        self._prepare()

    def __getstate__(self) -> dict:
        return {"items": self.items}

    def __setstate__(self, state: dict) -> None:
        self.items = state["items"]
        self._prepare()

    def _prepare(self) -> None:
        """Read the chain's settings into plain attributes for the fused loop."""
        tokenizer, *filters = self.items
        if not isinstance(tokenizer, RegexTokenizer) or not filters or not isinstance(filters[0], LowercaseFilter):
            raise TypeError(f"TextAnalyzer needs RegexTokenizer | LowercaseFilter first, not {self.items!r}")
        self._findall = tokenizer.expression.findall
        self._stops = None
        self._charmap = None
        self._stemfn = None
        self._gap = None
        for item in filters[1:]:
            if isinstance(item, StopFilter):
                if item.max is not None or item.min > 1 or not item.renumber:
                    raise TypeError("TextAnalyzer supports StopFilter(minsize=1, renumber=True) only")
                self._stops = item.stops
            elif isinstance(item, CharsetFilter):
                self._charmap = item.charmap
            elif isinstance(item, StemFilter):
                if item.ignore:
                    raise TypeError("TextAnalyzer does not support stem ignore lists")
                self._stemfn = _stem_function(item)
            elif hasattr(item, "separator") and hasattr(item, "gap"):
                self._gap = (item.separator, item.gap)
            else:
                raise TypeError(f"TextAnalyzer cannot fuse {item!r}")
        self._term_cache: dict[str, str] = {}  # token -> indexed form ("" for a stop word)

    def index_positions(self, value: str) -> dict[str, list[int]]:
        """Every indexed word of ``value`` with its positions, exactly as the chain would give them.

        Tokens are mapped to their indexed forms through the cache in one pass (``map``), stop words
        ("") dropped by ``filter``; only the grouping by word is a Python loop."""
        terms = self._term_cache
        if len(terms) > TERM_CACHE_LIMIT:
            terms.clear()
        raws = self._findall(value)
        mapped = list(map(terms.get, raws))
        if None in mapped:
            for index, term in enumerate(mapped):
                if term is None:
                    raw = raws[index]
                    term = terms.get(raw)  # an earlier token of this value may have filled it
                    if term is None:
                        term = terms[raw] = self._term(raw)
                    mapped[index] = term
        positions: dict[str, list[int]] = defaultdict(list)
        numbered: Iterable[tuple[int, str]]
        if self._stops is not None:
            # StopFilter renumbers: the first kept word keeps the tokenizer's position, the next ones follow it
            first = next((index for index, term in enumerate(mapped) if term), None)
            if first is None:
                return positions
            numbered = enumerate(filter(None, mapped), first)
        else:
            numbered = ((index, term) for index, term in enumerate(mapped) if term)
        separator, gap_size = self._gap if self._gap else (None, 0)
        if separator is None or separator not in mapped:
            for pos, term in numbered:
                positions[term].append(pos)
            return positions
        offset = 0
        for pos, term in numbered:
            if term == separator:
                offset += gap_size
                continue
            positions[term].append(pos + offset)
        return positions

    def _term(self, raw: str) -> str:
        """The indexed form of a token: lower case, accents folded, stemmed; "" for a stop word."""
        text = raw.lower()
        if self._stops is not None and text in self._stops:
            return ""
        if self._charmap is not None and not text.isascii():
            text = text.translate(self._charmap)
        if self._stemfn is not None:
            text = self._stemfn(text)
        return text


def _stem_function(item: StemFilter):
    """The bare stemming function of a StemFilter (without Whoosh's slower LFU cache wrapper)."""
    if item.lang:
        from whoosh.lang import stemmer_for_language

        return stemmer_for_language(item.lang)
    return item.stemfn


def encode_positions(poslist: list[int]) -> bytes:
    """Whoosh's ``Positions.encode``: the count, then the pickled gaps between positions."""
    deltas = poslist
    if len(poslist) > 1:
        deltas = [poslist[0], *(b - a for a, b in zip(poslist, poslist[1:], strict=False))]
    return pack_uint(len(poslist)) + dumps(deltas, 2)


_POSITION_TYPE = "I"  # unsigned 32-bit on every platform CPython supports
_SWAP = sys.byteorder != "little"  # stored little-endian
_pack_one_position = struct.Struct("<I").pack


def encode_compact(poslist: list[int]) -> bytes:
    """``CompactPositions``' encoding: the positions as little-endian unsigned 32-bit integers."""
    if len(poslist) == 1:  # most words of a release occur once
        return _pack_one_position(poslist[0])
    values = array(_POSITION_TYPE, poslist)
    if _SWAP:
        values.byteswap()
    return values.tobytes()


def decode_compact(value: bytes) -> list[int]:
    """The positions ``encode_compact`` stored."""
    values = array(_POSITION_TYPE)
    values.frombytes(value)
    if _SWAP:
        values.byteswap()
    return values.tolist()


class FastPositions(Positions):
    """Whoosh's ``Positions`` postings, computed by ``TextAnalyzer.index_positions`` when indexing."""

    #: How a sorted list of positions is stored (the format's ``encode``, as a plain function).
    encode_list = staticmethod(encode_positions)

    def word_values(self, value, analyzer, **kwargs):
        """(word, frequency, weight, encoded positions) of every word in ``value``."""
        if kwargs.get("mode") != "index" or not isinstance(value, str) or not hasattr(analyzer, "index_positions"):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        encode = self.encode_list
        for word, poslist in analyzer.index_positions(value).items():
            count = len(poslist)
            yield word, count, count * boost, encode(poslist)


class CompactPositions(FastPositions):
    """Positions postings stored as 32-bit positions (4 bytes each, no header): cheaper to write
    and to read than Whoosh's pickled gaps, and no larger once a block is compressed."""

    encode_list = staticmethod(encode_compact)

    def encode(self, poslist: list[int]) -> bytes:
        """The stored value of a sorted list of positions."""
        return encode_compact(poslist)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        """The positions of a stored value."""
        return decode_compact(valuestring)

    def decode_frequency(self, valuestring: bytes) -> int:
        """How often the word occurs: the number of positions."""
        return len(valuestring) // 4

    def decode_weight(self, valuestring: bytes) -> float:
        """The posting's weight: frequency times the field boost."""
        return self.decode_frequency(valuestring) * self.field_boost

    def decode_position_boosts(self, valuestring: bytes) -> list[tuple[int, float]]:
        """(position, 1) pairs: positions carry no boosts."""
        return [(pos, 1) for pos in decode_compact(valuestring)]


assert array(_POSITION_TYPE).itemsize == 4
