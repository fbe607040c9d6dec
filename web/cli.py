"""The ``migsearch`` command line: a Flask group with our commands (ingest, search, reindex, ...).

Exit codes (``web.exit_codes``): 0 ok; 1 some inputs failed (the rest were kept); 2 usage error;
3 another writer is busy; 4 the index is missing, corrupt or outdated; 5 the writer failed; 130/143 stopped.

Start-up is part of every command's time (scripts call ``migsearch search`` once per query), so this
module imports only click and Flask: each command imports what it uses when it runs, and ``search`` and
``stats`` never load the ingest pipeline, the extractors or the crawler.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from web import create_app, exit_codes
from web.exit_codes import writer_errors
from web.progress import ProgressLine
from web.services import get_settings

if TYPE_CHECKING:
    from index.ingest.pipeline import IngestOutcome
    from index.settings import Settings

LOGGER = logging.getLogger(__name__)


# Commands that serve or show the web app; every other command gets an app without pages and API.
WEB_COMMANDS = frozenset({"serve", "routes", "run", "shell"})


def _cli_app():
    """The app for the command being run: with the web pages only for commands that use them."""
    ctx = click.get_current_context(silent=True)
    return create_app(pages=ctx is not None and ctx.info_name in WEB_COMMANDS)


def _set_data_dir(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        os.environ["MIGSEARCH_DATA_DIR"] = value


def _settings() -> Settings:
    return get_settings(current_app)


@click.group(
    cls=FlaskGroup,
    create_app=_cli_app,
    add_version_option=False,
    params=[
        click.Option(
            ["--data-dir"],
            expose_value=False,
            is_eager=True,
            callback=_set_data_dir,
            envvar="MIGSEARCH_DATA_DIR",
            metavar="DIR",
            help="Data directory (store and index); default $MIGSEARCH_DATA_DIR or ~/.local/share/migsearch.",
        )
    ],
)
def main() -> None:
    """Search migration news: ingest releases, then search them by words, speaker, event and date."""
    logging.basicConfig(
        level=os.environ.get("MIGSEARCH_LOG_LEVEL", "WARNING"), format="%(levelname)s %(name)s: %(message)s"
    )


class _IngestProgress:
    """A progress line for ingest: inputs seen, failures and rate (see ``web.progress``)."""

    def __init__(self, quiet: bool) -> None:
        self.line = ProgressLine(quiet=quiet)
        self.seen = 0
        self.failed = 0

    def __call__(self, outcome: IngestOutcome) -> None:
        self.seen += 1
        if outcome.status == "failed":
            self.failed += 1
        self.line.update(self.seen, f"{self.seen:,} inputs, {self.failed:,} failed")

    def done(self) -> None:
        self.line.finish()


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
@click.option(
    "--include",
    multiple=True,
    metavar="GLOB",
    help="Also take files in folders matching this name pattern (e.g. 'README*'); repeatable.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress lines (by default one every few seconds).")
@with_appcontext
def ingest(
    paths: tuple[str, ...],
    mapping: tuple[str, ...],
    source: str | None,
    include: tuple[str, ...],
    as_json: bool,
    quiet: bool,
) -> None:
    """Ingest files, folders, globs, .gz, JSON Lines (with --map) and http(s) URLs.

    In folders, only release-like files are read: .html .htm .xhtml .shtml .txt .text .md .jsonl
    .ndjson .json (each also .gz) and files without a suffix, except README, SOURCE, LICENSE and the
    like. Name a file directly, or use --include GLOB, to ingest any other.
    """
    from index.ingest.pipeline import ingest_paths

    progress = _IngestProgress(quiet)
    parsed_map = _parse_map(mapping)
    _check_mapping(paths, parsed_map)
    with writer_errors():  # busy = 3, failed writer = 5, Ctrl-C / SIGTERM stop cleanly
        summary = ingest_paths(
            _settings(),
            list(paths),
            mapping=parsed_map,
            source=source,
            progress=progress,
            fetcher=_fetcher(),
            include=include,
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
        failures = [f for f in data["failures"] if f["status"] == "failed"]
        for failure in failures[:50]:
            click.echo(f"  failed: {failure['input']}: {failure['reason']}", err=True)
        if len(failures) > 50:
            click.echo(f"  ... and {len(failures) - 50:,} more failures", err=True)
        _report_skipped([f for f in data["failures"] if f["status"] == "skipped"])
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


def _report_skipped(skipped: list[dict]) -> None:
    """Say which files in folders were left out as not release-like, and how to take them."""
    if not skipped:
        return
    names = sorted({os.path.basename(item["input"]) for item in skipped})
    shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
    files = "file that does not look like a release" if len(skipped) == 1 else "files that do not look like releases"
    click.echo(
        f"  skipped {len(skipped):,} {files} ({shown}); "
        "name a file directly or add --include 'PATTERN' to ingest it",
        err=True,
    )


def _fetcher():
    """The crawler's polite single-URL fetcher."""
    from index.crawl.single import fetch_raw_input

    settings = _settings()
    return lambda url, source=None: fetch_raw_input(url, settings, source=source)


