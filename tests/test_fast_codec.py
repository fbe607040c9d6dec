"""Segments written by ``FastCodec`` hold exactly what Whoosh's stock W3 codec writes."""

from __future__ import annotations

from pathlib import Path

import pytest
import whoosh.index as windex
from helpers import EXAMPLES, processed_documents
from whoosh.codec.whoosh3 import W3Codec

from index.engine.accel import codec as fast_codec
from index.engine.accel import term_writer
from index.engine.accel.codec import FastCodec
from index.engine.indexer import document_fields
from index.engine.schema import build_schema


def _documents():
    return processed_documents([str(EXAMPLES)])


def _build(folder: Path, codec, docs, copies: int) -> windex.Index:
    folder.mkdir()
    ix = windex.create_in(str(folder), build_schema())
    writer = ix.writer(codec=codec)
    for copy in range(copies):  # copies make posting lists long enough to fill compressed blocks
        for doc in docs:
            fields = document_fields(doc, doc.text_hash)
            fields["id"] = f"{doc.id}-{copy}"
            writer.add_document(**fields)
    writer.commit()
    return ix


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    docs = _documents()
    base = tmp_path_factory.mktemp("codecs")
    return _build(base / "stock", W3Codec(), docs, 20), _build(base / "fast", FastCodec(), docs, 20)


def test_every_posting_weight_and_position_is_the_same(pair):
    stock, fast = (ix.reader() for ix in pair)
    terms = list(stock.all_terms())
    assert terms == list(fast.all_terms())
    assert len(terms) > 500
    for fieldname, text in terms:
        if fieldname.startswith("spell_"):
            continue
        assert list(stock.postings(fieldname, text).items_as("weight")) == list(
            fast.postings(fieldname, text).items_as("weight")
        ), (fieldname, text)
        if stock.schema[fieldname].format.supports("positions"):
            assert list(stock.postings(fieldname, text).items_as("positions")) == list(
                fast.postings(fieldname, text).items_as("positions")
            ), (fieldname, text)


def test_field_lengths_and_block_statistics_are_the_same(pair):
    stock, fast = (ix.reader() for ix in pair)
    for fieldname in ("body", "title", "speaker", "said"):
        assert [stock.doc_field_length(n, fieldname) for n in range(stock.doc_count_all())] == [
            fast.doc_field_length(n, fieldname) for n in range(fast.doc_count_all())
        ]
        assert stock.field_length(fieldname) == fast.field_length(fieldname)
    stock_info, fast_info = stock.term_info("body", "refuge"), fast.term_info("body", "refuge")
    assert (stock_info.doc_frequency(), stock_info.max_weight(), stock_info.min_length(), stock_info.max_length()) == (
        fast_info.doc_frequency(),
        fast_info.max_weight(),
        fast_info.min_length(),
        fast_info.max_length(),
    )


def test_small_blocks_are_left_uncompressed_and_large_ones_compressed(pair, monkeypatch):
    calls: list[tuple[int, int]] = []  # (postings in the block, compressions while writing it)
    compressed: list[int] = []
    original_write, original_compress = fast_codec.FastPostingsWriter._write_block, term_writer.compress

    def spy_write(self, last=False):
        before = len(compressed)
        size = len(self._ids)
        result = original_write(self, last)
        calls.append((size, len(compressed) - before))
        return result

    def spy_compress(data, level):
        compressed.append(level)
        return original_compress(data, level)

    monkeypatch.setattr(fast_codec.FastPostingsWriter, "_write_block", spy_write)
    monkeypatch.setattr(term_writer, "compress", spy_compress)
    stock, fast = pair
    _build(Path(fast.storage.folder).parent / "spy", FastCodec(), _documents(), 20)
    assert all(level == 0 for size, level in calls if size < term_writer.COMPRESS_MIN_POSTINGS)
    assert any(level > 0 for size, level in calls if size >= term_writer.COMPRESS_MIN_POSTINGS)
