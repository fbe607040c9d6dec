"""The HTML pages: home, search results, documents, speaker and event pages, the Atom feed, health."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, g, jsonify, render_template, request, url_for
from markupsafe import Markup

from search.request import FILTERS, MAX_PAGE, SORTS, SearchRequest, parse_search_request
from search.results import SearchResult
from web import chart, feeds
from web.pages import safe_href
from web.services import get_service

LOGGER = logging.getLogger(__name__)

bp = Blueprint("views", __name__)

FACET_LABELS = {
    "speaker": "Speakers",
    "event": "Events",
    "country": "Countries",
    "org": "Organisations",
    "source": "Sources",
    "year": "Years",
    "lang": "Languages",
}
FILTER_LABELS = {
    "speaker": "Speaker",
    "event": "Event",
    "country": "Country",
    "org": "Organisation",
    "source": "Source",
    "lang": "Language",
}
SORT_LABELS = {"relevance": "Relevance", "date": "Newest first", "-date": "Oldest first"}
MAX_DOC_ID = 200
FEED_SIZE = 20


@dataclass(frozen=True)
class Scope:
    """Where a result list lives: ``/search``, or a speaker or event page that fixes one filter.

    ``url()`` turns any ``SearchRequest`` into the URL of its page, so every state is a URL.
    """

    endpoint: str = "views.search"
    fixed: str = ""
    value: str = ""
    default_sort: str = "relevance"

    def url(self, req: SearchRequest) -> str:
        """The page URL for ``req``; leaving the fixed filter leads back to ``/search``."""
        params = req.to_params()
        params.pop("sort", None)
        if self.fixed and getattr(req, self.fixed) == self.value:
            params.pop(self.fixed, None)
            if req.sort != self.default_sort:
                params["sort"] = req.sort
            return _with_query(_base_url(self.endpoint, self.value), params)
        if req.sort != "relevance":
            params["sort"] = req.sort
        return _with_query(_base_url("views.search", ""), params)


def _base_url(endpoint: str, name: str) -> str:
    """``url_for`` of a page without parameters, built once per request (a results page has hundreds)."""
    cache = g.setdefault("migsearch_base_urls", {})
    key = (endpoint, name)
    if key not in cache:
        cache[key] = url_for(endpoint, name=name) if name else url_for(endpoint)
    return cache[key]


def _with_query(base: str, params: dict[str, str]) -> str:
    return f"{base}?{urlencode(params)}" if params else base


@bp.app_template_filter("safe_href")
def _safe_href_filter(url: str | None) -> str | None:
    return safe_href(url)


def _request_args(default_sort: str = "relevance") -> dict[str, str]:
    args = {key: request.args.get(key, "") for key in request.args}
    if not args.get("sort"):
        args["sort"] = default_sort
    return args


def facet_links(result: SearchResult, scope: Scope) -> list[dict]:
    """Sidebar groups: each value with its count, the URL that adds it and whether it is active."""
    req = result.request
    groups = []
    for name, values in result.facets.items():
        if not values:
            continue
        items = []
        for fv in values:
            if name == "year":
                active = bool(
                    req.date_from
                    and req.date_to
                    and req.date_from.isoformat() == f"{fv.value}-01-01"
                    and req.date_to.isoformat() == f"{fv.value}-12-31"
                )
                target = _year_request(req, str(fv.value))
            elif name in FILTERS:
                active = getattr(req, name) == fv.value
                target = req.with_changes(**{name: fv.value}) if not active else None
            else:
                continue
            items.append(
                {
                    "value": fv.value,
                    "count": fv.count,
                    "active": active,
                    "url": scope.url(target) if target is not None and not active else None,
                }
            )
        if items:
            groups.append({"name": name, "label": FACET_LABELS.get(name, name.title()), "items": items})
    return groups


def _year_request(req: SearchRequest, year: str) -> SearchRequest | None:
    from search.request import parse_date_param

    try:
        return req.with_changes(
            date_from=parse_date_param("from", year), date_to=parse_date_param("to", year, end=True)
        )
    except ValueError:
        return None


def active_filters(req: SearchRequest, scope: Scope) -> list[dict]:
    """The filters in force, each with a label and the URL that removes it."""
    items = []
    for key, value in req.filters.items():
        items.append(
            {
                "label": FILTER_LABELS.get(key, key),
                "value": value,
                "remove": scope.url(req.with_changes(**{key: ""})),
            }
        )
    if req.date_from:
        items.append(
            {
                "label": "From",
                "value": req.date_from.isoformat(),
                "remove": scope.url(req.with_changes(date_from=None)),
            }
        )
    if req.date_to:
        items.append(
            {
                "label": "To",
                "value": req.date_to.isoformat(),
                "remove": scope.url(req.with_changes(date_to=None)),
            }
        )
    return items


def pager(result: SearchResult, scope: Scope, window: int = 2) -> dict:
    """Previous/next URLs and a window of page numbers (None marks a gap)."""
    req = result.request
    last = min(result.pages, MAX_PAGE)

    def page_url(number: int) -> str:
        return scope.url(req.with_changes(page=number))

    numbers: list[int | None] = []
    for number in range(1, last + 1):
        if number in (1, last) or abs(number - req.page) <= window:
            numbers.append(number)
        elif numbers and numbers[-1] is not None:
            numbers.append(None)
    return {
        "current": req.page,
        "last": last,
        "prev": page_url(req.page - 1) if req.page > 1 else None,
        "next": page_url(req.page + 1) if req.page < last else None,
        "pages": [(n, page_url(n) if n else None) for n in numbers],
    }


def sort_links(req: SearchRequest, scope: Scope) -> list[dict]:
    """The sort switch: each order with its URL and whether it is the current one."""
    return [
        {
            "sort": sort,
            "label": SORT_LABELS.get(sort, sort),
            "url": scope.url(req.with_changes(sort=sort)),
            "active": req.sort == sort,
        }
        for sort in SORTS
    ]


HISTOGRAM_TTL_SECONDS = 60.0
_HISTOGRAMS = "migsearch.histograms"


def cached_histogram(req: SearchRequest) -> list[dict]:
    """The service's histogram for ``req``, kept for a minute per app (paging and sorting reuse it).

    The histogram ignores page, page size and sort, and costs a full unranked search, so the pages
    keep the last ``SEARCH_CACHE_SIZE`` of them (0 turns this off, as it does the service's cache).
    """
    size = int(current_app.config.get("SEARCH_CACHE_SIZE", 512) or 0)
    if size <= 0:
        return get_service().histogram(req)
    cache = current_app.extensions.setdefault(_HISTOGRAMS, {"lock": threading.Lock(), "items": OrderedDict()})
    key = req.with_changes(page=1, per_page=10, sort="relevance")
    now = time.monotonic()
    with cache["lock"]:
        hit = cache["items"].get(key)
        if hit is not None and now - hit[0] < HISTOGRAM_TTL_SECONDS:
            cache["items"].move_to_end(key)
            return hit[1]
    value = get_service().histogram(req)
    with cache["lock"]:
        cache["items"][key] = (now, value)
        while len(cache["items"]) > size:
            cache["items"].popitem(last=False)
    return value


def render_results(req: SearchRequest, scope: Scope, *, heading: str = "", kind: str = "") -> str:
    """Run the search and render the results page for ``scope``."""
    service = get_service()
    result = service.search(req)
    histogram = cached_histogram(req) if result.total else []
    bar_url = lambda lo, hi: scope.url(  # noqa: E731 - a tiny adapter for the chart
        req.with_changes(date_from=lo, date_to=hi)
    )
    return render_template(
        "search.html",
        req=req,
        result=result,
        heading=heading,
        kind=kind,
        scope=scope,
        hits=[_hit_view(hit.to_dict(), req) for hit in result.hits],
        facets=facet_links(result, scope),
        filters=active_filters(req, scope),
        pager=pager(result, scope),
        sorts=sort_links(req, scope),
        chart=chart.render_histogram(histogram, bar_url) if histogram else "",
        suggestion_url=scope.url(req.with_changes(q=result.suggestion)) if result.suggestion else None,
        feed_url=url_for("views.feed", **_feed_params(req)),
        api_url=url_for("api.search", **req.to_params()),
        csv_url=url_for("api.search_csv", **req.to_params()),
    )


def _hit_view(hit: dict, req: SearchRequest) -> dict:
    hit["snippet_html"] = Markup(hit.get("snippet") or "")  # safe by contract: escaped text with <mark>
    params = {"q": req.q} if req.q else {}
    hit["doc_url"] = url_for("views.document", doc_id=hit["id"], **params)
    hit["source_href"] = safe_href(hit.get("url"))
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
        browse = facet_links(result, Scope())
    return render_template("index.html", health=health, facets=browse, req=SearchRequest())


@bp.get("/search")
def search() -> str:
    """Ranked results with facets, chart, paging and sort; unknown parameters are ignored."""
    req = parse_search_request(_request_args(), strict=False)
    return render_results(req, Scope())


@bp.get("/speaker/<path:name>")
def speaker(name: str) -> str:
    """Everything by one speaker, newest first, with the other facets."""
    return _scoped("speaker", name, "views.speaker")


@bp.get("/event/<path:name>")
def event(name: str) -> str:
    """Everything said at one event, newest first, with the other facets."""
    return _scoped("event", name, "views.event")


def _scoped(key: str, name: str, endpoint: str) -> str:
    args = _request_args(default_sort="date")
    args[key] = name
    req = parse_search_request(args, strict=False)
    scope = Scope(endpoint=endpoint, fixed=key, value=req.filters.get(key, ""), default_sort="date")
    return render_results(req, scope, heading=req.filters.get(key, name), kind=FILTER_LABELS[key])


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
        back_url=url_for("views.search", **req.to_params()) if not req.is_empty else None,
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
        feed_url=url_for("views.feed", _external=True, **_feed_params(req)),
        html_url=url_for("views.search", _external=True, sort="date", **_feed_params(req)),
        entry_url=lambda doc_id: url_for("views.document", doc_id=doc_id, _external=True),
    )
    return Response(body, mimetype="application/atom+xml")


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """Index present, document count and index age; 503 when the index is missing."""
    health = get_service().health()
    return jsonify(health), 200 if health.get("ok") else 503
