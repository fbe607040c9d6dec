"""The service's histogram cache: keyed by index version, query, filters and dates; refreshed by an ingest."""

from __future__ import annotations

import time
from datetime import date

import pytest

from index.engine.reader import REFRESH_CHECK_SECONDS
from index.ingest.pipeline import ingest_paths
from search.request import SearchRequest
from search.service import SearchService


@pytest.fixture
def service(examples_settings):
    service = SearchService(examples_settings)
    yield service
    service.close()


def _counting(service: SearchService, monkeypatch) -> list[SearchRequest]:
    """Record every histogram the service actually computes (cache misses)."""
    import search.service

    calls: list = []
    compute = search.service._histogram

    def counted(counts):
        calls.append(counts)
        return compute(counts)

    monkeypatch.setattr(search.service, "_histogram", counted)
    return calls


def test_same_request_twice_gives_the_same_bars_from_the_cache(service, monkeypatch):
    calls = _counting(service, monkeypatch)
    req = SearchRequest(q="migration")
    first = service.histogram(req)
    assert first and sum(bar["count"] for bar in first) > 0
    assert service.histogram(req) == first
    # Page, page size and sort do not change the bars, so they reuse the entry.
    assert service.histogram(req.with_changes(page=3, per_page=50, sort="date")) == first
    assert len(calls) == 1
    first[0]["count"] = -1  # a caller changing its copy does not change the cached bars
    assert service.histogram(req)[0]["count"] != -1


def test_a_search_with_facets_leaves_its_bars_for_the_chart(service, monkeypatch):
    req = SearchRequest(q="migration")
    service.search(req)
    calls = _counting(service, monkeypatch)
    bars = service.histogram(req)
    assert calls == []  # the search already counted them
    assert sum(bar["count"] for bar in bars) > 0


def test_query_filters_and_dates_are_part_of_the_key(service, monkeypatch):
    calls = _counting(service, monkeypatch)
    req = SearchRequest(q="migration")
    service.histogram(req)
    service.histogram(req.with_changes(q="asylum"))
    service.histogram(req.with_changes(date_from=date(2000, 1, 1)))
    service.histogram(req.with_changes(source="no-such-source"))
    assert len(calls) == 4
    assert service.histogram(req.with_changes(source="no-such-source")) == []
    assert len(calls) == 4


def test_a_cache_of_size_zero_keeps_nothing(examples_settings, monkeypatch):
    service = SearchService({**examples_settings, "SEARCH_CACHE_SIZE": 0})
    try:
        calls = _counting(service, monkeypatch)
        req = SearchRequest(q="migration")
        assert service.histogram(req) == service.histogram(req)
        assert len(calls) == 2
    finally:
        service.close()


def test_bars_change_after_an_ingest(service, examples_settings, tmp_path):
    before = service.histogram(SearchRequest())
    assert service.histogram(SearchRequest()) == before
    path = tmp_path / "release.txt"
    path.write_text(
        "Minister opens reception centre\n\n3 May 1993\n\n"
        "The minister opened a reception centre for asylum seekers today.",
        "utf-8",
    )
    summary = ingest_paths(examples_settings, [str(path)])
    assert summary.counts["failed"] == 0, summary.failures
    time.sleep(REFRESH_CHECK_SECONDS + 0.1)  # the service looks for a new index at most this often
    after = service.histogram(SearchRequest())
    assert after != before
    assert sum(bar["count"] for bar in after) == sum(bar["count"] for bar in before) + 1
