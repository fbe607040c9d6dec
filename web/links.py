"""The links of a results page: facets, active filters, pager, sort switch and chart bars.

A results page carries a few hundred links that each differ from the current request in one
parameter. They are built from a prefix computed once per parameter (the request's query string
without it, ending in ``?`` or ``&``) plus that one parameter, so a page costs a few ``urlencode``
calls rather than one per link.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast
from urllib.parse import quote, quote_plus, urlencode, urlsplit

from flask import g, url_for

from search.facets import FACET_LABELS, FILTER_LABELS
from search.request import FILTERS, MAX_PAGE, SORTS, SearchRequest
from search.results import FacetValue
from web.labels import language_name

LOGGER = logging.getLogger(__name__)

SORT_LABELS = {"relevance": "Relevance", "date": "Newest first", "-date": "Oldest first"}
#: Values per facet in the sidebar; a "more" link leads to the facet's own page.
SIDEBAR_VALUES = 10
_YEAR = re.compile(r"^[0-9]{4}$")
#: What Werkzeug leaves unquoted in a path segment (``BaseConverter.to_url``).
_PATH_SAFE = "!$&'()*+,/:;=@"


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
        return self._url(req.to_params(), req, keeps_fixed=getattr(req, self.fixed, None) == self.value)

    def prefix(self, req: SearchRequest, *names: str) -> str:
        """The URL of ``req`` on page 1 without the parameters ``names``, ready for them to be appended.

        ``prefix(req, "speaker") + "speaker=" + quote_plus(v)`` is the URL of
        ``req.with_changes(speaker=v)`` for any non-empty ``v`` other than the scope's own value.
        """
        params = req.to_params()
        params.pop("page", None)
        for name in names:
            params.pop(name, None)
        keeps_fixed = self.fixed not in names and getattr(req, self.fixed, None) == self.value
        url = self._url(params, req, keeps_fixed=keeps_fixed)
        return url + ("&" if "?" in url else "?")

    def _url(self, params: dict[str, str], req: SearchRequest, *, keeps_fixed: bool) -> str:
        params.pop("sort", None)
        if self.fixed and keeps_fixed:
            params.pop(self.fixed, None)
            if req.sort != self.default_sort:
                params["sort"] = req.sort
            return _with_query(_base_url(self.endpoint, self.value), params)
        if req.sort != "relevance":
            params["sort"] = req.sort
        return _with_query(_base_url("views.search", ""), params)


def _base_url(endpoint: str, name: str, arg: str = "name") -> str:
    """``url_for`` of a page without query parameters, built once per request."""
    cache = g.setdefault("migsearch_base_urls", {})
    key = (endpoint, name, arg)
    if key not in cache:
        cache[key] = url_for(endpoint, **cast(dict[str, Any], {arg: name})) if name else url_for(endpoint)
    return cache[key]


def _with_query(base: str, params: dict[str, str]) -> str:
    return f"{base}?{urlencode(params)}" if params else base


def name_url(endpoint: str, name: str, arg: str = "name") -> str:
    """``url_for(endpoint, **{arg: name})`` for a ``<path:...>`` page, without a routing lookup per name.

    The page's prefix is built once per request and the name quoted as Werkzeug's converters
    quote a path (a results page links a few dozen documents, speakers and events).
    """
    return _base_url(endpoint, "_", arg)[:-1] + quote(name, safe=_PATH_SAFE)


def year_params(year: str) -> str | None:
    """``from=YYYY-01-01&to=YYYY-12-31`` for a four-digit year, else None."""
    if not _YEAR.match(year) or year == "0000":
        return None
    return f"from={year}-01-01&to={year}-12-31"


def facet_links(
    req: SearchRequest,
    facets: Mapping[str, Sequence[FacetValue]],
    scope: Scope,
    *,
    limit: int | None = SIDEBAR_VALUES,
) -> list[dict]:
    """Sidebar groups: the first ``limit`` values of each facet with its count, the URL that adds it
    and whether it is active, and ``more`` (the facet's own page) when there are more values."""
    groups = []
    year_active = (
        req.date_from.year
        if req.date_from
        and req.date_to
        and req.date_from.year == req.date_to.year
        and (req.date_from.month, req.date_from.day, req.date_to.month, req.date_to.day) == (1, 1, 12, 31)
        else None
    )
    for name, values in facets.items():
        if not values or (name != "year" and name not in FILTERS):
            continue
        prefix = scope.prefix(req, "from", "to") if name == "year" else scope.prefix(req, name)
        current = "" if name == "year" else getattr(req, name)
        items = []
        for fv in values[:limit]:
            value = str(fv.value)
            if name == "year":
                active = year_active is not None and value == f"{year_active:04d}"
                query = year_params(value)
            else:
                active = current == value
                query = f"{name}={quote_plus(value)}"
            items.append(
                {
                    "value": value,
                    "label": language_name(value) if name == "lang" else value,
                    "count": fv.count,
                    "active": active,
                    "url": prefix + query if query and not active else None,
                }
            )
        more = None
        if limit is not None and len(values) > limit:
            more = url_for("views.facet_values", name=name, **cast(dict[str, Any], _facet_page_params(req)))
        groups.append({"name": name, "label": FACET_LABELS.get(name, name.title()), "items": items, "more": more})
    return groups


def _facet_page_params(req: SearchRequest) -> dict[str, str]:
    params = req.to_params()
    params.pop("page", None)
    params.pop("per_page", None)
    return params


def bar_url(req: SearchRequest, scope: Scope):
    """The chart's ``bar_url(from, to)``: the URL narrowing ``req`` to those dates."""
    prefix = scope.prefix(req, "from", "to")

    def url(lo: date, hi: date) -> str:
        return f"{prefix}from={lo.isoformat()}&to={hi.isoformat()}"

    return url


def active_filters(req: SearchRequest, scope: Scope) -> list[dict]:
    """The filters in force, each with a label and the URL that removes it."""
    items = [
        {
            "label": FILTER_LABELS.get(key, key),
            "value": value,
            "remove": scope.url(req.with_changes(**{key: ""})),
        }
        for key, value in req.filters.items()
    ]
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


def pager(req: SearchRequest, pages: int, scope: Scope, window: int = 2) -> dict:
    """Previous/next URLs and a window of page numbers (None marks a gap)."""
    last = min(pages, MAX_PAGE)
    first_url = scope.url(req.with_changes(page=1))
    prefix = scope.prefix(req, "page")

    def page_url(number: int) -> str:
        return first_url if number == 1 else f"{prefix}page={number}"

    shown = sorted({1, last, *range(max(1, req.page - window), min(last, req.page + window) + 1)})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number)
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


def safe_href(url: str | None) -> str | None:
    """The URL if it is a plain http(s) link, else None (no ``javascript:`` or ``data:`` from documents)."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in {"http", "https"} and parts.netloc else None
