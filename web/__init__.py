"""The Flask front end: ``create_app()``, HTML views, the JSON API, feeds and the ``migsearch`` CLI."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from flask import Flask

from index.settings import load_settings
from web import pages, services

LOGGER = logging.getLogger(__name__)


def create_app(test_config: Mapping | None = None) -> Flask:
    """Build the app: settings from defaults, ``MIGSEARCH_*`` variables, then ``test_config``, read by the
    one loader (``index.settings.load_settings``) and kept typed for every part of the app and CLI."""
    settings = load_settings(test_config)
    app = Flask(__name__)
    app.config.from_mapping(settings)
    app.config["DEBUG"] = False
    services.init_app(app, settings)
    pages.init_app(app)  # the view, API and feed blueprints and their CLI commands (``serve``)
    return app
