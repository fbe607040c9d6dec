"""The HTML pages: home, search results, documents, speaker and event pages, the Atom feed, health."""

from __future__ import annotations

import logging
from typing import Any, cast
from urllib.parse import quote_plus

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for
from markupsafe import Markup

from search.profiles import build_profile, suggestions
from search.request import SearchRequest, parse_search_request
from web import chart, feeds
from web.external import external_url
from web.links import (
    FACET_LABELS,
    FILTER_LABELS,
    Scope,
    active_filters,
    bar_url,
    facet_links,
    name_url,
    pager,
    safe_href,
    sort_links,
)
from web.profile_view import profile_view
from web.services import get_service

LOGGER = logging.getLogger(__name__)

bp = Blueprint("views", __name__)

MAX_DOC_ID = 200
FEED_SIZE = 20
#: Values on a facet's own page (``/facet/<name>``), the sidebar's "more" link.
FACET_PAGE_VALUES = 200
#: Speakers and events linked on a result card (the rest are counted).
HIT_SPEAKERS = 4
HIT_EVENTS = 2


@bp.app_template_filter("safe_href")
def _safe_href_filter(url: str | None) -> str | None:
    return safe_href(url)


def _request_args(default_sort: str = "relevance") -> dict[str, str]:
    args = {key: request.args.get(key, "") for key in request.args}
    if not args.get("sort"):
        args["sort"] = default_sort
    return args


def render_results(
    req: SearchRequest, scope: Scope, *, heading: str = "", kind: str = "", result=None, **extra
) -> str:
    """Run the search (unless ``result`` is given) and render the results page for ``scope``."""
    service = get_service()
    result = result or service.search(req)
    histogram = (result.histogram or service.histogram(req)) if result.total else []
    api_url = extra.pop("api_url", None) or url_for("api.search", **cast(dict[str, Any], req.to_params()))
    return render_template(
        "search.html",
        **extra,
        req=req,
        result=result,
        heading=heading,
        kind=kind,
        scope=scope,
        hits=[_hit_view(hit.to_dict(), req) for hit in result.hits],
        facets=facet_links(req, result.facets, scope),
        filters=active_filters(req, scope),
        pager=pager(req, result.pages, scope),
        sorts=sort_links(req, scope),
        chart=chart.render_charts(histogram, bar_url(req, scope), unit="releases") if histogram else "",
        suggestion_url=scope.url(req.with_changes(q=result.suggestion)) if result.suggestion else None,
        feed_url=url_for("views.feed", **cast(dict[str, Any], _feed_params(req))),
        api_url=api_url,
        csv_url=url_for("api.search_csv", **cast(dict[str, Any], req.to_params())),
        export_csv_url=url_for("exports.export_csv", **cast(dict[str, Any], _export_params(req))),
        export_jsonl_url=url_for("exports.export_jsonl", **cast(dict[str, Any], _export_params(req))),
    )


def _export_params(req: SearchRequest) -> dict[str, str]:
    params = req.to_params()
    params.pop("page", None)
    params.pop("per_page", None)
    return params


def _hit_view(hit: dict, req: SearchRequest) -> dict:
    """A hit dict with the URLs its card links to (document, speakers, events, source)."""
    hit["snippet_html"] = Markup(hit.get("snippet") or "")  # safe by contract: escaped text with <mark>
    query = f"?q={quote_plus(req.q)}" if req.q else ""
    hit["doc_url"] = name_url("views.document", hit["id"], arg="doc_id") + query
    hit["source_href"] = safe_href(hit.get("url"))
    speakers = [s for s in hit.get("speakers") or [] if s.get("name")][:HIT_SPEAKERS]
    hit["speaker_links"] = [{**s, "href": name_url("views.speaker", s["name"])} for s in speakers]
    events = [e for e in hit.get("events") or [] if e][:HIT_EVENTS]
    hit["event_links"] = [{"name": e, "href": name_url("views.event", e)} for e in events]
    quote = hit.get("quote")
    hit["quote_speaker_url"] = name_url("views.speaker", quote["speaker"]) if quote and quote.get("speaker") else None
    return hit


def _feed_params(req: SearchRequest) -> dict[str, str]:
    params = req.with_changes(sort="date").to_params()
    params.pop("page", None)
    params.pop("per_page", None)
    params.pop("sort", None)
    return params


@bp.get("/")
def home() -> str:
    """The front page: a search box that works without JavaScript, and ways to browse."""
    service = get_service()
    health = service.health()
    browse = []
    if health.get("documents"):
        result = service.search(SearchRequest(per_page=1), facets=True, highlight=False)
        browse = facet_links(result.request, result.facets, Scope())
        years = service.facets(SearchRequest(), limit=FACET_PAGE_VALUES).get("year", [])
        browse = [g for g in browse if g["name"] != "year"]
        browse += facet_links(SearchRequest(), {"year": years}, Scope(), limit=None)
    return render_template("index.html", health=health, facets=browse, req=SearchRequest())


