"""The engine contract (``index.engine.contract``), checked on every engine with the same documents.

Each engine (Whoosh, with and without its fast paths, and OpenSearch on a real node) must: report what
it holds, match and rank with duplicates collapsed, count facets over every match, give highlight terms
and analysis, write, update, delete and commit, and rebuild with an atomic swap while a reader stays open.
"""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from index.engine.contract import (
    Engine,
    EngineReader,
    EngineWriter,
    FacetCount,
    MatchRequest,
    QueryError,
    RankedHit,
)
from index.engine.lock import WriteLock
from index.engine.select import open_engine
from index.store.documents import DocumentStore

ENGINES = [
    pytest.param({"ACCELERATE": True}, id="whoosh-accelerated"),
    pytest.param({"ACCELERATE": False}, id="whoosh-stock"),
    pytest.param({"ENGINE": "opensearch"}, id="opensearch"),
]


@pytest.fixture(params=ENGINES)
def engine_settings(request, examples_settings: dict) -> dict:
    """The examples' data directory, read through one engine configuration (OpenSearch: the session's
    real node, an index of its own built from the same stored documents)."""
    settings = {**examples_settings, **request.param}
    if settings.get("ENGINE") == "opensearch":
        node = request.getfixturevalue("opensearch_node")
        settings.update(
            OPENSEARCH_URL=",".join(node.urls),
            OPENSEARCH_INDEX_PREFIX=f"contract-{uuid.uuid4().hex[:12]}",
            OPENSEARCH_REPLICAS=0,
        )
        with WriteLock(settings["DATA_DIR"]):
            open_engine(settings).rebuild(iter(_stored(settings)))
    return settings


@pytest.fixture
def engine(engine_settings: dict) -> Engine:
    return open_engine(engine_settings)


@pytest.fixture
def reader(engine: Engine):
    reader = engine.reader()
    yield reader
    reader.close()


def _stored(settings: dict) -> list:
    """Every stored document with its duplicate group, as the pipeline hands them to engines."""
    with DocumentStore(settings["DATA_DIR"]) as store:
        documents = list(store.iter_documents())
        groups = store.dup_groups([doc.id for doc in documents])
    return [(doc, groups[doc.id]) for doc in documents]


def test_the_engine_and_its_parts_implement_the_protocols(engine: Engine, reader) -> None:
    assert isinstance(engine, Engine)
    assert isinstance(reader, EngineReader)
    assert engine.exists()
    assert reader.version() is not None


def test_an_empty_query_matches_every_document_newest_first(engine_settings: dict, reader) -> None:
    pairs = _stored(engine_settings)
    documents = [doc for doc, _ in pairs]
    result = reader.match(MatchRequest(sort="date"), offset=0, limit=100, facets={"year": 100, "lang": 10})
    assert result.total == len({group for _, group in pairs})
    assert sum(hit.duplicates + 1 for hit in result.hits) == len(documents)
    ids = [hit.id for hit in result.hits]
    assert set(ids) <= {doc.id for doc in documents}
    assert all(isinstance(hit, RankedHit) for hit in result.hits)
    dates = {doc.id: doc.date for doc in documents}
    dated = [dates[i] for i in ids if dates[i] is not None]
    assert dated == sorted(dated, reverse=True)
    years = result.facets["year"]
    assert all(isinstance(f, FacetCount) for f in years)
    assert [f.value for f in years] == sorted((f.value for f in years), reverse=True)
    assert sum(f.count for f in result.facets["lang"]) == result.total  # a duplicate group counts once


def test_words_rank_and_window(reader) -> None:
    first = reader.match(MatchRequest(text="refugee"), offset=0, limit=3)
    assert first.total >= 3
    scores = [hit.score for hit in first.hits]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    second = reader.match(MatchRequest(text="refugee"), offset=1, limit=2)
    assert [hit.id for hit in second.hits] == [hit.id for hit in first.hits[1:3]]
    assert reader.match(MatchRequest(text="zzzxqwnothing"), offset=0, limit=10).total == 0


