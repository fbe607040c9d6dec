"""The JSON API (``/api/v1``): the same parameters as the HTML pages, strict about unknown ones.

Unknown parameters are a 400 so a typo such as ``speakr=`` is reported rather than silently ignored.
Only ``_`` (a cache-buster some HTTP clients add) is accepted and ignored; JSONP ``callback`` is not
supported and is rejected like any other unknown parameter.
"""

from __future__ import annotations

import logging
import re

from flask import Blueprint, Response, abort, jsonify, request, url_for

from search.profiles import build_profile, suggestions
from search.request import QueryError, SearchRequest, parse_search_request
from search.results import SearchResult
from web import openapi
from web.exports import csv_lines
from web.external import external_url, public_base
from web.services import get_service

LOGGER = logging.getLogger(__name__)

bp = Blueprint("api", __name__, url_prefix="/api/v1")

IGNORED = ("_",)
SUGGEST_MAX_CHARS = 200
SUGGEST_MAX_LIMIT = 20
NOT_EMPTY = ("page", "per_page", "sort", "limit")


def reject_empty(names: tuple[str, ...] = NOT_EMPTY) -> None:
    """Raise ``QueryError`` when a number or choice parameter is given but empty (``page=``)."""
    for name in names:
        if name in request.args and not request.args[name].strip():
            raise QueryError(f"'{name}' is empty: give a value or leave the parameter out")


def parse_api_request(extra: tuple[str, ...] = ()) -> SearchRequest:
    """The search parameters of this request, refusing unknown ones (``_`` and ``extra`` excepted)."""
    reject_empty()
    return parse_search_request(request.args, strict=True, ignore=IGNORED + extra)


def check_params(known: tuple[str, ...]) -> None:
    """Raise ``QueryError`` for a parameter outside ``known`` (and ``_``)."""
    unknown = sorted(set(request.args) - set(known) - set(IGNORED))
    if unknown:
        raise QueryError(f"unknown parameter(s): {', '.join(unknown)}; known: {', '.join(known)}")


def hit_links(hit: dict) -> dict:
    """A hit dict with ``doc_url`` (the HTML page) and ``api_url`` (its JSON) added."""
    hit["doc_url"] = external_url("views.document", doc_id=hit["id"])
    hit["api_url"] = external_url("api.document", doc_id=hit["id"])
    return hit


def search_payload(result: SearchResult) -> dict:
    """``SearchResult.to_dict()`` plus ``self``/``next``/``prev``/``html_url``/``csv_url`` links."""
    req = result.request
    data = result.to_dict()
    last = result.pages

    def link(endpoint: str, target: SearchRequest) -> str:
        return external_url(endpoint, **target.to_params())

    data["self"] = link("api.search", req)
    data["next"] = link("api.search", req.with_changes(page=req.page + 1)) if req.page < last else None
    data["prev"] = (
        link("api.search", req.with_changes(page=min(req.page - 1, last))) if req.page > 1 else None
    )
    data["html_url"] = link("views.search", req)
    data["csv_url"] = link("api.search_csv", req)
    data["export_csv_url"] = link("exports.export_csv", req.with_changes(page=1))
    data["export_jsonl_url"] = link("exports.export_jsonl", req.with_changes(page=1))
    data["hits"] = [hit_links(hit) for hit in data["hits"]]
    return data


@bp.get("/search")
def search() -> Response:
    """Ranked hits with total, paging links, facets and "did you mean"."""
    req = parse_api_request()
    return jsonify(search_payload(get_service().search(req)))


def _csv_name(req: SearchRequest) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", (req.q or "all").lower()).strip("-")[:40] or "search"
    return f"migsearch-{slug}-p{req.page}.csv"


