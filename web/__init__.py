"""The Flask front end: ``create_app()``, HTML views, the JSON API, feeds and the ``migsearch`` CLI."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from index.settings import SETTINGS

if TYPE_CHECKING:  # Flask is imported by create_app: ``migsearch search`` and ``stats`` run without it
    from flask import Flask

LOGGER = logging.getLogger(__name__)


def create_app(test_config: Mapping | None = None, *, pages: bool = True) -> Flask:
    """Build the app: settings from defaults, ``MIGSEARCH_*`` variables, then ``test_config``.

    ``pages=False`` leaves out the web pages and the API (the CLI's commands that serve nothing do
    not pay for importing them and compiling their URL rules).
    """
    from flask import Flask

    app = Flask(__name__)
    app.config.from_mapping({setting.name: setting.default for setting in SETTINGS})
    app.config.from_prefixed_env("MIGSEARCH")
    if test_config:
        app.config.from_mapping(test_config)
    app.config["DEBUG"] = False

    from web import services

    services.init_app(app)
    if pages:
        _register_optional_blueprints(app)
    return app


def _register_optional_blueprints(app: Flask) -> None:
    """Register the view, API and feed blueprints and their CLI commands (``serve``)."""
    try:
        from web import pages
    except ImportError:  # the web pages are being built; the CLI works without them
        LOGGER.debug("web.pages not available yet")
        return
    pages.init_app(app)
