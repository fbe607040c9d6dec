"""An index written before the restructure (old module paths pickled in its table of contents) still opens.

The fixture ``fixtures/old_layout`` was built from ``examples/`` by commit be29776, before ``index/`` was grouped
into subpackages: its table of contents pickles ``index.fast_analysis.TextAnalyzer``,
``index.fast_analysis.CompactPositions``, ``index.fast_codec.FastCodec`` and ``index.schema.QuoteGapFilter``.
``answers.json`` holds what that commit's ``SearchService`` answered on it; today's code must answer the same,
except where ranking changed on purpose since (issue 11): plain-word queries are ranked by
``index.engine.ranking`` (same matches, scores and order of its own), and the ``mentions`` facet is new
(empty on an index that has no such field).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from index.engine.ranking import plain_words
from index.settings import load_settings
from search.request import parse_search_request
from search.service import SearchService
from search.spans import Snippet
from web.snippets import hit_json, result_json, snippet_html

FIXTURE = Path(__file__).parent / "fixtures" / "old_layout"
OLD_PATHS = (b"index.fast_analysis", b"index.fast_codec", b"index.schema")


@pytest.fixture()
def old_data(tmp_path: Path) -> Path:
    """A private copy of the old data directory (the ``index`` link is relative, so the copy is whole)."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURE / "data", data, symlinks=True)
    return data


def test_fixture_pickles_the_old_module_paths(old_data: Path) -> None:
    toc = next((old_data / "index").glob("_MAIN_*.toc")).read_bytes()
    for path in OLD_PATHS:
        assert path in toc


def test_old_index_opens_and_answers_as_before(old_data: Path) -> None:
    expected = json.loads((FIXTURE / "answers.json").read_text(encoding="utf-8"))
    service = SearchService(load_settings({"DATA_DIR": str(old_data)}))
    try:
        for case in expected["searches"]:
            answer = result_json(service.search(parse_search_request(case["params"])))  # the API's JSON
            answer.pop("took_ms")
            for hit in answer["hits"]:  # added after be29776: the quote shown by quote-first searches
                assert hit.pop("quote") is None
                spans = hit.pop("snippet_spans")  # added with issue 10: the snippet as spans beside its HTML
                assert str(snippet_html(Snippet.from_json(spans))) == hit["snippet"]
            assert answer["facets"].pop("mentions", []) == [], case["params"]
            want = case["answer"]
            if plain_words(case["params"]["q"]) and case["params"].get("sort", "relevance") == "relevance":
                assert answer["total"] == want["total"], case["params"]
                assert {h["id"] for h in answer["hits"]} == {h["id"] for h in want["hits"]}, case["params"]
                assert answer["facets"] == want["facets"], case["params"]
                continue
            assert answer == want, case["params"]
        assert service.suggest("ref") == expected["suggest"]
        mlt = expected["more_like_this"]
        similar = [hit_json(hit) for hit in service.more_like_this(mlt["id"])]
        assert all(hit.pop("quote") is None and hit.pop("snippet_spans") == [] for hit in similar)
        assert similar == mlt["hits"]
    finally:
        service.close()


def test_an_index_from_an_older_version_is_reported_and_rebuilt_not_written_into(old_data: Path, tmp_path: Path):
    """After an upgrade that added index fields, ``ingest`` stops with exit 4 and the repairing command
    (instead of Whoosh failing in its worker processes); searches still answer; ``reindex --full`` fixes it."""
    from faults import run_cli

    from index.engine.schema import schema_field_names

    before = sorted(schema_field_names() - set(_index_fields(old_data)))
    assert "mentions" in before  # the fixture predates the field
    release = tmp_path / "new-release.txt"
    release.write_text(
        "Ministry opens a harbour reception centre\n\nThe Minister for Harbours, Ana Kovač, said the centre "
        "would open in May.\n",
        encoding="utf-8",
    )
    refused = run_cli(old_data, "ingest", str(release))
    assert refused.returncode == 4, refused.stderr[-800:]
    assert "older version" in refused.stderr and "migsearch reindex --full" in refused.stderr
    assert "Traceback" not in refused.stderr
    searched = run_cli(old_data, "search", "refugee")
    assert searched.returncode == 0 and "result" in searched.stdout  # still searchable meanwhile
    rebuilt = run_cli(old_data, "reindex", "--full")
    assert rebuilt.returncode == 0, rebuilt.stderr[-800:]
    assert set(_index_fields(old_data)) >= schema_field_names()
    added = run_cli(old_data, "ingest", str(release))
    assert added.returncode == 0, added.stderr[-800:]
    found = run_cli(old_data, "search", "harbour reception")
    assert "harbour reception centre" in found.stdout.lower()


def _index_fields(data: Path) -> list[str]:
    import whoosh.index as windex

    ix = windex.open_dir(str((data / "index").resolve()))
    try:
        return list(ix.schema.names())
    finally:
        ix.close()
