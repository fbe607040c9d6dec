"""The Flask front end: ``create_app()``, HTML views, the JSON API, feeds and the ``migsearch`` CLI."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from index.settings import load_settings

if TYPE_CHECKING:  # Flask is imported by create_app: ``migsearch search`` and ``stats`` run without it
    from flask import Flask

LOGGER = logging.getLogger(__name__)


def create_app(test_config: Mapping | None = None, *, pages: bool = True) -> Flask:
    """Build the app: settings from defaults, ``MIGSEARCH_*`` variables, then ``test_config``, read by the
    one loader (``index.settings.load_settings``) and kept typed for every part of the app and CLI.

    ``pages=False`` leaves out the web pages and the API (the CLI's commands that serve nothing do
    not pay for importing them and compiling their URL rules).
    """
    from flask import Flask

    from web import pages as web_pages
    from web import services

    settings = load_settings(test_config)
    app = Flask(__name__)
    app.config.from_mapping(settings)
    app.config["DEBUG"] = False
    services.init_app(app, settings)
    if pages:
        web_pages.init_app(app)  # the view, API and feed blueprints and their CLI commands (``serve``)
    return app