@bp.get("/search.csv")
def search_csv() -> Response:
    """One page of a search as CSV (same parameters as ``/search``; a ``Link`` header names the next).

    ``/export.csv`` (``web.exports``) writes every match instead.
    """
    req = parse_api_request()
    result = get_service().search(req, facets=False)
    lines = csv_lines(result.hits, lambda doc_id: external_url("views.document", doc_id=doc_id))
    response = Response("".join(lines), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{_csv_name(req)}"'
    response.headers["X-Total-Count"] = str(result.total)
    if req.page < result.pages:
        next_url = external_url("api.search_csv", **req.with_changes(page=req.page + 1).to_params())
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    return response


def _profile_payload(kind: str, name: str) -> Response:
    """The JSON twin of a speaker or event page: the profile, then the page's search."""
    if len(name) > 200:
        raise QueryError(f"'{kind}' is too long: {len(name)} characters, at most 200")
    args = {key: request.args.get(key, "") for key in request.args}
    if kind in args:
        raise QueryError(f"unknown parameter(s): {kind} (the {kind} is in the path)")
    args.setdefault("sort", "date")
    args[kind] = name
    reject_empty()
    req = parse_search_request(args, strict=True, ignore=IGNORED)
    service = get_service()
    result = service.search(req)
    if not result.total and req.with_changes(**{kind: ""}).is_empty:
        found = suggestions(service, kind, req.filters.get(kind, name))
        response = jsonify(
            {"ok": False, "error": f"no releases name the {kind} {name[:80]!r}", "status": 404, "suggestions": found}
        )
        response.status_code = 404
        return response
    profile = build_profile(service, kind, req)
    data = search_payload(result)
    data["profile"] = profile.to_dict()
    page = "views.speaker" if kind == "speaker" else "views.event"
    data["html_url"] = external_url(page, name=req.filters.get(kind, name))
    return jsonify(data)


@bp.get("/speakers/<path:name>")
def speaker_profile(name: str) -> Response:
    """A speaker's page as JSON: roles over time, quotes, events, people they appear with, releases."""
    return _profile_payload("speaker", name)


@bp.get("/events/<path:name>")
def event_profile(name: str) -> Response:
    """An event's page as JSON: who spoke there, what they said, and its releases."""
    return _profile_payload("event", name)


@bp.get("/docs/<path:doc_id>")
def document(doc_id: str) -> Response:
    """One document: fields, ``body_html`` with ``highlight`` terms marked, and similar documents."""
    check_params(("highlight",))
    highlight = request.args.get("highlight", "")
    if len(highlight) > 1000:
        raise QueryError(f"'highlight' is too long: {len(highlight)} characters, at most 1000")
    if len(doc_id) > 200:
        abort(404)
    service = get_service()
    doc = service.get_document(doc_id, highlight=highlight)
    if doc is None:
        abort(404, description=f"no document with id {doc_id[:40]!r}")
    similar = [hit_links(hit.to_dict()) for hit in service.more_like_this(doc_id, limit=5)]
    doc["html_url"] = external_url("views.document", doc_id=doc_id)
    return jsonify({"ok": True, "document": doc, "more_like_this": similar})


@bp.get("/facets")
def facets() -> Response:
    """Facet counts and the per-year or per-month histogram for a search, without hits."""
    req = parse_api_request()
    service = get_service()
    result = service.search(req, facets=True, highlight=False)
    data = result.to_dict()
    return jsonify(
        {
            "ok": True,
            "query": data["query"],
            "total": data["total"],
            "facets": data["facets"],
            "histogram": service.histogram(req),
        }
    )


def _suggestion_url(item: dict) -> str:
    value, kind = item.get("value", ""), item.get("kind", "")
    if kind == "speaker":
        return url_for("views.speaker", name=value)
    if kind == "event":
        return url_for("views.event", name=value)
    return url_for("views.search", q=value)


@bp.get("/suggest")
def suggest() -> Response:
    """Completions for what is being typed: speakers, events and title words, each with a URL."""
    check_params(("q", "limit"))
    reject_empty()
    prefix = " ".join(request.args.get("q", "").split())
    if len(prefix) > SUGGEST_MAX_CHARS:
        raise QueryError(f"'q' is too long: {len(prefix)} characters, at most {SUGGEST_MAX_CHARS}")
    if "\x00" in prefix:
        raise QueryError("'q' contains a NUL character")
    raw_limit = request.args.get("limit", "8").strip()
    if not re.fullmatch(r"[0-9]{1,3}", raw_limit) or not 1 <= int(raw_limit) <= SUGGEST_MAX_LIMIT:
        raise QueryError(f"'limit' must be a whole number between 1 and {SUGGEST_MAX_LIMIT}")
    items = get_service().suggest(prefix, limit=int(raw_limit)) if prefix else []
    suggestions = [
        {"value": item["value"], "kind": item["kind"], "url": _suggestion_url(item)} for item in items
    ]
    return jsonify({"ok": True, "q": prefix, "suggestions": suggestions})


@bp.get("/openapi.json")
def openapi_document() -> Response:
    """The OpenAPI 3 description of this API."""
    return jsonify(openapi.build_spec(server_url=public_base()))
