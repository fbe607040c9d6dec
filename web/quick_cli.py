"""``migsearch search`` and ``migsearch stats``, and the quick way in that runs them without Flask.

Scripts call ``migsearch search`` once per query, so its start-up is most of what they wait for. These two
commands only read the data directory: they need neither the web app nor the ingest pipeline. They are
defined once here, by ``make_search`` and ``make_stats``, and used twice:

- in the ``migsearch`` group (``web.cli.main``, a Flask ``FlaskGroup``), wrapped in Flask's app context,
  so they read the app's settings like every other command;
- by ``launch``, the ``migsearch`` executable: when the command line is just ``[--data-dir DIR] search ...``
  or ``[--data-dir DIR] stats ...``, it runs the same commands in a plain click group with the settings
  from the ``MIGSEARCH_*`` environment (which is what the Flask app's configuration holds too), so
  Flask is never imported; any other command line goes to the Flask group.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

#: Exit code of a search or ``stats`` on a missing or corrupt index (``web.exit_codes``, not imported
#: here: this module starts without the writer's machinery).
INDEX_DAMAGED = 4

if TYPE_CHECKING:
    from index.settings import Settings
    from search.spans import Snippet

LOGGER = logging.getLogger(__name__)

QUICK_COMMANDS = ("search", "stats")


def read_settings() -> Settings:
    """The settings: the Flask app's when one is active, else defaults and ``MIGSEARCH_*`` variables."""
    flask = sys.modules.get("flask")
    if flask is not None and flask.has_app_context():
        from web.services import get_settings

        return get_settings(flask.current_app)
    from index.settings import load_settings

    return load_settings()


def _service():
    """The app's search service under Flask, else one opened for this command."""
    flask = sys.modules.get("flask")
    if flask is not None and flask.has_app_context():
        from web.services import get_service

        return get_service()
    from search.service import SearchService

    return SearchService(read_settings())


def _terminal_snippet(snippet: Snippet) -> str:
    """The snippet as terminal text, matched words bold yellow (plain where output is not a terminal)."""
    return "".join(
        click.style(span.text, bold=True, fg="yellow") if span.match else span.text for span in snippet.spans
    )


def make_search(wrap: Callable = lambda f: f) -> click.Command:
    """The ``search`` command (``wrap`` is applied to its function first, e.g. Flask's ``with_appcontext``)."""

    @click.command("search")
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
    @click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json", "csv", "jsonl"]),
        default="text",
        show_default=True,
        help="Output: text, json (one object), csv or jsonl (one hit per line).",
    )
    @click.option("--all", "every", is_flag=True, help="Every match, not one page (with --format csv or jsonl).")
    @click.option(
        "--output", "-o", type=click.File("w", encoding="utf-8"), default="-", help="File to write (default: stdout)."
    )
    @wrap
    def search(
        query: tuple[str, ...],
        as_json: bool,
        output_format: str,
        every: bool,
        output,
        limit: int,
        page: int,
        date_from: str,
        date_to: str,
        **filters: str,
    ) -> None:
        """Search with the query language: words, "phrases", AND/OR/NOT, speaker:"Name", quote:word...

        --all --format csv|jsonl writes every match (up to MIGSEARCH_EXPORT_MAX_ROWS), as the web's exports do.
        """
        from index.engine.integrity import IndexDamaged
        from search.request import QueryError, parse_search_request

        output_format = "json" if as_json else output_format
        if every and output_format not in ("csv", "jsonl"):
            raise click.UsageError("--all writes every match as --format csv or --format jsonl")
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
            if every:
                _export_all(request, output_format, output)
                return
            # Facets only for JSON (the other outputs do not show them): a plain search never loads them.
            result = _service().search(request, facets=output_format == "json")
        except QueryError as exc:
            raise click.UsageError(str(exc)) from exc
        except IndexDamaged as exc:  # a lost or corrupt index: exit 4 with the repairing command
            click.echo(f"Error: {exc}", err=True)
            sys.exit(INDEX_DAMAGED)
        if output_format in ("csv", "jsonl"):
            from web.exports import csv_lines, jsonl_lines

            lines = csv_lines if output_format == "csv" else jsonl_lines
            output.writelines(lines(result.hits, _doc_path))
            return
        from web.snippets import result_json

        data = result_json(result)
        if output_format == "json":
            click.echo(json.dumps(data, ensure_ascii=False, indent=2), file=output)
            return
        click.echo(f"{data['total']:,} result{'s' if data['total'] != 1 else ''} ({data['took_ms']:.0f} ms)")
        if data["suggestion"]:
            click.echo(f"Did you mean: {data['suggestion']}")
        start = (request.page - 1) * request.per_page
        for number, (found, hit) in enumerate(zip(result.hits, data["hits"], strict=True), start=start + 1):
            meta = " · ".join(x for x in (hit["date"] or "undated", hit["source"]) if x)
            click.echo(f"\n{number}. {click.style(hit['title'], bold=True)}  [{meta}]  id={hit['id']}")
            if hit["speakers"]:
                click.echo("   speakers: " + ", ".join(s["name"] for s in hit["speakers"]))
            if hit["events"]:
                click.echo("   events: " + "; ".join(hit["events"]))
            if hit.get("quote"):
                speaker = click.style(hit["quote"]["speaker"], bold=True)
                click.echo(f"   {speaker}: " + _terminal_snippet(found.snippet))
            elif found.snippet:
                click.echo("   " + _terminal_snippet(found.snippet))

    return search


