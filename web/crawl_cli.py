"""``migsearch crawl``: follow news sites, feeds and sitemaps into the store and index, politely.

Exit codes: 0 all fetched pages were handled; 1 some URLs failed (the rest were kept); 2 usage error
(no URL and no sources file, a bad URL, an invalid sources file).
"""

from __future__ import annotations

import json
import logging
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from index.crawl.crawler import CrawlEvent
from index.crawl.crawler import crawl as run_crawl
from index.crawl.netsafety import parse_allow_list
from index.crawl.sources import Site, SourcesError, load_sources, sites_for_urls
from index.settings import SETTINGS
from web.exit_codes import writer_errors

LOGGER = logging.getLogger(__name__)


def _settings() -> dict:
    """The app's settings, plus the optional ``ALLOWED_ADDRESSES`` allow-list."""
    settings = {setting.name: current_app.config[setting.name] for setting in SETTINGS}
    if current_app.config.get("ALLOWED_ADDRESSES"):
        settings["ALLOWED_ADDRESSES"] = current_app.config["ALLOWED_ADDRESSES"]
    try:
        parse_allow_list(settings.get("ALLOWED_ADDRESSES"))
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    return settings


def _sites(urls: tuple[str, ...], sources: str | None) -> list[Site]:
    """Sites from the sources file and the URLs; a problem becomes a usage error (exit code 2)."""
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
    """One line per URL on stderr (``--verbose``) or a counter refreshed in place on a terminal."""

    def __init__(self, verbose: bool) -> None:
        self.verbose = verbose
        self.live = sys.stderr.isatty()

    def __call__(self, event: CrawlEvent) -> None:
        if self.verbose:
            reason = f" ({event.reason})" if event.reason else ""
            line = f"[{event.done}, {event.pending} queued] {event.outcome}: {event.url}{reason}"
            click.echo(line, err=True)
        elif self.live:
            click.echo(f"\r  {event.done} URLs done, {event.pending} queued", err=True, nl=False)

    def done(self) -> None:
        if self.live and not self.verbose:
            click.echo("", err=True)


@click.command("crawl")
@click.argument("urls", nargs=-1)
@click.option("--sources", type=click.Path(dir_okay=False), help="TOML file listing the sites to follow.")
@click.option("--max-pages", type=click.IntRange(min=1), help="Stop after this many URLs (resumed next run).")
@click.option("--max-depth", type=click.IntRange(min=0), help="Links followed from a start URL.")
@click.option("--delay", type=click.FloatRange(min=0), help="Seconds between requests to one host.")
@click.option("--dry-run", is_flag=True, help="Fetch and discover, but store and index nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--verbose", "-v", is_flag=True, help="Print every URL as it is handled.")
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
) -> None:
    """Crawl URLs (staying on their hosts) and/or the sites of a sources file into the index.

    robots.txt is obeyed, one request at a time per host with a delay; a re-crawl sends conditional
    requests and indexes only what changed; an interrupted crawl resumes where it stopped.
    """
    sites = _sites(urls, sources)
    progress = _Progress(verbose)
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
