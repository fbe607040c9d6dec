"""Shared fixtures: real data directories in temporary folders, the app, its test client and CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import EXAMPLES, SEED

from index.ingest.pipeline import ingest_paths
from index.settings import load_settings
from web import create_app


@pytest.fixture
def seed_path() -> Path:
    """The founding example release, or skip when ../shared is absent."""
    if not SEED.exists():
        pytest.skip(f"{SEED} is absent: the seed release is only on the developers' machines")
    return SEED


@pytest.fixture
def settings(tmp_path: Path) -> dict:
    """Settings with a fresh data directory in a temporary folder."""
    return load_settings({"DATA_DIR": str(tmp_path / "data"), "WRITE_LOCK_TIMEOUT": 2.0})


@pytest.fixture
def examples_settings(settings: dict) -> dict:
    """A data directory holding the sample releases under examples/."""
    summary = ingest_paths(settings, [str(EXAMPLES)])
    assert summary.counts["failed"] == 0, summary.failures
    return settings


@pytest.fixture
def service_for(settings: dict, tmp_path: Path):
    """A factory: write releases (file name -> text), ingest them, return an open ``SearchService``."""
    from search.service import SearchService

    opened: list = []

    def make(releases: dict[str, str]) -> SearchService:
        folder = tmp_path / f"releases-{len(opened)}"
        folder.mkdir()
        for name, text in releases.items():
            (folder / name).write_text(text, encoding="utf-8")
        summary = ingest_paths(settings, [str(folder)])
        assert summary.counts["added"] == len(releases), summary.failures
        opened.append(SearchService(settings))
        return opened[-1]

    yield make
    for service in opened:
        service.close()


@pytest.fixture
def app(examples_settings: dict):
    """The Flask app on a data directory with the sample releases."""
    app = create_app({"TESTING": True, **examples_settings})
    yield app
    from web.services import get_service

    get_service(app).close()


@pytest.fixture
def client(app):
    """Flask's test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Flask's CLI runner, invoking our ``migsearch`` commands against the app's data directory."""
    return app.test_cli_runner()


# ---------------------------------------------------------------------------------------------------
# Web fixtures (web/ pages, API, feeds, browser tests): one data directory per session holding the
# sample releases plus hostile documents, shared read-only by the web tests.
# ---------------------------------------------------------------------------------------------------

HOSTILE_TEXT = """<script>alert("title")</script> Minister warns on <b>border</b> rules

12 March 2024

Minister Jonas <script>alert("body")</script> Keller said the border rules "will <i>change</i>".
"We will not accept </p><script>steal()</script> in our asylum system," the minister said.
"""

HOSTILE_RECORD = (
    '{"id": "hostile-1", "title": "Asylum <script>alert(1)</script> statement", '
    '"text": "Asylum seekers <script>alert(2)</script> must be heard, the minister said at the forum.", '
    '"date": "2024-05-02", "url": "javascript:alert(3)", "speaker": "<script>alert(4)</script> Mallory", '
    '"post": "Minister <img src=x onerror=alert(5)>", "event": "Forum <script>alert(6)</script>", '
    '"country": "Narnia"}\n'
)


@pytest.fixture(scope="session")
def web_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with examples/ and two hostile releases, ingested once through the real pipeline."""
    root = tmp_path_factory.mktemp("web")
    hostile = root / "hostile"
    hostile.mkdir()
    (hostile / "xss-release.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    (hostile / "xss-records.jsonl").write_text(HOSTILE_RECORD, encoding="utf-8")
    settings = load_settings({"DATA_DIR": str(root / "data"), "WRITE_LOCK_TIMEOUT": 5.0})
    summary = ingest_paths(settings, [str(EXAMPLES), str(hostile)])
    assert summary.counts["failed"] == 0, summary.failures
    return root / "data"


@pytest.fixture
def web_app(web_data_dir: Path):
    """The Flask app over the shared web data directory (read-only)."""
    app = create_app({"TESTING": True, "DATA_DIR": str(web_data_dir)})
    yield app
    from web.services import get_service

    get_service(app).close()


@pytest.fixture
def web_client(web_app):
    """A test client of ``web_app``."""
    return web_app.test_client()


# ------------------------------------------- end of web fixtures -----------------------------------


# ---------------------------------------------------------------------------------------------------
# OpenSearch fixtures: real nodes fetched from Maven and started on 127.0.0.1 (tests/opensearch_nodes.py).
# Without Java or Maven the tests that need them skip; in CI (CI=true) a node that cannot start fails them.
# ---------------------------------------------------------------------------------------------------


def _start_or_skip(count: int, name: str = "", settings: dict | None = None):
    import os

    from opensearch_nodes import NodeUnavailable, start_cluster

    try:
        return start_cluster(count, name=name or f"migsearch-test-{count}", settings=settings)
    except NodeUnavailable as exc:
        missing = "is not installed" in str(exc)
        if os.environ.get("CI") and not missing:
            pytest.fail(f"OpenSearch could not be started: {exc}")
        pytest.skip(f"no OpenSearch node: {exc}")


@pytest.fixture(autouse=True, scope="module")
def _opensearch_sockets_collected_in_their_module(request):
    """The OpenSearch test modules stop nodes and make nodes refuse work, which leaves the client's pooled
    sockets to be closed by the garbage collector: collected at the module's end, so the warning falls in
    the module that allows it, not in whatever test happens to run next."""
    yield
    if "opensearch" in request.module.__name__:
        import gc

        gc.collect()


@pytest.fixture(scope="session")
def opensearch_node():
    """One real OpenSearch node for the whole session (its ``urls`` for the client)."""
    cluster = _start_or_skip(1)
    yield cluster
    cluster.stop()


@pytest.fixture(scope="module")
def opensearch_busy_node():
    """A real node with one write thread and a write queue of one: bulk requests to an index of several
    shards are partly refused with 429 (too many requests), as a loaded cluster refuses them."""
    cluster = _start_or_skip(1, "migsearch-test-busy", {"thread_pool.write.size": 1, "thread_pool.write.queue_size": 1})
    yield cluster
    cluster.stop()


@pytest.fixture(scope="module")
def opensearch_cluster():
    """A real two-node OpenSearch cluster for one test module (nodes can be stopped and started)."""
    cluster = _start_or_skip(2)
    yield cluster
    cluster.stop()
