"""Per-site selectors are kept with the raw input, so ``reindex --full`` gives the same document
(regression: a release titled by its site's selector got the page's generic heading after a rebuild)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.site.server import FixtureSite, loopback_only

from index.crawl.crawler import crawl
from index.crawl.fetch import FetchOptions
from index.crawl.sources import parse_sources
from index.ingest.pipeline import reindex
from index.settings import load_settings
from index.store.documents import DocumentStore
from search.request import SearchRequest
from search.service import SearchService

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Press room | Ministry of Migration</title></head><body>
<nav><a href="/">Home</a></nav>
<div class="headline-box"><span class="kicker">Statement</span>
<span class="real-title">Minister Aylin Demir opens the new reception centre in Izmir</span></div>
<h1>Press room</h1>
<p class="stamp"><time datetime="2024-02-07">7 February</time></p>
<div class="copy"><p>Minister Aylin Demir opened the new reception centre for asylum seekers in Izmir on Wednesday.</p>
<p>"Every family that arrives deserves a safe first night," the Minister said at the opening.</p></div>
<footer>All rights reserved</footer></body></html>"""

SOURCES = """
[[sites]]
name = "ministry"
start_urls = ["{base}/news/statement.html"]
release = ['/news/statement']
max_depth = 0
selectors = {{ title = "span.real-title", date = "time[datetime]", body = "div.copy p" }}
"""


@pytest.fixture
def site(monkeypatch):
    loopback_only(monkeypatch)
    with FixtureSite(slow_seconds=0.0) as server:
        server.set_page("/news/statement.html", PAGE)
        yield server


def _stored(settings) -> list[tuple]:
    with DocumentStore(settings["DATA_DIR"], readonly=True) as store:
        return [(doc.id, doc.title, doc.date, doc.body, doc.speakers) for doc in store.iter_documents()]


def test_reindex_full_keeps_what_the_site_selectors_read(site: FixtureSite, tmp_path: Path) -> None:
    settings = load_settings({"DATA_DIR": str(tmp_path / "data"), "ALLOWED_ADDRESSES": "127.0.0.1",
                              "CRAWL_DELAY": 0.0})
    sites = parse_sources(SOURCES.format(base=site.base), "sources.toml")
    options = FetchOptions.from_settings(settings, backoff=0.05, retries=1)
    summary = crawl(settings, sites, fetch_options=options)
    assert summary.new == 1, summary.to_dict()
    crawled = _stored(settings)
    assert [row[1] for row in crawled] == ["Minister Aylin Demir opens the new reception centre in Izmir"]
    assert crawled[0][2] is not None and crawled[0][2].isoformat() == "2024-02-07"
    assert "Press room" not in crawled[0][3] and "All rights reserved" not in crawled[0][3]

    result = reindex(settings, full=True)
    assert result["rebuilt"] and not result["failures"]
    assert _stored(settings) == crawled
    service = SearchService(settings)
    try:
        hits = service.search(SearchRequest(q="reception centre Izmir")).hits
        assert [hit.title for hit in hits] == ["Minister Aylin Demir opens the new reception centre in Izmir"]
    finally:
        service.close()
