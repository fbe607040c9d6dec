"""The ``migsearch`` command line: a Flask group with our commands (ingest, search, reindex, ...).

Exit codes (``web.exit_codes``): 0 ok; 1 some inputs failed (the rest were kept); 2 usage error;
3 another writer is busy; 4 the index is missing or corrupt; 5 the writer failed; 130/143 stopped.
"""

from __future__ import annotations

import base64
import html
import json
import logging
import os
import re
import sys
import time

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from index.engine.integrity import IndexDamaged
from index.ingest.pipeline import Ingester, IngestOutcome, ingest_paths, reindex
from index.settings import data_dir as settings_data_dir
from index.store.documents import DocumentStore
from search.request import QueryError, parse_search_request
from web import create_app, exit_codes
from web.exit_codes import writer_errors
from web.services import get_service, settings_from_config

LOGGER = logging.getLogger(__name__)


def _set_data_dir(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        os.environ["MIGSEARCH_DATA_DIR"] = value


def _settings() -> dict:
    return settings_from_config(current_app)


@click.group(
    cls=FlaskGroup,
    create_app=create_app,
    add_version_option=False,
    params=[
        click.Option(
            ["--data-dir"],
            expose_value=False,
            is_eager=True,
            callback=_set_data_dir,
            envvar="MIGSEARCH_DATA_DIR",
            help="Data directory (store and index).",
        )
    ],
)
def main() -> None:
    """Search migration news: ingest releases, then search them by words, speaker, event and date."""
    logging.basicConfig(
        level=os.environ.get("MIGSEARCH_LOG_LEVEL", "WARNING"), format="%(levelname)s %(name)s: %(message)s"
    )


class _Progress:
    """Progress on stderr for long runs: counts and documents per second every ``every`` inputs."""

    def __init__(self, quiet: bool, every: int = 500) -> None:
        self.quiet = quiet or not sys.stderr.isatty() and os.environ.get("MIGSEARCH_PROGRESS") != "1"
        self.every = every
        self.seen = 0
        self.started = time.perf_counter()
        self.failed = 0

    def __call__(self, outcome: IngestOutcome) -> None:
        self.seen += 1
        if outcome.status == "failed":
            self.failed += 1
        if not self.quiet and self.seen % self.every == 0:
            rate = self.seen / max(time.perf_counter() - self.started, 1e-9)
            click.echo(f"\r  {self.seen:,} inputs, {self.failed:,} failed, {rate:,.0f}/s", err=True, nl=False)

    def done(self) -> None:
        if not self.quiet and self.seen >= self.every:
            click.echo("", err=True)


def _parse_map(items: tuple[str, ...]) -> dict | None:
    if not items:
        return None
    from index.inputs.records import parse_mapping

    try:
        return parse_mapping(list(items))
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="TARGET=FIELD",
    help="Map a record field for JSON Lines input, e.g. --map body=text --map speaker=speaker.",
)
@click.option("--source", help="Source name for these inputs (default: folder name or host).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--quiet", is_flag=True, help="No progress output.")
@with_appcontext
def ingest(
    paths: tuple[str, ...], mapping: tuple[str, ...], source: str | None, as_json: bool, quiet: bool
) -> None:
    """Ingest files, folders, globs, .gz, JSON Lines (with --map) and http(s) URLs."""
    progress = _Progress(quiet)
    parsed_map = _parse_map(mapping)
    _check_mapping(paths, parsed_map)
    with writer_errors():
        summary = ingest_paths(
            _settings(),
            list(paths),
            mapping=parsed_map,
            source=source,
            progress=progress,
            fetcher=_fetcher(),
        )
    progress.done()
    data = summary.to_dict()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(
            f"added {data['added']:,}, updated {data['updated']:,}, unchanged {data['unchanged']:,}, "
            f"failed {data['failed']:,} in {data['seconds']:.1f} s"
        )
        for failure in data["failures"][:50]:
            click.echo(f"  failed: {failure['input']}: {failure['reason']}", err=True)
        if len(data["failures"]) > 50:
            click.echo(f"  ... and {len(data['failures']) - 50:,} more failures", err=True)
    sys.exit(exit_codes.INPUTS_FAILED if data["failed"] else exit_codes.OK)


