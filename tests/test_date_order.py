"""Searches sorted by date: the numpy order (``index.engine.date_order``) is Whoosh's sorted search's order."""

from __future__ import annotations

import json
from pathlib import Path

from index.ingest.pipeline import ingest_paths
from search.request import SearchRequest
from search.service import SearchService

MAPPING = {"id": "id", "title": "title", "body": "text", "source": "source", "date": "date"}


def _records() -> list[dict]:
    dates = ["2019-05-01", "", "2021-01-15", "2019-05-01", "", "1998-12-31", "2021-01-15", "2005-07-04"]
    return [
        {
            "id": f"r{number}",
            "title": f"Statement {number} on migration",
            "text": f"Statement {number}: the ministry spoke about migration and asylum in release {number}.",
            "source": "north" if number % 2 else "south",
            "date": day,
        }
        for number, day in enumerate(dates)
    ]


def _requests() -> list[SearchRequest]:
    found = []
    for sort in ("date", "-date"):
        for per_page, page in ((3, 1), (3, 2), (3, 3), (20, 1)):
            found.append(SearchRequest(q="migration", sort=sort, per_page=per_page, page=page))
        found.append(SearchRequest(q="", sort=sort, source="north"))
        found.append(SearchRequest(q="asylum", sort=sort, date_from=None, per_page=5))
    found.append(SearchRequest(q=""))  # browsing: newest first
    return found


def test_date_order_is_whoosh_sorted_search_order(settings, tmp_path: Path):
    path = tmp_path / "releases.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in _records()), encoding="utf-8")
    summary = ingest_paths(settings, [str(path)], mapping=MAPPING)
    assert summary.counts["failed"] == 0, summary.failures
    fast = SearchService({**settings, "SEARCH_CACHE_SIZE": 0})
    stock = SearchService({**settings, "SEARCH_CACHE_SIZE": 0, "ACCELERATE": False})
    try:
        for req in _requests():
            ours, whoosh = fast.search(req, facets=False), stock.search(req, facets=False)
            assert [hit.id for hit in ours.hits] == [hit.id for hit in whoosh.hits], req
            assert ours.total == whoosh.total
        newest = [hit.date for hit in fast.search(SearchRequest(q="migration", sort="date", per_page=20)).hits]
        oldest = [hit.date for hit in fast.search(SearchRequest(q="migration", sort="-date", per_page=20)).hits]
        assert newest[-2:] == oldest[-2:] == [None, None]  # undated releases last either way
        assert [str(day) for day in newest[:2]] == ["2021-01-15", "2021-01-15"]
        assert str(oldest[0]) == "1998-12-31"
        assert fast.reader.current().dates._keys is not None  # the numpy order answered
    finally:
        fast.close()
        stock.close()