def test_filters_and_dates_narrow_the_match(engine_settings: dict, reader) -> None:
    documents = [doc for doc, _ in _stored(engine_settings)]
    source = documents[0].source
    result = reader.match(MatchRequest(source=source), offset=0, limit=100)
    assert {hit.id for hit in result.hits} <= {doc.id for doc in documents if doc.source == source}
    assert result.total >= 1
    since = date(2024, 1, 1)
    dated = reader.match(MatchRequest(date_from=since), offset=0, limit=100)
    by_id = {doc.id: doc for doc in documents}
    assert dated.hits and all(by_id[hit.id].date and by_id[hit.id].date >= since for hit in dated.hits)
    counts = reader.facet_counts(MatchRequest(date_from=since), {"year": 10})
    assert sum(f.count for f in counts["year"]) == sum(1 for doc in documents if doc.date and doc.date >= since)


def test_unparseable_queries_raise_query_error_or_match_words(reader) -> None:
    try:
        reader.match(MatchRequest(text='title:(("'), offset=0, limit=5)
    except QueryError as exc:
        assert str(exc)


def test_highlight_terms_and_analysis_agree(reader) -> None:
    terms = reader.highlight_terms("refugees detention", "en")
    assert terms and all(isinstance(term, str) for term in terms)
    analyze = reader.analyze("en")
    assert set(analyze("refugees")) <= terms
    assert set(analyze("detention")) <= terms
    assert not set(analyze("banana")) & terms


def test_vocabulary_answers(reader) -> None:
    speakers = reader.facet_values("speaker")
    assert speakers and all(f.count >= 1 for f in speakers)
    assert "en" in reader.languages()
    assert reader.is_known("refugee", reader.languages())
    assert not reader.is_known("qqqzzzx", reader.languages())
    words = reader.prefix_words("ref")
    assert words and all(f.value.startswith("ref") for f in words)


def test_more_like_this_leaves_the_document_out(engine_settings: dict, reader) -> None:
    doc, _ = _stored(engine_settings)[0]
    similar = reader.more_like_this(doc.id, doc.body, doc.language, 5)
    assert doc.id not in {hit.id for hit in similar}
    assert len(similar) <= 5


def test_writer_adds_updates_deletes_and_commits(engine_settings: dict, engine: Engine) -> None:
    doc, group = _stored(engine_settings)[0]

    def visible() -> tuple[int, bool]:
        """Documents and whether ``doc`` matches, seen by a reader opened now (refreshing a Whoosh
        searcher after a delete-only commit reuses the old segment reader: see issue 12)."""
        reader = engine.reader()
        try:
            ids = {hit.id for hit in reader.match(MatchRequest(), offset=0, limit=100).hits}
            return reader.health().documents, doc.id in ids
        finally:
            reader.close()

    before, present = visible()
    assert present
    with WriteLock(engine_settings["DATA_DIR"]):
        writer = engine.writer()
        assert isinstance(writer, EngineWriter)
        writer.delete(doc.id)
        assert visible() == (before, True)  # nothing visible before the commit
        writer.commit()
        assert visible() == (before - 1, False)
        writer.add(doc, group)
        writer.commit()
        assert visible() == (before, True)
        writer.update(doc, group)
        writer.commit()
        assert visible() == (before, True)
        writer.delete(doc.id)
        writer.cancel()
        writer.close()
    assert visible() == (before, True)


def test_rebuild_swaps_atomically_while_a_reader_is_open(engine_settings: dict, engine: Engine, reader) -> None:
    pairs = _stored(engine_settings)
    old_version = reader.version()
    answer = reader.match(MatchRequest(text="refugee"), offset=0, limit=10)
    with WriteLock(engine_settings["DATA_DIR"]):
        count = engine.rebuild(iter(pairs))
    assert count == len(pairs)
    assert reader.health().documents == len(pairs)
    assert reader.version() != old_version
    again = reader.match(MatchRequest(text="refugee"), offset=0, limit=10)
    assert again.total == answer.total
    assert [hit.id for hit in again.hits] == [hit.id for hit in answer.hits]
