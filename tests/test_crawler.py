"""The crawl loop against the fixture site on 127.0.0.1: what is fetched, skipped and stored, politeness
seen from the server's request log, incremental re-crawls and resuming an interrupted crawl."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.site.server import FixtureSite, loopback_only

from index.crawl.crawler import crawl
from index.crawl.fetch import FetchOptions
from index.crawl.sources import parse_sources, sites_for_urls
from index.settings import load_settings
from index.store.documents import DocumentStore

DELAY = 0.2
SOURCES = """
[[sites]]
name = "fixture"
start_urls = ["{base}/"]
feeds = ["{base}/feed.xml"]
sitemaps = ["{base}/sitemap_index.xml"]
release = ['/news/\\d{{4}}-', '/archive/', '/ru/', '/slow\\.html$', '/busy\\.html$']
organisations = ["Fixture Ministry"]
max_depth = 3
"""
RELEASES = {
    "/news/2024-05-14-iom-welcomes-labour-mobility-agreement.html",
    "/news/2024-05-10-unhcr-sudan-displacement.html",
    "/news/2024-05-02-eu-pact-on-migration-adopted.html",
    "/news/2024-04-20-iom-missing-migrants-mediterranean.html",
    "/news/2024-04-11-unhcr-resettlement-needs.html",
    "/news/2024-05-20-ilo-migrant-workers-report.html",  # only in the feed and the news sitemap
    "/news/2024-03-30-ombudsman-detention-report.html",  # only in the gzipped sitemap
    "/archive/2024-iom-labour-mobility.html",  # the 05-14 release again, under another URL
    "/ru/mvd-migration-registration.html",
    "/slow.html",
    "/busy.html",
}
RETRIED = {"/busy.html", "/broken.html"}  # one fetch, several requests (429 then 200; 500 retried)


@pytest.fixture
def site(monkeypatch):
    loopback_only(monkeypatch)
    with FixtureSite(slow_seconds=0.3) as server:
        yield server


@pytest.fixture
def crawl_settings(tmp_path: Path) -> dict:
    return load_settings({
        "DATA_DIR": str(tmp_path / "data"), "ALLOWED_ADDRESSES": "127.0.0.1", "CRAWL_DELAY": DELAY,
        "MAX_DOCUMENT_BYTES": 1_000_000, "CONTACT": "crawler-tests@example.org",
    })


def run(settings: dict, sites, **options):
    fetch_options = FetchOptions.from_settings(settings, backoff=0.05, retries=1, max_retry_wait=5.0)
    return crawl(settings, sites, fetch_options=fetch_options, **options)


def stored(settings: dict) -> dict[str, tuple]:
    """url path -> (id, dup_group, updated_at, title, organisations) of every stored document."""
    with DocumentStore(settings["DATA_DIR"], readonly=True) as store:
        rows = store.connection.execute(
            "SELECT url, id, dup_group, updated_at, title, organisations FROM documents"
        ).fetchall()
    return {"/" + row[0].split("/", 3)[3]: tuple(row[1:]) for row in rows}


def page_paths(site: FixtureSite) -> list[str]:
    return [path for path in site.paths() if path != "/robots.txt"]


def test_crawl_fetches_skips_and_stores_then_recrawls_incrementally(site: FixtureSite, crawl_settings):
    sites = parse_sources(SOURCES.format(base=site.base))
    events = []
    summary = run(crawl_settings, sites, progress=events.append)

    # What was stored: every release once per URL, the print view only under its canonical URL.
    documents = stored(crawl_settings)
    assert set(documents) == RELEASES
    assert summary.new == len(RELEASES) and summary.changed == 0
    assert "Fixture Ministry" in documents["/slow.html"][4]
    assert documents["/ru/mvd-migration-registration.html"][3].startswith("МВД России: новые правила")
    # The same release under two URLs: two stored rows in one duplicate group, so a search shows it once.
    original = documents["/news/2024-05-14-iom-welcomes-labour-mobility-agreement.html"]
    assert documents["/archive/2024-iom-labour-mobility.html"][1] == original[1]

    # What was skipped or failed, with the reasons.
    skipped = dict((url.removeprefix(site.base), reason) for url, reason in summary.skipped)
    assert skipped["/private/staff.html"] == "disallowed by robots.txt"
    assert skipped["/files/annual-report-2023.pdf"] == "content type application/pdf"
    assert skipped["/images/map.png"] == "content type image/png"
    assert skipped["/huge.html"] == "too large: more than 1000000 bytes"
    assert "address 10.0.0.1 is private" in skipped["/go/intranet"]
    assert "address 169.254.169.254 is link-local" in skipped["/go/metadata"]
    failed = dict((url.removeprefix(site.base), reason) for url, reason in summary.failed)
    assert failed["/broken.html"] == "HTTP 500 Internal Server Error"
    assert failed["/loop/a"].startswith("redirect loop")
    assert set(failed) == {"/broken.html", "/loop/a"}
    assert summary.stopped == "finished" and summary.pending == 0
    assert events[-1].done == len(events) and events[-1].pending == 0

    # The server's view: robots.txt first, disallowed paths never asked, no URL twice, delays kept.
    log = site.log
    assert log[0].path == "/robots.txt"
    paths = page_paths(site)
    assert not [path for path in paths if path.startswith("/private/")]
    assert not [path for path in paths if "utm_" in path or "sessionid" in path or "#" in path]
    repeated = {path for path in paths if paths.count(path) > 1}
    assert repeated <= RETRIED
    assert all("crawler-tests@example.org" in entry.headers["user-agent"] for entry in log)
    gaps = [later.time - earlier.time for earlier, later in zip(log, log[1:], strict=False)]
    assert min(gaps) >= DELAY - 0.01, gaps

    # Second crawl: conditional requests everywhere, nothing re-indexed.
    site.clear_log()
    again = run(crawl_settings, sites)
    assert (again.new, again.changed) == (0, 0)
    assert again.unchanged == len(RELEASES)
    assert stored(crawl_settings) == documents
    conditional = {entry.path for entry in site.log if "if-none-match" in entry.headers}
    assert RELEASES - {"/busy.html"} <= conditional  # busy.html's first answer is a 429 again
    assert {"/", "/news/", "/news/page-2.html", "/feed.xml", "/sitemap_index.xml"} <= conditional

    # Third crawl after an edit: exactly that release is re-indexed.
    edited = "/news/2024-04-11-unhcr-resettlement-needs.html"
    original_page = site.content(edited)
    site.set_page(edited, original_page.replace(b"2.9 million refugees", b"3.1 million refugees"))
    third = run(crawl_settings, sites)
    assert (third.new, third.changed, third.unchanged) == (0, 1, len(RELEASES) - 1)
    after = stored(crawl_settings)
    assert [path for path in after if after[path][2] != documents[path][2]] == [edited]


@pytest.mark.parametrize("how", ["page budget", "exception"])
def test_interrupted_crawl_resumes_without_fetching_twice(site: FixtureSite, crawl_settings, how: str):
    sites = parse_sources(SOURCES.format(base=site.base))
    if how == "page budget":
        first = run(crawl_settings, sites, max_pages=14)
        assert first.stopped == "stopped at the page budget" and first.pending > 0
    else:
        def explode(event) -> None:
            if event.done == 14:
                raise RuntimeError("killed halfway")

        with pytest.raises(RuntimeError, match="killed halfway"):
            run(crawl_settings, sites, progress=explode)
    before = page_paths(site)
    stored_before = stored(crawl_settings)
    assert 0 < len(stored_before) < len(RELEASES)

    site.clear_log()
    second = run(crawl_settings, sites)
    after = page_paths(site)
    assert second.resumed and second.stopped == "finished"
    assert set(before) & set(after) == set()
    assert set(stored(crawl_settings)) == RELEASES
    assert second.new == len(RELEASES) - len(stored_before)


def test_dry_run_stores_nothing(site: FixtureSite, crawl_settings) -> None:
    sites = sites_for_urls([site.url("/news/")], max_depth=1)
    summary = run(crawl_settings, sites, dry_run=True)
    assert summary.dry_run and summary.new >= 5
    assert not (Path(crawl_settings["DATA_DIR"]) / "store.sqlite3").exists()
    assert "would index" in summary.format()


def test_depth_limit_and_max_depth_option(site: FixtureSite, crawl_settings) -> None:
    sites = sites_for_urls([site.url("/news/")])
    summary = run(crawl_settings, sites, max_depth=0, dry_run=True)
    assert page_paths(site) == ["/news/"]
    assert summary.fetched == 1


def test_cli_crawl_command(site: FixtureSite, crawl_settings, tmp_path: Path) -> None:
    from web import create_app
    from web.crawl_cli import crawl_command

    app = create_app({"TESTING": True, **crawl_settings})
    runner = app.test_cli_runner()
    ok = runner.invoke(crawl_command, [site.url("/news/page-2.html"), "--max-depth", "1", "--delay", "0"])
    assert ok.exit_code == 0, ok.output
    assert "crawl finished" in ok.output and "indexed 4 new" in ok.output
    again = runner.invoke(crawl_command, [site.url("/news/page-2.html"), "--max-depth", "1", "--json"])
    assert again.exit_code == 0 and '"unchanged": 4' in again.output
    assert "not indexed: no text found (not modified)" in again.output  # the listing, asked with a 304

    failing = runner.invoke(crawl_command, [site.url("/loop/a"), "--json"])
    assert failing.exit_code == 1
    assert '"reason": "redirect loop' in failing.output

    assert runner.invoke(crawl_command, []).exit_code == 2
    bad = tmp_path / "bad.toml"
    bad.write_text('[[sites]]\nname = "x"\nstart_url = ["https://x.example.org/"]\n', encoding="utf-8")
    usage = runner.invoke(crawl_command, ["--sources", str(bad)])
    assert usage.exit_code == 2 and "did you mean 'start_urls'" in usage.output
    assert runner.invoke(crawl_command, ["not a url"]).exit_code == 2
