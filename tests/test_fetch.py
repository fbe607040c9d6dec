"""Fetching against a real HTTP server on 127.0.0.1: limits, types, retries, redirects, conditional GET."""

from __future__ import annotations

import time

import pytest
from fixtures.site.server import FixtureSite, loopback_only

from index.crawl.fetch import Fetcher, FetchOptions, gunzip_bounded, retry_after_seconds, user_agent
from index.crawl.netsafety import AddressPolicy, parse_allow_list
from index.crawl.politeness import HostThrottle, host_key
from index.crawl.single import FetchError, fetch_raw_input

LOOPBACK = AddressPolicy(allow_list=parse_allow_list("127.0.0.1"))
SETTINGS = {"USER_AGENT": "migsearch/0.1 (+https://example.org/migsearch)", "CONTACT": "press@example.org"}


@pytest.fixture
def site(monkeypatch):
    loopback_only(monkeypatch)
    with FixtureSite(slow_seconds=0.5) as server:
        yield server


def make_fetcher(delay: float = 0.0, **options) -> Fetcher:
    options = {"backoff": 0.05, "max_retry_wait": 5.0, "max_bytes": 1_000_000, **options}
    return Fetcher(FetchOptions.from_settings(SETTINGS, **options), LOOPBACK, HostThrottle(delay))


def test_user_agent_names_project_and_contact() -> None:
    assert user_agent(SETTINGS) == "migsearch/0.1 (+https://example.org/migsearch; press@example.org)"
    assert user_agent({"USER_AGENT": "migsearch/0.1"}) == "migsearch/0.1"


def test_page_with_headers_and_validators(site: FixtureSite) -> None:
    result = make_fetcher().fetch(site.url("/news/2024-05-02-eu-pact-on-migration-adopted.html"))
    assert result.outcome == "ok" and result.status == 200
    assert result.content_type == "text/html"
    assert b"Pact on Migration and Asylum" in result.body
    assert result.etag and result.last_modified
    assert site.log[0].headers["user-agent"].endswith("press@example.org)")


def test_conditional_get_gives_not_modified(site: FixtureSite) -> None:
    fetcher = make_fetcher()
    first = fetcher.fetch(site.url("/about.html"))
    again = fetcher.fetch(site.url("/about.html"), etag=first.etag, last_modified=first.last_modified)
    assert again.outcome == "not_modified" and again.status == 304 and again.body == b""
    assert site.log[1].headers["if-none-match"] == first.etag
    by_date = fetcher.fetch(site.url("/about.html"), last_modified=first.last_modified)
    assert by_date.outcome == "not_modified"
    site.set_page("/about.html", "<html><body><p>changed</p></body></html>")
    changed = fetcher.fetch(site.url("/about.html"), etag=first.etag)
    assert changed.outcome == "ok" and b"changed" in changed.body


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/files/annual-report-2023.pdf", "content type application/pdf"),
        ("/images/map.png", "content type image/png"),
    ],
)
def test_binary_files_are_skipped_with_the_reason(site: FixtureSite, path: str, reason: str) -> None:
    result = make_fetcher().fetch(site.url(path))
    assert (result.outcome, result.reason, result.body) == ("skipped", reason, b"")


def test_huge_page_is_abandoned_while_streaming(site: FixtureSite) -> None:
    started = time.perf_counter()
    result = make_fetcher().fetch(site.url("/huge.html"))
    assert result.outcome == "skipped"
    assert result.reason == "too large: more than 1000000 bytes"
    assert time.perf_counter() - started < 5


def test_declared_length_over_the_limit_is_not_read(site: FixtureSite) -> None:
    url = site.url("/news/2024-05-02-eu-pact-on-migration-adopted.html")
    result = make_fetcher(max_bytes=1000).fetch(url)
    assert result.outcome == "skipped" and result.reason.startswith("too large: ")


def test_500_is_retried_with_backoff_then_fails(site: FixtureSite) -> None:
    result = make_fetcher(retries=2).fetch(site.url("/broken.html"))
    assert result.outcome == "failed" and result.reason == "HTTP 500 Internal Server Error"
    assert result.attempts == 3
    assert site.paths() == ["/broken.html"] * 3
    gaps = [b.time - a.time for a, b in zip(site.log, site.log[1:], strict=False)]
    assert gaps[0] >= 0.045 and gaps[1] >= 0.095  # 0.05 s, then 0.1 s


def test_429_waits_for_retry_after(site: FixtureSite) -> None:
    result = make_fetcher().fetch(site.url("/busy.html"))
    assert result.outcome == "ok" and result.attempts == 2
    assert site.log[1].time - site.log[0].time >= 0.95


