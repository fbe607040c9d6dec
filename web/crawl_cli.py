"""``migsearch crawl``: follow news sites, feeds and sitemaps into the store and index, politely.

Exit codes: 0 all fetched pages were handled; 1 some URLs failed (the rest were kept); 2 usage error
(no URL and no sources file, a bad URL, an invalid sources file).
"""

from __future__ import annotations

import json
import logging
import sys
from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import with_appcontext

from index.settings import Settings
from web.exit_codes import writer_errors
from web.progress import ProgressLine
from web.services import get_settings

if TYPE_CHECKING:  # the crawler is imported when ``crawl`` runs, not when ``migsearch`` starts
    from index.crawl.crawler import CrawlEvent
    from index.crawl.sources import Site

LOGGER = logging.getLogger(__name__)


def _settings() -> Settings:
    """The app's settings (the one loader's, so ``MIGSEARCH_ALLOW_PRIVATE_ADDRESSES=no`` means no);
    an allow-list value that is not an address or a network is a usage error."""
    from index.crawl.netsafety import parse_allow_list

    settings = get_settings(current_app)
    try:
        parse_allow_list(settings.allowed_addresses or None)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    return settings


def _sites(urls: tuple[str, ...], sources: str | None) -> list[Site]:
    """Sites from the sources file and the URLs; a problem becomes a usage error (exit code 2)."""
    from index.crawl.sources import SourcesError, load_sources, sites_for_urls

    if not urls and not sources:
        raise click.UsageError("give URLs to crawl, or --sources FILE")
    sites: list[Site] = []
    try:
        if sources:
            sites.extend(load_sources(sources))
        if urls:
            sites.extend(sites_for_urls(list(urls)))
    except SourcesError as error:
        problems = "\n  ".join(error.problems)
        raise click.UsageError(f"{error.origin}:\n  {problems}") from error
    return sites


class _Progress:
    """One line per URL on stderr (``--verbose``), else a progress line every few seconds (``web.progress``)."""

    def __init__(self, verbose: bool, quiet: bool = False) -> None:
        self.verbose = verbose and not quiet
        self.line = ProgressLine(quiet=quiet or verbose)

    def __call__(self, event: CrawlEvent) -> None:
        if self.verbose:
            reason = f" ({event.reason})" if event.reason else ""
            line = f"[{event.done}, {event.pending} queued] {event.outcome}: {event.url}{reason}"
            click.echo(line, err=True)
        else:
            self.line.update(event.done, f"{event.done:,} URLs done, {event.pending:,} queued")

    def done(self) -> None:
        self.line.finish()


@click.command("crawl")
@click.argument("urls", nargs=-1)
@click.option("--sources", type=click.Path(dir_okay=False), help="TOML file listing the sites to follow.")
@click.option("--max-pages", type=click.IntRange(min=1), help="Stop after this many URLs (resumed next run).")
@click.option("--max-depth", type=click.IntRange(min=0), help="Links followed from a start URL.")
@click.option("--delay", type=click.FloatRange(min=0), help="Seconds between requests to one host.")
@click.option("--dry-run", is_flag=True, help="Fetch and discover, but store and index nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--verbose", "-v", is_flag=True, help="Print every URL as it is handled.")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines (by default one every few seconds).")
@with_appcontext
def crawl(
    urls: tuple[str, ...],
    sources: str | None,
    max_pages: int | None,
    max_depth: int | None,
    delay: float | None,
    dry_run: bool,
    as_json: bool,
    verbose: bool,
    quiet: bool,
) -> None:
    """Crawl URLs (staying on their hosts) and/or the sites of a sources file into the index.

    robots.txt is obeyed, one request at a time per host with a delay; a re-crawl sends conditional
    requests and indexes only what changed; an interrupted crawl resumes where it stopped.
    """
    from index.crawl.crawler import crawl as run_crawl

    sites = _sites(urls, sources)
    progress = _Progress(verbose, quiet)
    try:
        with writer_errors():  # writer busy is exit code 3; SIGTERM stops the crawl like Ctrl-C
            summary = run_crawl(
                _settings(),
                sites,
                dry_run=dry_run,
                max_pages=max_pages,
                max_depth=max_depth,
                delay=delay,
                progress=progress,
            )
    finally:
        progress.done()
    if as_json:
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(summary.format())
    sys.exit(1 if summary.failed else 0)


crawl_command = crawl  # the click command, under an unambiguous name
