"""Wire the web front end into the app: blueprints, security headers, error pages and ``serve``."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as WerkzeugResponse

from index.engine.integrity import IndexDamaged
from search.request import MAX_QUERY_CHARS, QueryError, SearchRequest

LOGGER = logging.getLogger(__name__)

#: Only our own files: no inline script or style, no plugins, no framing, forms post to us only.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


def init_app(app: Flask) -> None:
    """Register the HTML views, the JSON API, headers, error handlers and the ``serve`` command."""
    from web import api, exports, labels, response_cache, serve, views

    app.json = HtmlSafeJSONProvider(app)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(exports.bp)
    labels.init_app(app)
    app.after_request(add_security_headers)
    app.register_error_handler(QueryError, _handle_query_error)
    app.register_error_handler(IndexDamaged, _handle_index_damaged)
    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(Exception, _handle_unexpected)
    app.cli.add_command(serve.serve_command)
    response_cache.install(app)  # repeated searches answered before Flask routes them


class HtmlSafeJSONProvider(DefaultJSONProvider):
    """JSON with ``<``, ``>`` and ``&`` written as ``\\u003c``... so no document text reads as markup."""

    def dumps(self, obj: object, **kwargs: object) -> str:
        """Serialize like Flask, then escape the three HTML-significant characters (only in strings)."""
        text = super().dumps(obj, **kwargs)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def add_security_headers(response: Response) -> Response:
    """Add the CSP, nosniff, frame denial and referrer policy to every response."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def wants_json() -> bool:
    """True for API paths and the health check, whose errors are JSON rather than HTML pages."""
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_response(status: int, message: str) -> Response:
    """An error as ``{"ok": false, "error", "status"}`` for the API, or the site's error page."""
    if wants_json():
        response = jsonify({"ok": False, "error": message, "status": status})
    else:
        typed = SearchRequest(q=request.args.get("q", "").replace("\x00", "")[:MAX_QUERY_CHARS])
        response = make_response(render_template("error.html", status=status, message=message, req=typed))
    response.status_code = status
    return response


def _handle_index_damaged(exc: IndexDamaged) -> Response:
    """A missing or corrupt index: 503 with the message that names the repairing command."""
    LOGGER.error("%s", exc)
    return error_response(503, str(exc))


def _handle_query_error(exc: QueryError) -> Response:
    LOGGER.info("bad request %s: %s", request.path, exc)
    return error_response(getattr(exc, "status", 400), str(exc))


_MESSAGES = {
    404: "There is no page at this address.",
    405: "This address does not accept that method.",
}


def _handle_http_error(exc: HTTPException) -> Response | WerkzeugResponse:
    status = exc.code or 500
    if status < 400:  # redirects raised as exceptions pass through untouched
        return exc.get_response()
    custom = exc.description if exc.description != type(exc).description else None
    response = error_response(status, custom or _MESSAGES.get(status) or exc.description or exc.name)
    allowed = exc.get_response().headers.get("Allow")
    if allowed:
        response.headers["Allow"] = allowed
    return response


def _handle_unexpected(exc: Exception) -> Response:
    LOGGER.exception("unexpected error on %s", request.path)
    return error_response(500, "Something went wrong on our side; the error has been logged.")
