"""A running search service and server see every committed change, and no search blocks another.

Issue 12, item 2: after re-ingesting changed records the old versions were still listed beside the
new ones, after ``delete --source`` the page counted documents it could not list, and ``/healthz``
disagreed with ``stats`` until a restart (Whoosh's reader reuse kept stale deletions and segments).
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from index.engine.reader import REFRESH_CHECK_SECONDS
from index.ingest.pipeline import ingest_paths
from index.store.documents import DocumentStore
from search.request import SearchRequest
from search.service import SearchService

MAPPING = {"id": "id", "title": "title", "body": "text", "source": "source"}
# What "within a bounded delay" allows here: the check interval, plus time to open the new reader
# on a busy machine.
BOUND_SECONDS = REFRESH_CHECK_SECONDS + 2.5


def _records(count: int = 12) -> list[dict]:
    return [
        {
            "id": f"rec-{number}",
            "title": f"Statement {number} on the asylum system",
            "text": f"The minister spoke about asylum policy and the zebracorn programme, case {number}. " * 4,
            "source": "north" if number < 6 else "south",
        }
        for number in range(count)
    ]


def _write(path: Path, records: list[dict]) -> str:
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return str(path)


def _changed(records: list[dict]) -> list[dict]:
    return [dict(record, text=record["text"].replace("asylum", "resettlement")) for record in records]


def test_service_sees_updates_and_deletes_within_the_bound(settings, tmp_path):
    records = _records()
    ingest_paths(settings, [_write(tmp_path / "first.jsonl", records)], mapping=MAPPING)
    service = SearchService(settings)
    try:
        assert service.search(SearchRequest(q="zebracorn", per_page=50)).total == 12
        summary = ingest_paths(settings, [_write(tmp_path / "changed.jsonl", _changed(records[:3]))], mapping=MAPPING)
        assert summary.counts["updated"] == 3
        time.sleep(REFRESH_CHECK_SECONDS)
        result = service.search(SearchRequest(q="zebracorn", per_page=50))
        ids = [hit.id for hit in result.hits]
        assert result.total == 12 and len(ids) == 12 and len(set(ids)) == 12  # no old version beside the new
        assert service.search(SearchRequest(q="resettlement", per_page=50)).total == 3
        assert service.health()["documents"] == 12

        from index.ingest.pipeline import Ingester

        with Ingester(settings) as ingester:
            assert ingester.delete(ingester.store.ids_for_source("south")) == 6
        time.sleep(REFRESH_CHECK_SECONDS)
        result = service.search(SearchRequest(q="zebracorn", per_page=50))
        assert result.total == len(result.hits) == 6
        assert [(f.value, f.count) for f in result.facets["source"]] == [("north", 6)]
        with DocumentStore(Path(settings["DATA_DIR"])) as store:
            assert service.health()["documents"] == store.count() == 6
    finally:
        service.close()


def test_a_slow_search_blocks_neither_other_searches_nor_health(examples_settings, monkeypatch):
    import index.engine.reader as service_module

    service = SearchService(examples_settings)
    service.search(SearchRequest(q="refugees"))  # the index is open
    inside, release = threading.Event(), threading.Event()
    real_pass = service_module.scored_pass

    def slow_for_one_query(searcher, q, *args, **kwargs):
        if "asylum" in repr(q):
            inside.set()
            release.wait(30)
        return real_pass(searcher, q, *args, **kwargs)

    monkeypatch.setattr(service_module, "scored_pass", slow_for_one_query)
    slow_request = SearchRequest(q="asylum OR visas")  # syntax: ranked by scored_pass
    slow = threading.Thread(target=service.search, args=(slow_request,), daemon=True)
    slow.start()
    try:
        assert inside.wait(30)
        done: dict = {}

        def others() -> None:
            done["search"] = service.search(SearchRequest(q="detention")).total
            done["health"] = service.health()["documents"]

        quick = threading.Thread(target=others, daemon=True)
        quick.start()
        quick.join(10)
        assert not quick.is_alive(), "a search or the health check waited for another search"
        assert done["search"] > 0 and done["health"] == 9
        assert slow.is_alive()  # the slow one was still running all along
    finally:
        release.set()
        slow.join(30)
        service.close()


# -- the real server: gunicorn worker processes ------------------------------------------------------


def _migsearch(data_dir: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", "from web.cli import main; main()", "--data-dir", str(data_dir), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, **kwargs)


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - 127.0.0.1 only
        return json.loads(response.read())


@pytest.fixture
def server(settings, tmp_path):
    """``migsearch serve --workers 2`` on a data directory with 12 records; yields (base URL, data dir)."""
    data_dir = Path(settings["DATA_DIR"])
    ingest_paths(settings, [_write(tmp_path / "first.jsonl", _records())], mapping=MAPPING)
    command = [sys.executable, "-c", "from web.cli import main; main()", "--data-dir", str(data_dir)]
    log = (tmp_path / "serve.log").open("w+")
    proc = subprocess.Popen(
        [*command, "serve", "--port", "0", "--workers", "2", "--threads", "2"],
        stdout=subprocess.PIPE, stderr=log, text=True,
    )
    try:
        line = proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert match, line + (tmp_path / "serve.log").read_text()
        url = match.group(0)
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(url + "healthz")
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.2)
        yield url, data_dir, proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        proc.stdout.close()
        log.close()


def _consistent(url: str, requests: int = 8) -> list[dict]:
    """The same search asked ``requests`` times (so each worker answers some)."""
    return [_get(url + "api/v1/search?q=zebracorn&per_page=50") for _ in range(requests)]


def test_server_workers_see_changes_and_agree_with_stats(server, tmp_path):
    url, data_dir, proc = server
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    if children.exists():  # two worker processes (forked one after the other)
        deadline = time.monotonic() + 30
        while len(children.read_text().split()) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(children.read_text().split()) == 2
    assert {page["total"] for page in _consistent(url)} == {12}

    changed = _write(tmp_path / "changed.jsonl", _changed(_records()[:3]))
    done = _migsearch(data_dir, "ingest", changed, *sum((["--map", f"{k}={v}"] for k, v in MAPPING.items()), []))
    assert done.returncode == 0, done.stderr
    time.sleep(BOUND_SECONDS)
    for page in _consistent(url):
        ids = [hit["id"] for hit in page["hits"]]
        assert page["total"] == 12 and len(ids) == len(set(ids)) == 12
    assert {_get(url + "api/v1/search?q=resettlement")["total"] for _ in range(4)} == {3}

    done = _migsearch(data_dir, "delete", "--source", "south")
    assert done.returncode == 0 and "deleted 6" in done.stdout, done.stdout + done.stderr
    time.sleep(BOUND_SECONDS)
    stats = json.loads(_migsearch(data_dir, "stats", "--json").stdout)
    for page in _consistent(url):
        assert page["total"] == len(page["hits"]) == 6
    healths = [_get(url + "healthz")["documents"] for _ in range(4)]
    assert healths == [stats["documents"]] * 4 == [6] * 4
    assert stats["index"]["documents"] == 6
