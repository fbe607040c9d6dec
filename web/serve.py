"""``migsearch serve``: the app on waitress, a production WSGI server, bound to 127.0.0.1:8000 by default."""

from __future__ import annotations

import ipaddress
import logging

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

LOGGER = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_THREADS = 8


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def make_server(
    app: Flask, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, threads: int = DEFAULT_THREADS
):
    """A waitress server for ``app`` (not yet running); port 0 picks a free port (see ``server_url``)."""
    from waitress.server import create_server

    return create_server(
        app, host=host, port=port, threads=threads, ident="migsearch", clear_untrusted_proxy_headers=True
    )


def server_url(server: object) -> str:
    """The http URL a waitress server created by ``make_server`` listens on."""
    host, port = server.effective_host, server.effective_port  # type: ignore[attr-defined]
    host = f"[{host}]" if ":" in str(host) else host
    return f"http://{host}:{port}/"


def warm_up(app: Flask) -> None:
    """Open the index before the first request so that request does not pay for it."""
    from web.services import get_service

    with app.app_context():
        health = get_service(app).health()
    if health.get("index_state") in ("missing", "corrupt"):
        LOGGER.error("%s (serving anyway: searches answer 503 until it is repaired)", health.get("error"))
        click.echo(f"warning: {health.get('error')}", err=True)
    elif not health.get("index_present"):
        LOGGER.warning("no index in %s yet: run `migsearch ingest` first", app.config.get("DATA_DIR"))
    else:
        LOGGER.info("serving %s documents", health.get("documents"))


@click.command("serve")
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to bind.")
@click.option(
    "--port",
    default=DEFAULT_PORT,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0 picks a free one).",
)
@click.option(
    "--threads",
    default=DEFAULT_THREADS,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Worker threads answering requests.",
)
@with_appcontext
def serve_command(host: str, port: int, threads: int) -> None:
    """Serve the search pages and the API on waitress."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not is_loopback(host):
        click.echo(f"warning: binding {host} makes the server reachable from other machines", err=True)
    warm_up(app)
    server = make_server(app, host=host, port=port, threads=threads)
    click.echo(
        f"migsearch serving {app.config.get('DATA_DIR')} at {server_url(server)} "
        f"with {threads} threads (Ctrl+C stops)"
    )
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        server.close()