def _check_mapping(paths: tuple[str, ...], mapping: dict | None) -> None:
    """A ``--map`` naming a field that no record of the local JSON Lines inputs has is a usage error,
    found before anything is written."""
    if not mapping:
        return
    from index.inputs.records import unknown_mapped_fields

    absent = unknown_mapped_fields(list(paths), mapping)
    if absent:
        named = ", ".join(f"--map {target}={field}" for target, field in absent)
        raise click.UsageError(f"no record has the field named by {named}; nothing was ingested")


def _fetcher():
    """The crawler's polite single-URL fetcher, when the crawler is installed."""
    try:
        from index.crawl.fetch import fetch_raw_input
    except ImportError:
        return None
    settings = _settings()
    return lambda url, source=None: fetch_raw_input(url, settings, source=source)


_MARK = re.compile(r"<mark[^>]*>(.*?)</mark>", re.S)


def _terminal_snippet(snippet: str) -> str:
    text = _MARK.sub(lambda m: click.style(html.unescape(m.group(1)), bold=True, fg="yellow"), snippet)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


@main.command()
@click.argument("query", nargs=-1)
@click.option("--speaker", default="", help="Only documents with this speaker.")
@click.option("--event", default="", help="Only documents about this event.")
@click.option("--country", default="", help="Only documents naming this country.")
@click.option("--org", default="", help="Only documents naming this organisation.")
@click.option("--source", default="", help="Only documents from this source.")
@click.option("--lang", default="", help="Only documents in this language (ISO 639-1, e.g. ru).")
@click.option("--from", "date_from", default="", help="Published on or after (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--to", "date_to", default="", help="Published on or before (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option(
    "--sort",
    default="relevance",
    type=click.Choice(["relevance", "date", "-date"]),
    help="relevance, date (newest first) or -date (oldest first).",
)
@click.option("--limit", default=10, show_default=True, help="Hits per page (1-100).")
@click.option("--page", default=1, show_default=True, help="Result page.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: total, hits, facets.")
@with_appcontext
def search(
    query: tuple[str, ...], as_json: bool, limit: int, page: int, date_from: str, date_to: str, **filters: str
) -> None:
    """Search with the query language: words, "phrases", AND/OR/NOT, speaker:"Name", event:..."""
    args = {
        "q": " ".join(query),
        "from": date_from,
        "to": date_to,
        "per_page": str(limit),
        "page": str(page),
        **filters,
    }
    try:
        request = parse_search_request(args)
        result = get_service().search(request)
    except QueryError as exc:
        raise click.UsageError(str(exc)) from exc
    except IndexDamaged as exc:
        exit_codes.fail(str(exc), exit_codes.INDEX_DAMAGED)
    data = result.to_dict()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"{data['total']:,} result{'s' if data['total'] != 1 else ''} ({data['took_ms']:.0f} ms)")
    if data["suggestion"]:
        click.echo(f"Did you mean: {data['suggestion']}")
    start = (request.page - 1) * request.per_page
    for number, hit in enumerate(data["hits"], start=start + 1):
        meta = " · ".join(x for x in (hit["date"] or "undated", hit["source"]) if x)
        click.echo(f"\n{number}. {click.style(hit['title'], bold=True)}  [{meta}]  id={hit['id']}")
        if hit["speakers"]:
            click.echo("   speakers: " + ", ".join(s["name"] for s in hit["speakers"]))
        if hit["events"]:
            click.echo("   events: " + "; ".join(hit["events"]))
        if hit["snippet"]:
            click.echo("   " + _terminal_snippet(hit["snippet"]))


@main.command("reindex")
@click.option("--full", is_flag=True, help="Normalize every stored raw input again and rebuild the index.")
@with_appcontext
def reindex_command(full: bool) -> None:
    """Bring the index up to date with the store; --full rebuilds it and swaps it in atomically."""
    with writer_errors():
        result = reindex(_settings(), full=full)
    verb = "rebuilt" if result["rebuilt"] else "checked"
    click.echo(
        f"{verb} index: {result['indexed']:,} documents indexed, {result['documents']:,} stored, "
        f"in {result['seconds']:.1f} s"
    )
    for name, count in result.get("repairs", {}).items():
        click.echo(f"  repaired: {name.replace('_', ' ')}: {count:,}")
    for failure in result.get("failures", [])[:20]:
        click.echo(f"  kept old version of {failure['id']}: {failure['reason']}", err=True)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@with_appcontext
