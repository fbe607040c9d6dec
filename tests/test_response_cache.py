"""The response cache in front of the app (``web.response_cache``): repeated searches answered from memory,
byte for byte what the app answers, never for an older index than the one searches see."""

from __future__ import annotations

import json
import time
from pathlib import Path

from index.engine.reader import REFRESH_CHECK_SECONDS
from index.ingest.pipeline import ingest_paths
from web import create_app
from web.response_cache import ResponseCache
from web.services import get_service

MAPPING = {"id": "id", "title": "title", "body": "text", "source": "source"}


def _release(number: int, word: str) -> dict:
    return {
        "id": f"r{number}",
        "title": f"Release {number} on {word} resettlement",
        "text": f"The minister spoke about {word} and resettlement of refugees in release {number}.",
        "source": "north",
    }


def _ingest(settings: dict, folder: Path, records: list[dict]) -> None:
    folder.mkdir(exist_ok=True)
    path = folder / f"batch-{time.monotonic_ns()}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    summary = ingest_paths(settings, [str(path)], mapping=MAPPING)
    assert summary.counts["failed"] == 0, summary.failures


def _without_took(response) -> dict:
    data = response.get_json()
    data.pop("took_ms", None)
    return data


def test_repeated_search_is_answered_from_the_cache_with_the_same_answer(app, client):
    cache = app.wsgi_app
    assert isinstance(cache, ResponseCache)
    first = client.get("/api/v1/search?q=refugees&per_page=5")
    again = client.get("/api/v1/search?per_page=5&q=refugees")  # the same parameters in another order
    assert first.status_code == again.status_code == 200
    assert cache.hits == 1
    assert _without_took(first) == _without_took(again)
    assert again.get_json()["took_ms"] < 50  # the time this answer took, not the first search's
    assert int(again.headers["Content-Length"]) == len(again.data)
    html, html_again = client.get("/search?q=refugees"), client.get("/search?q=refugees")
    assert html.data == html_again.data and cache.hits == 2
    assert html_again.headers["Content-Security-Policy"] == html.headers["Content-Security-Policy"]


def test_errors_and_other_paths_are_not_kept(app, client):
    cache = app.wsgi_app
    for _ in range(2):
        assert client.get("/api/v1/search?q=refugees&speakr=x").status_code == 400
        assert client.get("/healthz").status_code == 200
    assert cache.hits == 0 and len(cache) == 0


def test_the_server_address_is_part_of_the_key(app, client):
    one = client.get("/api/v1/search?q=refugees", base_url="http://one.example:8001").get_json()
    two = client.get("/api/v1/search?q=refugees", base_url="http://two.example:8002").get_json()
    assert one["self"].startswith("http://one.example:8001/") and two["self"].startswith("http://two.example:8002/")


def test_a_commit_is_never_answered_from_an_older_entry(settings, tmp_path):
    folder = tmp_path / "releases"
    _ingest(settings, folder, [_release(n, "zebracorn") for n in range(3)])
    app = create_app({"TESTING": True, **settings, "SEARCH_CACHE_SIZE": 64})
    client = app.test_client()
    try:
        assert client.get("/api/v1/search?q=zebracorn").get_json()["total"] == 3
        assert client.get("/api/v1/search?q=zebracorn").get_json()["total"] == 3
        _ingest(settings, folder, [_release(n, "zebracorn") for n in range(3, 5)])
        time.sleep(REFRESH_CHECK_SECONDS)
        get_service(app).reader.refresh()  # what any search does within the refresh bound
        assert client.get("/api/v1/search?q=zebracorn").get_json()["total"] == 5
        assert b"Release 4 on zebracorn" in client.get("/search?q=zebracorn").data
    finally:
        get_service(app).close()


def test_no_cache_when_the_result_cache_is_off(examples_settings):
    app = create_app({"TESTING": True, **examples_settings, "SEARCH_CACHE_SIZE": 0})
    try:
        assert not isinstance(app.wsgi_app, ResponseCache)
    finally:
        get_service(app).close()


def test_the_cache_keeps_at_most_its_capacity():
    calls: list[str] = []

    def inner(environ, start_response):
        calls.append(environ["QUERY_STRING"])
        body = json.dumps({"q": environ["QUERY_STRING"], "took_ms": 12.5}).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    cache = ResponseCache(inner, lambda: ("index", 1), capacity=2)

    def get(query: str) -> bytes:
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/api/v1/search", "QUERY_STRING": query,
                   "HTTP_HOST": "localhost", "wsgi.url_scheme": "http"}
        return b"".join(cache(environ, lambda status, headers: None))

    for query in ("q=a", "q=b", "q=a", "q=c", "q=b"):
        answer = json.loads(get(query))
        assert answer["q"] == query
    assert calls == ["q=a", "q=b", "q=c", "q=b"]  # "b" was the least recently used when "c" came in
    assert len(cache) == 2
