"""The speaker and event pages' profile section as template data: every item with its link."""

from __future__ import annotations

import logging

from markupsafe import Markup

from search.profiles import Profile, main_roles
from search.request import SearchRequest
from web.links import Scope, name_url, year_params
from web.snippets import snippet_html

LOGGER = logging.getLogger(__name__)

#: Items shown per list (events, people); the facet pages list them all.
LIST_ITEMS = 10
#: Quotes shown on the page: the releases below show each release's quote, page by page.
PAGE_QUOTES = 6


def _span(first: str | None, last: str | None) -> Markup:
    """"2019-03-01 – 2021-07-12", one date, or "in undated releases", dates kept whole on a line."""
    if not first:
        return Markup("in undated releases")
    one = Markup('<time datetime="{0}">{0}</time>')
    return one.format(first) if first == last else one.format(first) + Markup(" – ") + one.format(last)


def profile_view(profile: Profile, scope: Scope, req: SearchRequest) -> dict:
    """The profile with URLs: events and people lead to their pages, years narrow this page, quotes
    lead to their release (with the page's query highlighted)."""
    query = {"q": req.q} if req.q else {}
    year_prefix = scope.prefix(req, "from", "to")
    years = []
    for fv in profile.years:
        params = year_params(fv.value)
        years.append({"value": fv.value, "count": fv.count, "url": year_prefix + params if params else None})
    return {
        "kind": profile.kind,
        "name": profile.name,
        "total": profile.total,
        "roles": [
            {"role": role.role, "count": role.count, "span": _span(role.first, role.last)}
            for role in main_roles(profile.roles)
        ],
        "roles_total": len(profile.roles),
        "quotes": [
            {
                "speaker": quote.speaker,
                "speaker_url": name_url("views.speaker", quote.speaker) if quote.speaker else None,
                "html": snippet_html(quote.spans),
                "title": quote.title,
                "date": quote.date,
                "doc_url": name_url("views.document", quote.doc_id, arg="doc_id")
                + (f"?{_encode(query)}" if query else ""),
            }
            for quote in profile.quotes[:PAGE_QUOTES]
        ],
        "quotes_total": profile.quotes_total,
        "events": [
            {"value": fv.value, "count": fv.count, "url": name_url("views.event", fv.value)}
            for fv in profile.events[:LIST_ITEMS]
        ],
        "events_total": len(profile.events),
        "speakers": [
            {"value": fv.value, "count": fv.count, "url": name_url("views.speaker", fv.value)}
            for fv in profile.speakers[:LIST_ITEMS]
        ],
        "speakers_total": len(profile.speakers),
        "years": years,
        "search_url": scope.url(_scope_request(scope)),
        "releases_read": profile.releases_read,
    }


def _scope_request(scope: Scope) -> SearchRequest:
    """The request of the scope's own page: its speaker or event, nothing else."""
    if scope.fixed == "speaker":
        return SearchRequest(speaker=scope.value, sort=scope.default_sort)
    return SearchRequest(event=scope.value, sort=scope.default_sort)


def _encode(params: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(params)
