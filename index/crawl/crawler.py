"""The crawl loop: take a URL from the frontier, ask robots.txt, fetch, discover, ingest, record.

One URL at a time (politeness per host lives in :class:`~index.crawl.politeness.HostThrottle`); the next URL is
the oldest queued one whose host is ready, so several sites interleave instead of waiting on each other.
State is committed after every URL, so a crawl stopped at any point resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from index.crawl.discovery import extract_links, normalize_url, parse_feed, parse_sitemap
from index.crawl.fetch import PAGE_TYPES, TEXT_TYPES, XML_TYPES, Fetcher, FetchOptions, FetchResult
from index.crawl.netsafety import AddressPolicy
from index.crawl.politeness import HostThrottle
from index.crawl.robots import RobotsCache
from index.crawl.sources import Site
from index.crawl.state import CrawlState, FrontierItem, PageState
from index.inputs.raw import RawInput
from index.settings import as_settings

LOGGER = logging.getLogger(__name__)

DEFAULT_MAX_DEPTH = 3
_INGEST_STATUS = {"added": "new", "updated": "changed", "unchanged": "unchanged"}
# Only a URL whose last visit went well is asked "has it changed?"; others are fetched in full again.
_CONDITIONAL_STATUSES = frozenset(
    {"new", "changed", "unchanged", "listing", "duplicate", "feed", "sitemap", "declined"}
)


@dataclass
class CrawlSummary:
    """What a crawl did: counts, and every skip and failure with its reason."""

    fetched: int = 0  # URLs answered by their server (200 or 304), feeds, sitemaps and listings included
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    listings: int = 0  # pages only followed for links (not release pages)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0
    resumed: bool = False
    pending: int = 0
    stopped: str = "finished"
    dry_run: bool = False

    def skip_reasons(self) -> Counter:
        """Skips counted by reason (the reason's text before any colon)."""
        return Counter(reason.split(":", 1)[0] for _, reason in self.skipped)

    def to_dict(self) -> dict:
        """A JSON-ready summary."""
        counts = ("fetched", "new", "changed", "unchanged", "listings", "requests", "pending")
        return {
            **{name: getattr(self, name) for name in counts},
            "seconds": round(self.seconds, 2), "resumed": self.resumed, "stopped": self.stopped,
            "dry_run": self.dry_run,
            "skipped": [{"url": url, "reason": reason} for url, reason in self.skipped],
            "failed": [{"url": url, "reason": reason} for url, reason in self.failed],
        }

    def format(self) -> str:
        """A few human-readable lines for the end of a crawl."""
        verb = "would index" if self.dry_run else "indexed"
        left = f"; {self.pending} URLs left for the next run" if self.pending else ""
        lines = [
            f"crawl {self.stopped}{' (resumed)' if self.resumed else ''} in {self.seconds:.1f}s: "
            f"{self.fetched} fetched ({self.requests} requests), {verb} {self.new} new, "
            f"{self.changed} changed, {self.unchanged} unchanged, {self.listings} listings, "
            f"{len(self.skipped)} skipped, {len(self.failed)} failed{left}",
        ]
        for reason, count in self.skip_reasons().most_common():
            lines.append(f"  skipped {count} x {reason}")
        for url, reason in self.failed:
            lines.append(f"  failed {url}: {reason}")
        return "\n".join(lines)


@dataclass(frozen=True)
class CrawlEvent:
    """Progress after one URL: what happened to it and how far the crawl is."""

    url: str
    kind: str
    outcome: str  # new | changed | unchanged | listing | skipped | failed | feed | sitemap
    reason: str | None
    done: int
    pending: int


Ingest = Callable[..., object]  # Ingester.ingest(item, normalized=..., extra=...) -> IngestOutcome


class Crawler:
    """Crawls ``sites`` into ``ingest`` (None for a dry run), keeping its state in ``state``."""

    def __init__(
        self,
        settings: Mapping[str, Any],
        sites: list[Site],
        state: CrawlState,
        ingest: Ingest | None,
        *,
        max_pages: int | None = None,
        max_depth: int | None = None,
        delay: float | None = None,
        fetch_options: FetchOptions | None = None,
        policy: AddressPolicy | None = None,
        progress: Callable[[CrawlEvent], None] | None = None,
    ) -> None:
        self.sites = {site.name: site for site in sites}
        self.state = state
        self.ingest = ingest
        self.max_pages = max_pages
        self.max_depth = max_depth
        self.progress = progress
        settings = as_settings(settings)
        default_delay = settings.crawl_delay if delay is None else float(delay)
        self.throttle = HostThrottle(default_delay)
        for site in sites:
            if site.delay is not None and delay is None:
                for url in site.seeds():
                    self.throttle.set_host_delay(url, site.delay)
        options = fetch_options or FetchOptions.from_settings(settings)
        self.fetcher = Fetcher(options, policy or AddressPolicy.from_settings(settings), self.throttle)
        self.robots = RobotsCache(self.fetcher, options.user_agent, on_rules=self._on_robots)
        self.fetcher.permit = self.robots.refusal
        self.summary = CrawlSummary(dry_run=ingest is None)
        self._site_pages: Counter = Counter()

    def _on_robots(self, key: str, rules) -> None:
        self.throttle.set_crawl_delay(key, rules.crawl_delay(self.robots.token))

    def run(self) -> CrawlSummary:
        """Crawl until the frontier is empty or a page budget is spent; Ctrl-C stops cleanly."""
        started = time.perf_counter()
        self.summary.resumed = self.state.begin_run(self.sites)
        for site in self.sites.values():
            for url in site.start_urls:
                self.state.enqueue(url, site.name, "page", 0)
            for url in site.feeds:
                self.state.enqueue(url, site.name, "feed", 0)
            for url in site.sitemaps:
                self.state.enqueue(url, site.name, "sitemap", 0)
        self.state.commit()
        try:
            self._loop()
        except KeyboardInterrupt:
            self.summary.stopped = "interrupted"
        finally:
            self.state.commit()
            self.summary.requests = self.fetcher.requests
            self.summary.pending = self.state.pending()
            self.summary.seconds = time.perf_counter() - started
        if self.summary.pending == 0:
            self.state.finish_run()
        return self.summary

    def _budget_left(self, site: Site | None = None) -> bool:
        if self.max_pages is not None and sum(self._site_pages.values()) >= self.max_pages:
            return False
        limit = site.max_pages if site is not None and self.max_pages is None else None
        return limit is None or self._site_pages[site.name] < limit  # type: ignore[union-attr]

    def _next(self) -> FrontierItem | None:
        spent = [name for name, site in self.sites.items() if not self._budget_left(site)]
        candidates = self.state.queued(exclude_sites=spent)
        for item in candidates:
            if self.throttle.ready_in(item.url) <= 0:
                return item
        return candidates[0] if candidates else None

    def _loop(self) -> None:
        done = 0
        while self._budget_left():
            item = self._next()
            if item is None:
                break
            site = self.sites[item.site]
            outcome, reason = self._visit(site, item)
            self.state.mark_done(item.url)
            self.state.commit()
            done += 1
            if self.progress is not None:
                self.progress(CrawlEvent(item.url, item.kind, outcome, reason, done, self.state.pending()))
        else:
            self.summary.stopped = "stopped at the page budget"

    def _skip(self, site: Site, item: FrontierItem, reason: str, result: FetchResult | None = None) -> tuple:
        self.summary.skipped.append((item.url, reason))
        status = result.status if result else None
        self.state.record(item.url, site=site.name, kind=item.kind, status="skipped", reason=reason,
                          http_status=status)
        return "skipped", reason

    def _visit(self, site: Site, item: FrontierItem) -> tuple[str, str | None]:
        """Fetch and handle one URL; returns the outcome and its reason for the progress report."""
        refusal = self.robots.refusal(item.url)
        if refusal:
            return self._skip(site, item, refusal)
        previous = self.state.page(item.url)
        if previous is not None and previous.status not in _CONDITIONAL_STATUSES:
            previous = None
        self._site_pages[site.name] += 1
        accept = PAGE_TYPES if item.kind == "page" else XML_TYPES
        result = self.fetcher.fetch(
            item.url,
            etag=previous.etag if previous else None,
            last_modified=previous.last_modified if previous else None,
            accept=accept,
            permit=lambda target: self._permit(site, target),
        )
        if result.outcome == "failed":
            self.summary.failed.append((item.url, result.reason or "failed"))
            self.state.record(item.url, site=site.name, kind=item.kind, status="failed", reason=result.reason,
                              http_status=result.status)
            return "failed", result.reason
        if result.outcome == "skipped":
            return self._skip(site, item, result.reason or "skipped", result)
        final = normalize_url(result.final_url) or item.url
        if final != item.url:
            if not site.rules.in_scope(final):
                return self._skip(site, item, f"redirected out of scope: {final}", result)
            if not self.state.claim(final, site.name, item.kind, item.depth):
                return self._skip(site, item, f"redirected to a page already crawled: {final}", result)
        self.summary.fetched += 1
        if result.outcome == "not_modified":
            return self._not_modified(site, item, previous, result)
        if item.kind == "feed":
            return self._discovered(site, item, result, parse_feed(result.body, final), "feed")
        if item.kind == "sitemap":
            sitemap = parse_sitemap(result.body, final)
            for url in sitemap.sitemaps:
                self.state.enqueue(url, site.name, "sitemap", item.depth)
            return self._discovered(site, item, result, sitemap.urls, "sitemap", sitemap.sitemaps)
        return self._page(site, item, final, result, previous)

    def _permit(self, site: Site, url: str) -> str | None:
        """Why a redirect target may not be fetched (out of the site's scope, robots.txt), or None."""
        normalized = normalize_url(url)
        if normalized is None or not site.rules.in_scope(normalized):
            return f"redirected out of scope: {url}"
        return self.robots.refusal(url)

    def _declined_reason(self, url: str) -> str:
        row = self.state.connection.execute("SELECT reason FROM crawl_pages WHERE url = ?", (url,)).fetchone()
        reason = row[0] if row and row[0] else "not indexed"
        return reason if reason.endswith("(not modified)") else f"{reason} (not modified)"

    def _enqueue_pages(self, site: Site, urls: list[str], depth: int) -> None:
        max_depth = self.max_depth if self.max_depth is not None else site.max_depth
        if depth > (DEFAULT_MAX_DEPTH if max_depth is None else max_depth):
            return
        for url in urls:
            if site.rules.in_scope(url):
                self.state.enqueue(url, site.name, "page", depth)

    def _discovered(self, site: Site, item: FrontierItem, result: FetchResult, urls: list[str], kind: str,
                    sitemaps: list[str] | None = None):
        self._enqueue_pages(site, urls, item.depth + 1)
        self.state.record(item.url, site=site.name, kind=item.kind, status=kind, http_status=result.status,
                          etag=result.etag, last_modified=result.last_modified, links=urls, fetched=True,
                          sitemaps=sitemaps or [], content_hash=hashlib.sha256(result.body).hexdigest())
        return kind, f"{len(urls)} URLs"

    def _not_modified(self, site: Site, item: FrontierItem, previous: PageState | None, result: FetchResult):
        """A 304: nothing to fetch or index; follow the links remembered from the last visit."""
        links = list(previous.links) if previous else []
        if previous and previous.canonical:
            links.append(previous.canonical)
        self._enqueue_pages(site, links, item.depth + 1)
        for url in previous.sitemaps if previous else ():
            self.state.enqueue(url, site.name, "sitemap", item.depth)
        status = previous.status if previous else "unchanged"
        reason = self._declined_reason(item.url) if status == "declined" else None
        self.state.record(item.url, site=site.name, kind=item.kind, status=status, reason=reason,
                          http_status=304)
        if status in ("listing", "feed", "sitemap", "duplicate"):
            self.summary.listings += status in ("listing", "duplicate")
            return status, "not modified"
        if reason is not None:
            self.summary.skipped.append((item.url, reason))
            return "skipped", reason
        self.summary.unchanged += 1
        return "unchanged", "not modified"

    def _page(self, site: Site, item: FrontierItem, final: str, result: FetchResult,
              previous: PageState | None) -> tuple[str, str | None]:
        """A fetched page: follow its links, then index it if it is a release that changed."""
        content_hash = hashlib.sha256(result.body).hexdigest()
        is_html = result.content_type not in TEXT_TYPES
        found = extract_links(result.body, final) if is_html else None
        links = found.links if found else []
        self._enqueue_pages(site, links, item.depth + 1)
        record = dict(site=site.name, kind=item.kind, http_status=result.status, etag=result.etag,
                      last_modified=result.last_modified, content_hash=content_hash, links=links,
                      fetched=True)
        canonical = found.canonical if found else None
        if canonical and canonical != final and site.rules.in_scope(canonical):
            # Index a release under its canonical URL only, so two spellings never make two documents.
            self.state.enqueue(canonical, site.name, "page", item.depth)
            self.state.record(item.url, status="duplicate", canonical=canonical, **record)
            self.summary.listings += 1
            return "duplicate", f"canonical URL is {canonical}"
        if not site.rules.is_release(final):
            self.state.record(item.url, status="listing", **record)
            self.summary.listings += 1
            return "listing", None
        if previous and previous.content_hash == content_hash and previous.status in _INGEST_STATUS.values():
            self.state.record(item.url, status="unchanged", **record)
            self.summary.unchanged += 1
            return "unchanged", "same content"
        return self._index(site, item, final, result, record)

    def _index(self, site: Site, item: FrontierItem, final: str, result: FetchResult, record: dict):
        if self.ingest is None:
            self.summary.new += 1
            return "new", "dry run"
        kind = "text" if result.content_type in TEXT_TYPES else "html"
        selectors = site.selectors.to_dict() if site.selectors is not None and kind == "html" else None
        raw = RawInput(locator=final, data=result.body, kind=kind, source=site.name, url=final,
                       headers=dict(result.headers), selectors=selectors or None)
        outcome = self.ingest(raw, extra=site.extra() or None)
        status = _INGEST_STATUS.get(getattr(outcome, "status", ""), "failed")
        reason = getattr(outcome, "reason", None)
        if status == "failed":
            # The page was fetched but the pipeline declined it (no text, not a release...): a skip for
            # the crawl, not a failure; a re-crawl asks whether it changed before trying again.
            reason = f"not indexed: {reason}"
            self.summary.skipped.append((item.url, reason))
            self.state.record(item.url, status="declined", reason=reason, **record)
            return "skipped", reason
        setattr(self.summary, status, getattr(self.summary, status) + 1)
        self.state.record(item.url, status=status, reason=reason, doc_id=getattr(outcome, "doc_id", None),
                          **record)
        return status, reason


def crawl(settings: Mapping[str, Any], sites: list[Site], *, dry_run: bool = False, **options) -> CrawlSummary:
    """Crawl ``sites`` into the store and index of ``settings`` (or nowhere, with ``dry_run``).

    ``options`` go to :class:`Crawler`: max_pages, max_depth, delay, fetch_options, policy, progress.
    """
    settings = as_settings(settings)
    if dry_run:
        connection = sqlite3.connect(":memory:")
        try:
            return Crawler(settings, sites, CrawlState(connection), None, **options).run()
        finally:
            connection.close()
    from index.ingest.pipeline import Ingester

    with Ingester(settings) as ingester:
        state = CrawlState(ingester.store.connection)
        return Crawler(settings, sites, state, ingester.ingest, **options).run()

