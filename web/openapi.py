"""The OpenAPI 3 document of ``/api/v1``, built from the same limits the request parser enforces."""

from __future__ import annotations

import logging
from typing import Any

from search.facets import PUBLIC_FACETS
from search.request import (
    FILTERS,
    ISO_639_1,
    MAX_FILTER_CHARS,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_QUERY_CHARS,
    SORTS,
)

LOGGER = logging.getLogger(__name__)

API_VERSION = "1.0.0"
# Years 1000-2999, months 01-12, days 01-31 (the server also refuses dates that do not exist).
DATE_PATTERN = r"^([12][0-9]{3}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?)?$"  # empty = unset
NO_NUL = r"^[^\x00]*$"
FILTER_HELP = {
    "speaker": "Only releases by or quoting this speaker (canonical name, as in the `speaker` facet).",
    "event": "Only releases about this event or meeting.",
    "country": "Only releases mentioning this country.",
    "org": "Only releases mentioning this organisation.",
    "source": "Only releases from this source.",
    "lang": "Only releases in this language (ISO 639-1 code).",
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


def _string_list() -> dict:
    return {"type": "array", "items": {"type": "string"}}


def _param(name: str, schema: dict, description: str, where: str = "query", required: bool = False) -> dict:
    return {"name": name, "in": where, "required": required, "description": description, "schema": schema}


def search_parameters() -> list[dict]:
    """The shared search parameters (`q`, filters, dates, `sort`, `page`, `per_page`, `_`)."""
    params = [
        _param(
            "q",
            {"type": "string", "maxLength": MAX_QUERY_CHARS, "pattern": NO_NUL},
            'Query text. Words are ANDed; "quoted phrases", OR, NOT and field:value are understood. '
            "Unbalanced quotes are tolerated.",
        ),
    ]
    for name in FILTERS:
        schema = {"type": "string", "maxLength": MAX_FILTER_CHARS, "pattern": NO_NUL}
        if name == "lang":  # the parser accepts ISO 639-1 codes only (empty = unset)
            schema = {"type": "string", "enum": ["", *sorted(ISO_639_1)]}
        params.append(_param(name, schema, FILTER_HELP.get(name, f"Filter on {name}.")))
    params += [
        _param(
            "from",
            {"type": "string", "pattern": DATE_PATTERN},
            "Earliest date, as YYYY, YYYY-MM or YYYY-MM-DD (the first day of a year or month). "
            "Must not be after `to`.",
        ),
        _param(
            "to",
            {"type": "string", "pattern": DATE_PATTERN},
            "Latest date, as YYYY, YYYY-MM or YYYY-MM-DD (the last day of a year or month).",
        ),
        _param(
            "sort",
            {"type": "string", "enum": list(SORTS), "default": "relevance"},
            "`relevance`, `date` (newest first) or `-date` (oldest first).",
        ),
        _param(
            "page",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
            "Result page, from 1.",
        ),
        _param(
            "per_page",
            {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 10},
            "Hits per page.",
        ),
        _ignored_param(),
    ]
    return params


def _ignored_param() -> dict:
    return _param(
        "_",
        {"type": "string"},
        "Ignored (a cache-buster some clients add). Any other unknown parameter is a 400; "
        "JSONP `callback` is not supported.",
    )


def _responses(ok: dict, *, not_found: bool = False, media: str = "application/json") -> dict:
    responses = {
        "200": {"description": "OK", "content": {media: {"schema": ok}}},
        "400": {
            "description": "A parameter is unknown or invalid; `error` says which and why.",
            "content": {"application/json": {"schema": _ref("Error")}},
        },
        "503": {
            "description": "The search ran over its time budget, or the index is missing or corrupt; `error` "
            "says what to narrow or which command repairs the index.",
            "content": {"application/json": {"schema": _ref("Error")}},
        },
    }
    if not_found:
        responses["404"] = {
            "description": "No such document.",
            "content": {"application/json": {"schema": _ref("Error")}},
        }
    return responses


def _components() -> dict:
    speaker = {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string"}, "role": _nullable({"type": "string"})},
    }
    hit = {
        "type": "object",
        "required": ["id", "title", "url", "source", "date", "speakers", "events", "score", "snippet"],
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "url": _nullable({"type": "string", "description": "Where the release was published."}),
            "source": {"type": "string"},
            "date": _nullable({"type": "string", "format": "date"}),
            "language": {"type": "string"},
            "speakers": {"type": "array", "items": _ref("Speaker")},
            "events": _string_list(),
            "organisations": _string_list(),
            "countries": _string_list(),
            "score": {"type": "number"},
            "snippet": {"type": "string", "description": "Escaped HTML; matches wrapped in <mark>."},
            "duplicates": {"type": "integer", "minimum": 0},
            "quote": _nullable(
                {
                    "type": "object",
                    "description": "For quote: searches and speaker searches: the quote shown as the snippet.",
                    "required": ["speaker", "text", "context"],
                    "properties": {
                        "speaker": {"type": "string"},
                        "text": {"type": "string"},
                        "context": {"type": "string", "description": "The sentence(s) around the quote."},
                    },
                }
            ),
            "doc_url": {"type": "string", "description": "The HTML page of the document."},
            "api_url": {"type": "string", "description": "The JSON of the document."},
        },
    }
    facet_value = {
        "type": "object",
        "required": ["value", "count"],
        "properties": {"value": {"type": "string"}, "count": {"type": "integer", "minimum": 0}},
    }
    facets = {
        "type": "object",
        "additionalProperties": {"type": "array", "items": _ref("FacetValue")},
        "description": f"Facet name ({', '.join(PUBLIC_FACETS)}) to values with counts.",
    }
    query = {
        "type": "object",
        "description": "The parsed request, every field.",
        "properties": {
            "q": {"type": "string"},
            "sort": {"type": "string", "enum": list(SORTS)},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "date_from": _nullable({"type": "string", "format": "date"}),
            "date_to": _nullable({"type": "string", "format": "date"}),
            **{name: {"type": "string"} for name in FILTERS},
        },
    }
    link = _nullable({"type": "string", "description": "Absolute URL, or null when there is none."})
    search = {
        "type": "object",
        "required": [
            "ok",
            "query",
            "total",
            "page",
            "per_page",
            "pages",
            "hits",
            "facets",
            "suggestion",
            "next",
            "prev",
            "self",
        ],
        "properties": {
            "ok": {"type": "boolean", "enum": [True]},
            "query": _ref("Query"),
            "total": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 1},
            "hits": {"type": "array", "items": _ref("Hit")},
            "facets": _ref("Facets"),
            "suggestion": _nullable(
                {"type": "string", "description": "A better-spelled query ('did you mean')."}
            ),
            "took_ms": {"type": "number"},
            "self": {"type": "string"},
            "next": link,
            "prev": link,
            "html_url": {"type": "string"},
            "csv_url": {"type": "string"},
            "export_csv_url": {"type": "string", "description": "Every match as CSV."},
            "export_jsonl_url": {"type": "string", "description": "Every match as JSON Lines."},
        },
    }
    counted = {"type": "array", "items": _ref("FacetValue")}
    profile = {
        "type": "object",
        "required": ["kind", "name", "total", "roles", "quotes", "quotes_total", "events", "speakers", "years"],
        "properties": {
            "kind": {"type": "string", "enum": ["speaker", "event"]},
            "name": {"type": "string"},
            "total": {"type": "integer", "minimum": 0},
            "roles": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["role", "count", "first", "last"],
                    "properties": {
                        "role": {"type": "string"},
                        "count": {"type": "integer", "minimum": 1},
                        "first": _nullable({"type": "string", "format": "date"}),
                        "last": _nullable({"type": "string", "format": "date"}),
                    },
                },
            },
            "quotes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["speaker", "text", "doc_id", "title", "date"],
                    "properties": {
                        "speaker": {"type": "string"},
                        "text": {"type": "string"},
                        "doc_id": {"type": "string"},
                        "title": {"type": "string"},
                        "date": _nullable({"type": "string", "format": "date"}),
                    },
                },
            },
            "quotes_total": {"type": "integer", "minimum": 0},
            "events": counted,
            "speakers": counted,
            "years": counted,
        },
    }
    bucket = {
        "type": "object",
        "required": ["period", "count", "from", "to"],
        "properties": {
            "period": {"type": "string", "description": "YYYY or YYYY-MM"},
            "count": {"type": "integer", "minimum": 0},
            "from": {"type": "string", "format": "date"},
            "to": {"type": "string", "format": "date"},
        },
    }
    document = {
        "type": "object",
        "required": ["id", "title", "body", "body_html", "source", "date", "url"],
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "body": {"type": "string"},
            "body_html": {"type": "string", "description": "Escaped HTML paragraphs; query terms in <mark>."},
            "source": {"type": "string"},
            "url": _nullable({"type": "string"}),
            "date": _nullable({"type": "string", "format": "date"}),
            "language": {"type": "string"},
            "speakers": {"type": "array", "items": _ref("Speaker")},
            "events": _string_list(),
            "organisations": _string_list(),
            "countries": _string_list(),
            "quotes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"speaker": {"type": "string"}, "text": {"type": "string"}},
                },
            },
            "html_url": {"type": "string"},
        },
    }
    return {
        "Speaker": speaker,
        "Hit": hit,
        "FacetValue": facet_value,
        "Facets": facets,
        "Query": query,
        "SearchResponse": search,
        "Profile": profile,
        "ProfileResponse": {
            "allOf": [
                _ref("SearchResponse"),
                {"type": "object", "required": ["profile"], "properties": {"profile": _ref("Profile")}},
            ]
        },
        "Bucket": bucket,
        "Document": document,
        "DocumentResponse": {
            "type": "object",
            "required": ["ok", "document", "more_like_this"],
            "properties": {
                "ok": {"type": "boolean", "enum": [True]},
                "document": _ref("Document"),
                "more_like_this": {"type": "array", "items": _ref("Hit")},
            },
        },
        "FacetsResponse": {
            "type": "object",
            "required": ["ok", "query", "total", "facets", "histogram"],
            "properties": {
                "ok": {"type": "boolean", "enum": [True]},
                "query": _ref("Query"),
                "total": {"type": "integer", "minimum": 0},
                "facets": _ref("Facets"),
                "histogram": {"type": "array", "items": _ref("Bucket")},
            },
        },
        "SuggestResponse": {
            "type": "object",
            "required": ["ok", "q", "suggestions"],
            "properties": {
                "ok": {"type": "boolean", "enum": [True]},
                "q": {"type": "string"},
                "suggestions": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["value", "kind", "url"],
                        "properties": {
                            "value": {"type": "string"},
                            "kind": {"type": "string", "enum": ["speaker", "event", "title"]},
                            "url": {"type": "string"},
                        },
                    },
                },
            },
        },
        "Health": {
            "type": "object",
            "required": ["ok", "documents", "index_present"],
            "properties": {
                "ok": {"type": "boolean"},
                "documents": {"type": "integer", "minimum": 0},
                "index_present": {"type": "boolean"},
                "index_age_seconds": _nullable({"type": "number"}),
            },
        },
        "Error": {
            "type": "object",
            "required": ["ok", "error", "status"],
            "properties": {
                "ok": {"type": "boolean", "enum": [False]},
                "error": {"type": "string"},
                "status": {"type": "integer", "minimum": 400, "maximum": 599},
            },
        },
    }