def test_retry_after_longer_than_the_bound_gives_up(monkeypatch) -> None:
    loopback_only(monkeypatch)
    with FixtureSite(retry_after=3600) as server:
        started = time.perf_counter()
        result = make_fetcher(max_retry_wait=2.0).fetch(server.url("/busy.html"))
        assert result.outcome == "failed" and "Retry-After 3600s exceeds 2s" in result.reason
        assert time.perf_counter() - started < 1.0
        assert server.paths() == ["/busy.html"]


def test_slow_page_times_out(site: FixtureSite) -> None:
    result = make_fetcher(timeout=0.1, retries=0).fetch(site.url("/slow.html"))
    assert result.outcome == "failed" and "timed out" in result.reason
    assert make_fetcher(timeout=5).fetch(site.url("/slow.html")).outcome == "ok"


def test_redirect_loop_is_detected(site: FixtureSite) -> None:
    result = make_fetcher().fetch(site.url("/loop/a"))
    assert result.outcome == "failed" and result.reason.startswith("redirect loop")
    assert site.paths() == ["/loop/a", "/loop/b"]


def test_redirects_are_followed_and_checked(site: FixtureSite) -> None:
    result = make_fetcher().fetch(site.url("/old/sudan.html"))
    assert result.outcome == "ok"
    assert result.final_url.endswith("/news/2024-05-10-unhcr-sudan-displacement.html")
    assert result.redirects == [site.url("/old/sudan.html")]
    refused = make_fetcher().fetch(site.url("/old/sudan.html"), permit=lambda url: "not in scope")
    assert (refused.outcome, refused.reason) == ("skipped", "not in scope")
    too_many = make_fetcher(max_redirects=0).fetch(site.url("/old/sudan.html"))
    assert too_many.reason == "too many redirects"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/go/intranet", "address 10.0.0.1 is private"),
        ("/go/metadata", "address 169.254.169.254 is link-local"),
    ],
)
def test_redirect_to_private_address_is_refused_before_connecting(
    site: FixtureSite, monkeypatch, path: str, message: str
) -> None:
    connected = loopback_only(monkeypatch)  # records the addresses connected to
    result = make_fetcher().fetch(site.url(path))
    assert result.outcome == "skipped" and message in result.reason
    assert site.paths() == [path]
    assert connected == ["127.0.0.1"]


def test_loopback_is_refused_without_the_allow_list(site: FixtureSite) -> None:
    fetcher = Fetcher(FetchOptions(), AddressPolicy(), HostThrottle(0))
    result = fetcher.fetch(site.url("/about.html"))
    assert result.outcome == "skipped" and "loopback" in result.reason
    assert site.paths() == []


def test_one_host_gets_the_delay_between_requests(site: FixtureSite) -> None:
    fetcher = make_fetcher(delay=0.2)
    for path in ("/about.html", "/news/", "/news/page-2.html"):
        fetcher.fetch(site.url(path))
    gaps = [b.time - a.time for a, b in zip(site.log, site.log[1:], strict=False)]
    assert all(gap >= 0.19 for gap in gaps), gaps


def test_throttle_uses_the_larger_of_delay_and_crawl_delay() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(round(seconds, 3))
        now[0] += seconds

    throttle = HostThrottle(1.0, clock=lambda: now[0], sleep=sleep)
    throttle.set_crawl_delay("https://a.example.org/robots.txt", 3.0)
    for _ in range(2):
        with throttle.slot("https://a.example.org/x"):
            pass
    with throttle.slot("https://b.example.org/x"):
        pass
    with throttle.slot("https://b.example.org/y"):
        pass
    assert slept == [3.0, 1.0]
    assert host_key("HTTPS://A.example.org/x") == "https://a.example.org:443"


def test_fetch_raw_input_for_ingest(site: FixtureSite) -> None:
    settings = {**SETTINGS, "ALLOWED_ADDRESSES": "127.0.0.1", "CRAWL_DELAY": 0.0}
    item = fetch_raw_input(site.url("/ru/mvd-migration-registration.html"), settings)
    assert item.kind == "html" and item.source == "127.0.0.1"
    assert "windows-1251" in item.headers["content-type"]
    with pytest.raises(FetchError, match="robots.txt"):
        fetch_raw_input(site.url("/private/staff.html"), settings)
    with pytest.raises(FetchError, match="application/pdf"):
        fetch_raw_input(site.url("/files/annual-report-2023.pdf"), settings)
    assert "/private/staff.html" not in site.paths()


def test_retry_after_and_gzip_helpers() -> None:
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None
    import gzip

    assert gunzip_bounded(gzip.compress(b"x" * 100), 100) == b"x" * 100
    with pytest.raises(ValueError, match="exceeds"):
        gunzip_bounded(gzip.compress(b"x" * 10_000), 100)
