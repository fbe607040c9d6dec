"""The app's typed settings and its one ``SearchService`` (per process), shared by the views, the API and the CLI."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, current_app

from index.settings import Settings

if TYPE_CHECKING:  # imported when first needed: the CLI's writing commands never load the searcher
    from search.service import SearchService

_SERVICE = "migsearch.service"
_SETTINGS = "migsearch.settings"


def init_app(app: Flask, settings: Settings) -> None:
    """Keep the app's settings and attach a lazily created ``SearchService``."""
    app.extensions[_SETTINGS] = settings
    app.extensions[_SERVICE] = None


def get_settings(app: Flask | None = None) -> Settings:
    """The settings the app was built with (what ``index.settings.load_settings`` made of them)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    return app.extensions[_SETTINGS]


def get_service(app: Flask | None = None) -> SearchService:
    """The app's search service, opened on first use (the service starts afresh in a forked worker)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    service = app.extensions.get(_SERVICE)
    if service is None:
        from search.service import SearchService

        service = SearchService(get_settings(app))
        app.extensions[_SERVICE] = service
    return service
