"""The fused indexing path gives exactly the words and positions of the visible analyzer chain."""

from __future__ import annotations

import gzip
import json
import pickle
from itertools import islice

import pytest
from helpers import EXAMPLES, processed_documents, shared_path
from whoosh.formats import Positions

from index.engine.accel.analysis import CompactPositions, FastPositions, TextAnalyzer
from index.engine.indexer import document_fields
from index.engine.schema import QUOTE_GAP, QUOTE_SEPARATOR, build_schema

SCHEMA = build_schema()
TEXT_FIELDS = [name for name in SCHEMA.names() if isinstance(SCHEMA[name].format, FastPositions)]

TRICKY = [
    "",
    "the",
    "The the THE of a",
    'Of the refugees, the Minister said: "We will not turn back the boats."',
    "Vüsal Hüseynov met Tedros Adhanom Ghebreyesus at the 112th Session of the IOM Council (COVID-19).",
    "Министр внутренних дел заявил, что мигрантов стало больше; й и ё остаются.",
    "Peter O'Neill’s government, U.S. policy, e-mail, 3.5 per cent and İstanbul ǅ ligatures",
    f"{QUOTE_SEPARATOR} chris bowen : we will act {QUOTE_SEPARATOR} scott morrison : the boats have stopped",
    f"the {QUOTE_SEPARATOR} of {QUOTE_SEPARATOR} and",
]


def chain_postings(field, value: str) -> list:
    """Postings as Whoosh's own Positions format computes them through the analyzer chain."""
    return sorted(Positions.word_values(field.format, value, field.analyzer, mode="index"))


def fused_postings(field, value: str) -> list:
    """Postings from the fused ``index_positions`` path."""
    return sorted(field.format.word_values(value, field.analyzer, mode="index"))


@pytest.mark.parametrize("name", TEXT_FIELDS)
@pytest.mark.parametrize("value", TRICKY)
def test_fused_path_matches_the_chain_on_tricky_text(name: str, value: str) -> None:
    field = SCHEMA[name]
    assert isinstance(field.analyzer, TextAnalyzer)
    assert fused_postings(field, value) == chain_postings(field, value)


def test_quotes_are_kept_a_gap_apart_and_stop_words_do_not_count() -> None:
    positions = SCHEMA["said"].analyzer.index_positions(TRICKY[7])
    assert positions["chris"][0] + 1 == positions["bowen"][0]
    assert positions["morrison"][0] - positions["bowen"][0] >= QUOTE_GAP
    assert QUOTE_SEPARATOR not in positions
    body = SCHEMA["body"].analyzer.index_positions("the boats of the people")
    assert dict(body) == {"boat": [1], "peopl": [2]}  # "of the" between them takes no position


def assert_same_postings(documents) -> int:
    checked = 0
    for doc in documents:
        for name, value in document_fields(doc, doc.text_hash).items():
            field = SCHEMA[name]
            if isinstance(field.format, FastPositions):
                assert fused_postings(field, value) == chain_postings(field, value), (doc.id, name)
                checked += 1
    return checked


def test_fused_path_matches_the_chain_on_the_sample_releases() -> None:
    assert assert_same_postings(processed_documents([str(EXAMPLES)])) > 20


@pytest.mark.corpus
def test_fused_path_matches_the_chain_on_trove_releases(tmp_path) -> None:
    corpus = shared_path("trove-refugee-releases/docs.jsonl.gz")
    sample = tmp_path / "trove.jsonl"
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        lines = [line for line in islice(handle, 0, 3000, 25) if json.loads(line).get("text")]
    sample.write_text("".join(lines), encoding="utf-8")
    mapping = {"body": "text", "date": "date", "id": "id"}
    assert assert_same_postings(processed_documents([str(sample)], mapping, limit=400)) > 200


def test_schema_pickles_with_its_fused_analyzers() -> None:
    restored = pickle.loads(pickle.dumps(SCHEMA))
    text = TRICKY[4]
    assert restored["body"].analyzer.index_positions(text) == SCHEMA["body"].analyzer.index_positions(text)
    assert [t.text for t in restored["body"].analyzer(text)] == [t.text for t in SCHEMA["body"].analyzer(text)]


def test_compact_positions_keep_positions_and_frequency() -> None:
    field = SCHEMA["body"]
    assert isinstance(field.format, CompactPositions)
    for positions in ([0], [3, 9, 10], [5, 70_000, 2**31 + 7]):
        value = field.format.encode(positions)
        assert len(value) == 4 * len(positions)
        assert field.format.decode_positions(value) == positions
        assert field.format.decode_frequency(value) == len(positions)
        assert field.format.decode_weight(value) == len(positions) * field.format.field_boost
    (word, freq, weight, value), *_ = fused_postings(field, "refugees refugees")
    assert (word, freq, field.format.decode_positions(value)) == ("refuge", 2, [0, 1])


def test_an_index_written_in_whoosh_positions_encoding_still_answers_phrases(tmp_path) -> None:
    """Indexes written before ``CompactPositions`` keep ``FastPositions`` (Whoosh's encoding) in their schema."""
    import whoosh.index as windex
    from whoosh.qparser import QueryParser

    from index.engine.accel.writer import FastSegmentWriter

    old_schema = build_schema()
    for name in TEXT_FIELDS:
        old_schema[name].format = FastPositions(field_boost=old_schema[name].format.field_boost)
    ix = windex.create_in(str(tmp_path), old_schema)
    writer = FastSegmentWriter(ix)
    writer.add_document(id="a", body="The minister met refugees in the camp.")
    writer.add_document(id="b", body="Refugees met the minister.")
    writer.commit()
    reopened = windex.open_dir(str(tmp_path))
    assert type(reopened.schema["body"].format) is FastPositions
    with reopened.searcher() as searcher:
        hits = searcher.search(QueryParser("body", reopened.schema).parse('"minister met refugees"'))
        assert [hit["id"] for hit in hits] == ["a"]
        postings = searcher.reader().postings("body", "refuge")
        assert postings.value_as("positions") == [3]  # "the" takes position 0, then is dropped