def stats(as_json: bool) -> None:
    """Documents by source and language, duplicates, index size and age."""
    settings = _settings()
    with DocumentStore(settings_data_dir(settings)) as store:
        data = store.stats()
    data["data_dir"] = str(settings_data_dir(settings))
    data["index"] = get_service().health()
    damaged = data["index"].get("index_state") in ("missing", "corrupt")
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        if damaged:
            sys.exit(exit_codes.INDEX_DAMAGED)
        return
    click.echo(f"data directory: {data['data_dir']}")
    click.echo(
        f"documents: {data['documents']:,} ({data['dated']:,} dated, "
        f"{data['duplicate_groups']:,} duplicate groups)"
    )
    if data["index"].get("error"):
        click.echo(f"index: {data['index']['error']}")
    else:
        click.echo(
            f"index: {data['index']['documents']:,} documents, age {data['index']['index_age_seconds']} s"
        )
    for source, count in list(data["by_source"].items())[:20]:
        click.echo(f"  source {source}: {count:,}")
    for language, count in data["by_language"].items():
        click.echo(f"  language {language}: {count:,}")
    if damaged:
        sys.exit(exit_codes.INDEX_DAMAGED)


@main.command()
@click.argument("ids", nargs=-1)
@click.option("--source", help="Delete every document of this source.")
@with_appcontext
def delete(ids: tuple[str, ...], source: str | None) -> None:
    """Delete documents by id, or all documents of one source."""
    if not ids and not source:
        raise click.UsageError("give document ids or --source NAME")
    with writer_errors(), Ingester(_settings()) as ingester:
        missing = sorted(set(ids) - set(ingester.store.get_many(list(ids), columns="id")))
        targets = set(ids) - set(missing) | set(ingester.store.ids_for_source(source) if source else [])
        count = ingester.delete(sorted(targets))
    click.echo(f"deleted {count:,} document{'s' if count != 1 else ''}")
    if missing:
        click.echo(f"not found: {', '.join(missing)}", err=True)
        sys.exit(1)


@main.command()
@click.option(
    "--output",
    "-o",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="File to write (default: standard output).",
)
@click.option("--source", help="Only this source.")
@with_appcontext
def export(output, source: str | None) -> None:
    """The store as JSON Lines (documents with their raw input), for backup or moving machines."""
    count = 0
    with DocumentStore(settings_data_dir(_settings())) as store:
        for doc in store.iter_documents(source=source):
            data = doc.to_dict()
            data["raw_kind"] = doc.raw_kind
            data["raw_meta"] = doc.raw_meta
            data["raw_base64"] = base64.b64encode(doc.raw).decode("ascii")
            output.write(json.dumps(data, ensure_ascii=False) + "\n")
            count += 1
    click.echo(f"exported {count:,} documents", err=True)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--map", "mapping", multiple=True, metavar="TARGET=FIELD", help="Field mapping for JSON Lines.")
@click.option("--source", help="Source name for these inputs.")
@click.option("--json", "as_json", is_flag=True, default=True, help="JSON Lines output (the default).")
@with_appcontext
def extract(paths: tuple[str, ...], mapping: tuple[str, ...], source: str | None, as_json: bool) -> None:
    """Print what normalization and extraction make of inputs, one JSON object per line; stores nothing."""
    from index.inputs.raw import InputError, iter_inputs
    from index.normalize.entry import process

    parsed_map = _parse_map(mapping)
    failed = 0
    settings = _settings()
    for item in iter_inputs(
        list(paths), source=source, max_bytes=int(settings["MAX_DOCUMENT_BYTES"]), fetcher=_fetcher()
    ):
        if isinstance(item, InputError):
            click.echo(f"failed: {item.locator}: {item.reason}", err=True)
            failed += 1
            continue
        try:
            doc = process(item, mapping=parsed_map)
        except Exception as exc:  # noqa: BLE001 - report and go on
            click.echo(f"failed: {item.locator}: {exc}", err=True)
            failed += 1
            continue
        data = {"input": item.locator, **doc.to_dict()}
        click.echo(json.dumps(data, ensure_ascii=False))
    sys.exit(1 if failed else 0)


def _register_optional_commands() -> None:
    """The crawler's command, when present."""
    try:
        from web.crawl_cli import crawl
    except ImportError:
        return
    if isinstance(crawl, click.Command):
        main.add_command(crawl)


_register_optional_commands()