def _doc_path(doc_id: str) -> str:
    """The web page of a document, as a path on the server (``migsearch serve``)."""
    from urllib.parse import quote

    return "/doc/" + quote(doc_id, safe="")


def _export_all(request, output_format: str, output) -> None:
    """Every match of ``request`` to ``output``, with a message on stderr when the cap cut it."""
    from search.export import export_hits
    from web.exports import csv_lines, jsonl_lines

    export = export_hits(_service(), request.with_changes(page=1))
    lines = csv_lines if output_format == "csv" else jsonl_lines
    output.writelines(lines(export.hits, _doc_path, export.limit_message()))
    output.flush()
    if export.truncated:
        click.echo(f"Warning: {export.limit_message()}", err=True)
    elif output is not sys.stdout and getattr(output, "name", "-") != "<stdout>":
        click.echo(f"wrote {export.rows:,} rows", err=True)


def make_stats(wrap: Callable = lambda f: f) -> click.Command:
    """The ``stats`` command (``wrap`` as for ``make_search``)."""

    @click.command("stats")
    @click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
    @wrap
    def stats(as_json: bool) -> None:
        """Documents by source and language, duplicates, index size and age."""
        from index.engine.integrity import REPAIR_COMMAND, check_index, quick_health
        from index.settings import data_dir as settings_data_dir
        from index.store.documents import DocumentStore

        settings = read_settings()
        folder = settings_data_dir(settings)
        data = DocumentStore.read_stats(folder)  # read-only; all zero before the first ingest
        data["data_dir"] = str(folder)
        damaged = False
        if str(settings.get("ENGINE", "whoosh") or "whoosh").lower() != "whoosh":
            data["index"] = _engine_health(settings)  # a cluster: its reader says (no local index folder)
            data["index"]["index_state"] = "ok" if data["index"]["index_present"] else "absent"
        elif (health := quick_health(folder)) is not None:
            data["index"] = health  # the manifest of the last commit and the file listing: Whoosh not loaded
        else:
            from index.engine.generations import index_health

            status = check_index(folder, indexed_in_store=data.get("indexed", 0), read_segments=False)
            damaged = status.damaged
            if damaged:  # lost or corrupt: said with the repairing command, exit code 4
                data["index"] = {
                    "ok": False,
                    "index_present": status.state != "missing",
                    "index_state": status.state,
                    "error": status.message,
                    "repair": REPAIR_COMMAND,
                    "documents": 0,
                    "index_age_seconds": None,
                }
            else:
                data["index"] = index_health(folder)  # read from the index's table of contents: no searcher
                data["index"]["index_state"] = "ok" if data["index"]["index_present"] else "absent"
        if as_json:
            click.echo(json.dumps(data, ensure_ascii=False, indent=2))
            if damaged:
                sys.exit(INDEX_DAMAGED)
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
            sys.exit(INDEX_DAMAGED)

    return stats


def _engine_health(settings) -> dict:
    """Presence, document count and age of the index of a non-local engine (OpenSearch), from its reader."""
    from index.engine.select import open_engine

    reader = open_engine(settings).reader()
    try:
        health = reader.health()
    finally:
        reader.close()
    return {"ok": health.present, "index_present": health.present, "documents": health.documents,
            "index_age_seconds": health.age_seconds}


def _set_data_dir(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        os.environ["MIGSEARCH_DATA_DIR"] = value


@click.group(
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
def quick() -> None:
    """The read-only commands of ``migsearch``, without Flask (see the module)."""
    logging.basicConfig(
        level=os.environ.get("MIGSEARCH_LOG_LEVEL", "WARNING"), format="%(levelname)s %(name)s: %(message)s"
    )


quick.add_command(make_search())
quick.add_command(make_stats())