@main.command("reindex")
@click.option("--full", is_flag=True, help="Normalize every stored raw input again and rebuild the index.")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines (by default one every few seconds).")
@with_appcontext
def reindex_command(full: bool, quiet: bool) -> None:
    """Bring the index up to date with the store; --full rebuilds it and swaps it in atomically."""
    from index.ingest.pipeline import reindex

    line = ProgressLine(quiet=quiet)
    try:
        with writer_errors():
            result = reindex(
                _settings(), full=full, progress=lambda done: line.update(done, f"{done:,} documents")
            )
    finally:
        line.finish()
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
@click.argument("ids", nargs=-1)
@click.option("--source", help="Delete every document of this source.")
@with_appcontext
def delete(ids: tuple[str, ...], source: str | None) -> None:
    """Delete documents by id, or all documents of one source."""
    if not ids and not source:
        raise click.UsageError("give document ids or --source NAME")
    from index.ingest.pipeline import Ingester

    with writer_errors(), Ingester(_settings()) as ingester:
        assert ingester.store is not None
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
    import base64

    from index.settings import data_dir as settings_data_dir
    from index.store.documents import STORE_FILENAME, DocumentStore

    count = 0
    data_dir = settings_data_dir(_settings())
    if not (data_dir / STORE_FILENAME).exists():
        click.echo("exported 0 documents (no store yet)", err=True)
        return
    with DocumentStore(data_dir, readonly=True) as store:
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
    from index.inputs.raw import InputError, SkippedInput, iter_inputs
    from index.normalize.entry import process

    parsed_map = _parse_map(mapping)
    failed = 0
    settings = _settings()
    for item in iter_inputs(
        list(paths), source=source, max_bytes=settings.max_document_bytes, fetcher=_fetcher()
    ):
        if isinstance(item, SkippedInput):
            click.echo(f"skipped: {item.locator}: {item.reason}", err=True)
            continue
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


#: Flask's own group options, which mean nothing to a migsearch user: kept working, left out of --help.
HIDDEN_FLASK_OPTIONS = ("env_file", "app", "debug")


def _hide_flask_options() -> None:
    for param in main.params:
        if param.name in HIDDEN_FLASK_OPTIONS and isinstance(param, click.Option):
            param.hidden = True


def _register_commands() -> None:
    """``search`` and ``stats`` (see ``web.quick_cli``), ``serve`` and ``crawl``, from their own modules."""
    from web.crawl_cli import crawl
    from web.quick_cli import make_search, make_stats
    from web.serve import serve_command

    main.add_command(make_search(with_appcontext))
    main.add_command(make_stats(with_appcontext))
    main.add_command(serve_command)
    main.add_command(crawl)


_register_commands()
_hide_flask_options()
