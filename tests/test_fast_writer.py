"""Segments written through ``TermGroupedPool`` hold exactly what Whoosh's own writer writes."""

from __future__ import annotations

from pathlib import Path

import pytest
import whoosh.index as windex
from helpers import EXAMPLES, processed_documents
from whoosh.codec.whoosh3 import W3Codec
from whoosh.writing import SegmentWriter

from index.engine.accel.codec import FastCodec, FastFieldWriter
from index.engine.accel.writer import FastMpWriter, FastSegmentWriter, TermGroupedPool
from index.engine.indexer import document_fields
from index.engine.schema import build_schema

COPIES = 15


def _documents():
    return processed_documents([str(EXAMPLES)])


DOCS = _documents()


def _fill(writer, copies: int = COPIES) -> None:
    for copy in range(copies):
        for doc in DOCS:
            fields = document_fields(doc, doc.text_hash)
            fields["id"] = f"{doc.id}-{copy}"
            writer.add_document(**fields)
    writer.commit()


def _index(folder: Path, make_writer, copies: int = COPIES) -> windex.Index:
    folder.mkdir()
    ix = windex.create_in(str(folder), build_schema())
    _fill(make_writer(ix), copies)
    return windex.open_dir(str(folder))


def _postings(ix: windex.Index) -> dict:
    """Every term's postings (docnum, weight, positions) over the whole index, by global docnum."""
    found: dict = {}
    with ix.searcher() as searcher:
        reader = searcher.reader()
        for fieldname, text in reader.all_terms():
            if fieldname.startswith("spell_"):
                continue
            matcher = reader.postings(fieldname, text)
            rows = []
            while matcher.is_active():
                positions = matcher.value_as("positions") if matcher.supports("positions") else None
                rows.append((matcher.id(), matcher.weight(), positions))
                matcher.next()
            found[(fieldname, text)] = rows
        lengths = {
            name: [reader.doc_field_length(n, name) for n in range(reader.doc_count_all())]
            for name in ("body", "title", "said", "speaker")
        }
    return {"postings": found, "lengths": lengths}


@pytest.fixture(scope="module")
def stock(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stock") / "ix"
    return _postings(_index(folder, lambda ix: SegmentWriter(ix, limitmb=256, codec=W3Codec())))


def test_grouped_pool_in_memory_writes_what_whoosh_writes(stock, tmp_path):
    ix = _index(tmp_path / "ix", lambda ix: FastSegmentWriter(ix, limitmb=256, codec=FastCodec()))
    assert len(stock["postings"]) > 500
    assert _postings(ix) == stock


def test_grouped_pool_spilling_to_disk_writes_what_whoosh_writes(stock, tmp_path, monkeypatch):
    saves: list[int] = []
    original = TermGroupedPool.save

    def counting_save(self):
        saves.append(len(self._terms))
        original(self)

    monkeypatch.setattr(TermGroupedPool, "save", counting_save)
    ix = _index(tmp_path / "ix", lambda ix: FastSegmentWriter(ix, limitmb=1, codec=FastCodec()))
    assert len([count for count in saves if count]) >= 2  # the budget was exceeded: runs went to disk
    assert _postings(ix) == stock


def _segment_files(ix: windex.Index) -> dict[str, bytes]:
    """The files inside the index's one compound segment, by name without the segment's random id."""
    from whoosh.filedb.compound import CompoundStorage

    (segment,) = ix._segments()  # noqa: SLF001 - the segment's own files are what is compared
    storage = CompoundStorage(ix.storage.open_file(segment.make_filename(".seg")), use_mmap=False)
    found: dict[str, bytes] = {}
    for name in storage.list():
        handle = storage.open_file(name)
        found[name.replace(segment.segment_id(), "")] = handle.read()
        handle.close()
    storage.close()
    return found


def test_whole_terms_are_written_byte_for_byte_as_block_by_block(tmp_path, monkeypatch):
    """``add_term_groups`` encodes terms held as arrays itself; the postings and term files it writes
    are the bytes the block-by-block path (``add_postings``, one posting at a time) writes."""
    def make(ix):
        return FastSegmentWriter(ix, limitmb=256, codec=FastCodec())

    copies = 40  # enough for posting lists of several blocks
    whole = _index(tmp_path / "whole", make, copies)

    def block_by_block(self, schema, lengths, groups):
        rows = (
            row
            for fieldname, btext, postings in groups
            for row in (postings if isinstance(postings, list) else postings.tuples(fieldname, btext))
        )
        self.add_postings(schema, lengths, rows)

    monkeypatch.setattr(FastFieldWriter, "add_term_groups", block_by_block)
    blocks = _index(tmp_path / "blocks", make, copies)
    mine, theirs = _segment_files(whole), _segment_files(blocks)
    assert len(mine[".pst"]) > 50_000 and len(mine[".trm"]) > 10_000
    assert mine.keys() == theirs.keys()
    for name in mine:
        assert mine[name] == theirs[name], name
    with whole.searcher() as searcher:  # long lists: several blocks, compressed ones among them
        reader = searcher.reader()
        assert max(reader.doc_frequency("body", word) for word in reader.lexicon("body")) > 2 * 128


def test_multi_process_writer_writes_the_same_documents(stock, tmp_path):
    ix = _index(
        tmp_path / "ix",
        lambda ix: FastMpWriter(ix, procs=2, multisegment=True, limitmb=64, batchsize=20, codec=FastCodec()),
    )
    assert len(ix._segments()) == 2  # noqa: SLF001 - one segment per indexing process
    with ix.searcher() as searcher:
        assert searcher.doc_count() == COPIES * len(DOCS)
        ids = [fields["id"] for fields in searcher.all_stored_fields()]
    assert len(set(ids)) == len(ids)
    mine = _postings(ix)["postings"]
    assert mine.keys() == stock["postings"].keys()
    # docnums differ between segments; each term is in as many documents with the same weights
    for key, rows in stock["postings"].items():
        assert sorted((w, p) for _, w, p in mine[key]) == sorted((w, p) for _, w, p in rows), key


def test_a_lost_indexing_process_fails_the_commit_and_leaves_the_index_as_it_was(tmp_path):
    from index.engine.accel.writer import IndexingProcessFailed

    ix = _index(tmp_path / "ix", lambda ix: FastSegmentWriter(ix, limitmb=64, codec=FastCodec()))
    before = ix.doc_count()
    writer = FastMpWriter(ix, procs=2, multisegment=True, limitmb=64, batchsize=5, codec=FastCodec())
    for number, doc in enumerate(DOCS * 3):
        fields = document_fields(doc, doc.text_hash)
        fields["id"] = f"{doc.id}-{number}-more"
        writer.add_document(**fields)
    writer.add_document(id="broken", body=12345)  # fails inside an indexing process, which then exits
    with pytest.raises(IndexingProcessFailed, match="without its segment"):
        writer.commit()
    reopened = windex.open_dir(ix.storage.folder)
    assert reopened.doc_count() == before
    retry = reopened.writer()  # the index lock was released
    retry.cancel()