@bp.get("/search")
def search() -> str:
    """Ranked results with facets, chart, paging and sort; unknown parameters are ignored."""
    req = parse_search_request(_request_args(), strict=False)
    return render_results(req, Scope())


@bp.get("/facet/<name>")
def facet_values(name: str) -> str:
    """Every value of one facet for a search (the sidebar shows the first few), each adding its filter."""
    if name not in FACET_LABELS:
        abort(404, description="There is no such facet.")
    req = parse_search_request(_request_args(), strict=False)
    counts = get_service().facets(req, limit=FACET_PAGE_VALUES)
    groups = facet_links(req, {name: counts.get(name, [])}, Scope(), limit=None)
    return render_template(
        "facet.html",
        req=req,
        name=name,
        label=FACET_LABELS[name],
        group=groups[0] if groups else None,
        limit=FACET_PAGE_VALUES,
        back_url=Scope().url(req),
    )


@bp.get("/speaker/<path:name>")
def speaker(name: str) -> str | tuple[str, int]:
    """Everything by one speaker, newest first, with the other facets."""
    return _scoped("speaker", name, "views.speaker")


@bp.get("/event/<path:name>")
def event(name: str) -> str | tuple[str, int]:
    """Everything said at one event, newest first, with the other facets."""
    return _scoped("event", name, "views.event")


def _scoped(key: str, name: str, endpoint: str) -> str | tuple[str, int]:
    """A speaker or event page: the profile (roles, quotes, events, people), then the releases.

    An unknown name is a 404 that suggests names like it.
    """
    args = _request_args(default_sort="date")
    args[key] = name
    req = parse_search_request(args, strict=False)
    value = req.filters.get(key, "")
    service = get_service()
    result = service.search(req)
    if not result.total and req.with_changes(**{key: ""}).is_empty:
        return not_found_page(key, value)
    profile = build_profile(service, key, req)
    scope = Scope(endpoint=endpoint, fixed=key, value=value, default_sort="date")
    api_endpoint = "api.speaker_profile" if key == "speaker" else "api.event_profile"
    return render_results(
        req,
        scope,
        heading=profile.name,
        kind=FILTER_LABELS[key],
        result=result,
        profile=profile_view(profile, scope, req),
        api_url=url_for(api_endpoint, name=value, **cast(dict[str, Any], _profile_params(req, key))),
    )


def _profile_params(req: SearchRequest, key: str) -> dict[str, str]:
    params = req.to_params()
    params.pop(key, None)
    if params.get("sort") == "date":
        params.pop("sort")
    return params


def not_found_page(key: str, name: str) -> tuple[str, int]:
    """The 404 page of an unknown speaker or event, with names like it."""
    endpoint = "views.speaker" if key == "speaker" else "views.event"
    found = suggestions(get_service(), key, name)
    links = [{"name": value, "url": name_url(endpoint, value)} for value in found]
    what = "speaker" if key == "speaker" else "event"
    message = f"No releases name the {what} “{name}”."
    page = render_template(
        "error.html", status=404, message=message, req=SearchRequest(), suggestions=links, kind=what,
        search_url=url_for("views.search", q=name),
    )
    return page, 404


@bp.get("/doc/<path:doc_id>")
def document(doc_id: str) -> str:
    """One release in full, with the query terms highlighted and similar releases."""
    if len(doc_id) > MAX_DOC_ID:
        abort(404)
    req = parse_search_request(_request_args(), strict=False)
    service = get_service()
    doc = service.get_document(doc_id, highlight=req.q)
    if doc is None:
        abort(404, description="There is no document with this id.")
    similar = [_hit_view(hit.to_dict(), SearchRequest()) for hit in service.more_like_this(doc_id, limit=5)]
    return render_template(
        "doc.html",
        doc=doc,
        body_html=Markup(doc.get("body_html") or ""),  # safe by contract: escaped paragraphs with <mark>
        source_href=safe_href(doc.get("url")),
        similar=similar,
        req=req,
        back_url=url_for("views.search", **cast(dict[str, Any], req.to_params())) if not req.is_empty else None,
        api_url=url_for("api.document", doc_id=doc_id),
    )


@bp.get("/search.atom")
def feed() -> Response:
    """An Atom feed of any search, newest first, so a user can subscribe to a query."""
    args = _request_args()
    args["sort"] = "date"
    args.pop("page", None)
    args["per_page"] = str(FEED_SIZE)
    req = parse_search_request(args, strict=False)
    result = get_service().search(req, facets=False)
    body = feeds.atom_feed(
        result,
        feed_url=external_url("views.feed", **_feed_params(req)),
        html_url=external_url("views.search", sort="date", **_feed_params(req)),
        entry_url=lambda doc_id: external_url("views.document", doc_id=doc_id),
    )
    return Response(body, mimetype="application/atom+xml")


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """Index present, document count and index age; 503 when the index is missing."""
    health = get_service().health()
    return jsonify(health), 200 if health.get("ok") else 503
