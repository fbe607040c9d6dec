"""Full rebuilds while another process searches in a loop: no search fails or comes back short."""

from __future__ import annotations

import multiprocessing
import time

from index.ingest.pipeline import reindex


def _search_loop(settings: dict, seconds: float, results) -> None:
    from search.request import SearchRequest
    from search.service import SearchService

    service = SearchService(settings)
    deadline = time.monotonic() + seconds
    queries = ["refugees", "asylum", "detention", "migration", "мигранты"]
    number = 0
    try:
        while time.monotonic() < deadline:
            q = queries[number % len(queries)]
            try:
                total = service.search(SearchRequest(q=q, page=1 + number % 2, per_page=2)).total
                results.put(("ok", q, total))
            except Exception as exc:  # noqa: BLE001 - the test reports every failure
                results.put(("error", q, repr(exc)))
            number += 1
    finally:
        service.close()
        results.put(("done", "", 0))


def test_reindex_full_while_searching_loses_no_search(examples_settings):
    from search.request import SearchRequest
    from search.service import SearchService

    service = SearchService(examples_settings)
    expected = {
        q: service.search(SearchRequest(q=q)).total
        for q in ("refugees", "asylum", "detention", "migration", "мигранты")
    }
    service.close()
    results = multiprocessing.Queue()
    searcher = multiprocessing.Process(target=_search_loop, args=(examples_settings, 6.0, results))
    searcher.start()
    for _ in range(4):
        assert reindex(examples_settings, full=True)["documents"] == 9
        time.sleep(0.3)
    outcomes = []
    while True:
        item = results.get(timeout=30)
        if item[0] == "done":
            break
        outcomes.append(item)
    searcher.join(10)
    errors = [o for o in outcomes if o[0] == "error"]
    wrong = [o for o in outcomes if o[0] == "ok" and o[2] != expected[o[1]]]
    assert len(outcomes) > 20
    assert errors == []
    assert wrong == []
