"""Whole-search exports: every match of a search as CSV or JSON Lines, streamed.

``/api/v1/export.csv`` and ``/api/v1/export.jsonl`` take the search parameters of ``/api/v1/search``
(``page`` and ``per_page`` do not apply) and write one row per matching release, in the search's
order, up to the ``EXPORT_MAX_ROWS`` setting. When the limit cuts an export, the headers say so
before the first row (``X-Export-Truncated``) and the last line says it in words. The CLI's
``migsearch search --all --format csv|jsonl`` writes the same rows.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator

from flask import Blueprint, Response, request, stream_with_context

from search.export import Export, export_hits
from search.request import QueryError, SearchRequest, parse_search_request
from search.results import Hit
from web.external import external_url
from web.feeds import snippet_text
from web.services import get_service

LOGGER = logging.getLogger(__name__)

bp = Blueprint("exports", __name__, url_prefix="/api/v1")

CSV_COLUMNS = (
    "id",
    "date",
    "title",
    "source",
    "speakers",
    "events",
    "organisations",
    "countries",
    "language",
    "score",
    "duplicates",
    "url",
    "doc_url",
    "quote_speaker",
    "quote",
    "snippet",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: The first cell of the closing CSV row that says an export was cut.
TRUNCATED_MARK = "# truncated"


_NUMBER_RE = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def csv_cell(value: object) -> str:
    """A cell as text; one starting like a formula gets a leading ``'`` so spreadsheets show it as text
    (a number, negative ones included, is data and stays as it is)."""
    text = "" if value is None else str(value)
    if isinstance(value, (int, float)) or _NUMBER_RE.fullmatch(text):
        return text
    if text.startswith(_FORMULA_START):
        text = "'" + text
    return text


def hit_row(hit: Hit, doc_url: str) -> dict:
    """A hit as flat CSV fields: lists joined with ``; ``, the snippet as plain text, the quote split."""
    row = hit.to_dict()
    row["speakers"] = "; ".join(
        s.get("name", "") + (f" ({s['role']})" if s.get("role") else "") for s in hit.speakers
    )
    for key in ("events", "organisations", "countries"):
        row[key] = "; ".join(row[key])
    row["doc_url"] = doc_url
    row["snippet"] = snippet_text(hit.snippet)
    row["quote_speaker"] = (hit.quote or {}).get("speaker", "")
    row["quote"] = (hit.quote or {}).get("text", "")
    return row


def csv_lines(hits: Iterable[Hit], doc_url: Callable[[str], str], closing: str = "") -> Iterator[str]:
    """The header, one CSV line per hit, and a closing ``# truncated`` row when ``closing`` is given."""
    out = io.StringIO()
    writer = csv.writer(out)

    def flush() -> str:
        text = out.getvalue()
        out.seek(0)
        out.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    yield flush()
    for hit in hits:
        row = hit_row(hit, doc_url(hit.id))
        writer.writerow([csv_cell(row.get(column)) for column in CSV_COLUMNS])
        yield flush()
    if closing:
        writer.writerow([TRUNCATED_MARK, closing])
        yield flush()


def jsonl_lines(hits: Iterable[Hit], doc_url: Callable[[str], str], closing: str = "") -> Iterator[str]:
    """One JSON object per hit (the API's hit shape plus ``doc_url``), and a closing
    ``{"ok": false, "truncated": true, "message"}`` line when ``closing`` is given."""
    for hit in hits:
        data = hit.to_dict()
        data["doc_url"] = doc_url(hit.id)
        yield _json_line(data)
    if closing:
        yield _json_line({"ok": False, "truncated": True, "message": closing})


def _json_line(data: dict) -> str:
    """One JSON line with ``<``, ``>`` and ``&`` escaped, like the API's responses."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


def file_name(req: SearchRequest, suffix: str) -> str:
    """A download name from the query: ``migsearch-offshore-processing-all.csv``."""
    words = " ".join([req.q, *req.filters.values()]) or "all"
    slug = re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")[:40] or "search"
    return f"migsearch-{slug}-all.{suffix}"


def _export_request() -> SearchRequest:
    """The search parameters, strict like the API's (``_`` ignored; empty numbers refused)."""
    for name in ("page", "per_page", "sort"):
        if name in request.args and not request.args[name].strip():
            raise QueryError(f"'{name}' is empty: give a value or leave the parameter out")
    return parse_search_request(request.args, strict=True, ignore=("_",)).with_changes(page=1)


def _stream(kind: str) -> Response:
    req = _export_request()
    export: Export = export_hits(get_service(), req)

    def doc_url(doc_id: str) -> str:
        return external_url("views.document", doc_id=doc_id)

    lines = csv_lines if kind == "csv" else jsonl_lines
    mimetype = "text/csv" if kind == "csv" else "application/x-ndjson"
    body = stream_with_context(lines(export.hits, doc_url, export.limit_message()))
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{file_name(req, kind)}"'
    response.headers["X-Total-Count"] = str(export.total)
    response.headers["X-Export-Rows"] = str(export.rows)
    response.headers["X-Export-Truncated"] = "true" if export.truncated else "false"
    LOGGER.info("export %s of %r: %d of %d rows", kind, request.query_string[:200], export.rows, export.total)
    return response


@bp.get("/export.csv")
def export_csv() -> Response:
    """Every match of a search as CSV (same parameters as ``/search``; ``page``/``per_page`` ignored)."""
    return _stream("csv")


@bp.get("/export.jsonl")
def export_jsonl() -> Response:
    """Every match of a search as JSON Lines, one hit per line."""
    return _stream("jsonl")