def build_spec(server_url: str = "") -> dict:
    """The OpenAPI 3.0 document; ``server_url`` is this server's root (paths start with ``/api/v1``)."""
    search_params = search_parameters()
    doc_id = _param(
        "doc_id", {"type": "string", "minLength": 1, "maxLength": 200}, "Document id.", "path", True
    )
    spec: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {
            "title": "migsearch API",
            "version": API_VERSION,
            "description": "Search migration news: who said what, at which meeting, and when. "
            "Every HTML page has a JSON twin here taking the same parameters. Errors are "
            '`{"ok": false, "error": "...", "status": 400}` with that HTTP status.',
        },
        "paths": {
            "/api/v1/search": {
                "get": {
                    "operationId": "search",
                    "summary": "Ranked hits, facets and paging links.",
                    "parameters": search_params,
                    "responses": _responses(_ref("SearchResponse")),
                }
            },
            "/api/v1/search.csv": {
                "get": {
                    "operationId": "searchCsv",
                    "summary": "One page of a search as CSV; the `Link` header names the next page.",
                    "parameters": search_params,
                    "responses": _responses({"type": "string"}, media="text/csv"),
                }
            },
            "/api/v1/export.csv": {
                "get": {
                    "operationId": "exportCsv",
                    "summary": "Every match of a search as CSV, streamed (at most EXPORT_MAX_ROWS rows; a "
                    "closing `# truncated` row and `X-Export-Truncated: true` say when the limit cut it).",
                    "parameters": search_params,
                    "responses": _responses({"type": "string"}, media="text/csv"),
                }
            },
            "/api/v1/export.jsonl": {
                "get": {
                    "operationId": "exportJsonl",
                    "summary": "Every match of a search as JSON Lines, one hit per line (a closing "
                    '`{"ok": false, "truncated": true, "message"}` line when the limit cut it).',
                    "parameters": search_params,
                    "responses": _responses({"type": "string"}, media="application/x-ndjson"),
                }
            },
            **{
                f"/api/v1/{plural}/{{name}}": {
                    "get": {
                        "operationId": f"{kind}Profile",
                        "summary": f"The {kind} page as JSON: "
                        + (
                            "roles over time, quotes, events, people appeared with, and releases."
                            if kind == "speaker"
                            else "who spoke there, what they said, and its releases."
                        )
                        + " An unknown name is a 404 with `suggestions`.",
                        "parameters": [
                            _param(
                                "name",
                                {"type": "string", "minLength": 1, "maxLength": 200, "pattern": NO_NUL},
                                f"The {kind}'s name, as in the `{kind}` facet.",
                                "path",
                                True,
                            ),
                            *[p for p in search_params if p["name"] != kind],
                        ],
                        "responses": _responses(_ref("ProfileResponse"), not_found=True),
                    }
                }
                for kind, plural in (("speaker", "speakers"), ("event", "events"))
            },
            "/api/v1/facets": {
                "get": {
                    "operationId": "facets",
                    "summary": "Facet counts and the date histogram of a search.",
                    "parameters": search_params,
                    "responses": _responses(_ref("FacetsResponse")),
                }
            },
            "/api/v1/docs/{doc_id}": {
                "get": {
                    "operationId": "document",
                    "summary": "One document in full, with similar documents.",
                    "parameters": [
                        doc_id,
                        _param(
                            "highlight",
                            {"type": "string", "maxLength": 1000},
                            "Terms to wrap in <mark> in `body_html`.",
                        ),
                        _ignored_param(),
                    ],
                    "responses": _responses(_ref("DocumentResponse"), not_found=True),
                }
            },
            "/api/v1/suggest": {
                "get": {
                    "operationId": "suggest",
                    "summary": "Completions from speakers, events and title words.",
                    "parameters": [
                        _param(
                            "q",
                            {"type": "string", "maxLength": 200, "pattern": NO_NUL},
                            "What has been typed.",
                        ),
                        _param(
                            "limit",
                            {"type": "integer", "minimum": 1, "maximum": 20, "default": 8},
                            "How many completions.",
                        ),
                        _ignored_param(),
                    ],
                    "responses": _responses(_ref("SuggestResponse")),
                }
            },
            "/healthz": {
                "get": {
                    "operationId": "health",
                    "summary": "Index present, document count, index age.",
                    "responses": {
                        "200": {
                            "description": "Healthy.",
                            "content": {"application/json": {"schema": _ref("Health")}},
                        },
                        "503": {
                            "description": "The index is missing.",
                            "content": {"application/json": {"schema": _ref("Health")}},
                        },
                    },
                }
            },
        },
        "components": {"schemas": _components()},
    }
    if server_url:
        spec["servers"] = [{"url": server_url}]
    return spec
