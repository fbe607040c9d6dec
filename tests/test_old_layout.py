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
