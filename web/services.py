"""One ``SearchService`` per app, shared by the views, the API and the CLI."""

from __future__ import annotations

from flask import Flask, current_app

from index.settings import SETTINGS, coerce
from search.service import SearchService

_KEY = "migsearch.service"


def settings_from_config(app: Flask) -> dict:
    """The app's settings as the plain dict that ``index`` and ``search`` take."""
    values = {}
    for setting in SETTINGS:
        value = app.config[setting.name]
        if isinstance(value, str) and not isinstance(setting.default, str):
            value = coerce(value, setting.default)
        values[setting.name] = value
    return values


def init_app(app: Flask) -> None:
    """Attach a lazily created ``SearchService`` to the app, closed with the app's process."""
    app.extensions[_KEY] = None


def get_service(app: Flask | None = None) -> SearchService:
    """The app's search service, opened on first use."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    service = app.extensions.get(_KEY)
    if service is None:
        service = SearchService(settings_from_config(app))
        app.extensions[_KEY] = service
    return service
