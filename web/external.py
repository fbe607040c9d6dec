"""Absolute links for feeds, CSV and JSON, never built from the request's ``Host`` header.

A client chooses the ``Host`` header it sends, so links built from it (Flask's ``_external=True``)
let anyone make the server hand out Atom feeds and CSV files pointing at their own site. Absolute
links start instead with the ``PUBLIC_URL`` setting (the address users reach the server at, e.g.
behind a proxy), or, when it is empty, with the address the server itself listens on (the WSGI
``SERVER_NAME`` and ``SERVER_PORT``, which come from the server, not from the client).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app, request, url_for

LOGGER = logging.getLogger(__name__)


def public_base() -> str:
    """``scheme://host[:port]`` for absolute links, without a trailing slash."""
    configured = str(current_app.config.get("PUBLIC_URL") or "").strip().rstrip("/")
    if configured:
        return configured
    environ = request.environ
    scheme = environ.get("wsgi.url_scheme", "http")
    host = environ.get("SERVER_NAME") or "127.0.0.1"
    port = str(environ.get("SERVER_PORT") or "")
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    default_port = {"http": "80", "https": "443"}.get(scheme)
    return f"{scheme}://{host}" + (f":{port}" if port and port != default_port else "")


def external_url(endpoint: str, **values: Any) -> str:
    """The absolute URL of ``endpoint`` on ``public_base()``."""
    return public_base() + url_for(endpoint, **values)
