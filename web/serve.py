"""``migsearch serve``: the app on gunicorn, several worker processes sharing one socket and the read-only index.

Why gunicorn: searching is CPU work in Python, so one process uses one core whatever its threads do.
Gunicorn is a well-kept pre-fork server made for this: a master process loads the app once (the code
is shared with the workers copy-on-write), binds the socket, forks ``--workers`` processes, restarts a
worker that dies or hangs past its timeout, and stops them all cleanly on SIGINT/SIGTERM. Each worker
answers with ``--threads`` threads (gthread workers, which also keep connections alive) and opens the
index itself after the fork: its own reader and searcher, shared by its threads without a lock and
replaced within ``REFRESH_CHECK_SECONDS`` of any commit. The result cache is per worker (see README).

Waitress (``make_server``) stays for an in-process server: the tests and the browser tests run it in a
thread, and it is the fallback where gunicorn is not available (it does not run on Windows).
"""

from __future__ import annotations

import ipaddress
import logging
import os

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

LOGGER = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_THREADS = 4
# A worker whose main loop has not checked in for this long is killed and replaced by the master.
WORKER_TIMEOUT_SECONDS = 60


def default_workers() -> int:
    """One worker process per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


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
    """A waitress server for ``app`` in this process (not yet running); port 0 picks a free port."""
    from waitress.server import create_server  # type: ignore[import-untyped]

    return create_server(
        app, host=host, port=port, threads=threads, ident="migsearch", clear_untrusted_proxy_headers=True
    )


def server_url(server: object) -> str:
    """The http URL a waitress server created by ``make_server`` listens on."""
    host, port = server.effective_host, server.effective_port  # type: ignore[attr-defined]
    return _url(host, port)


def _url(host: str, port: int) -> str:
    host = f"[{host}]" if ":" in str(host) else host
    return f"http://{host}:{port}/"


def warm_up(app: Flask) -> None:
    """Open the index and read what the first search needs, so the first request does not pay for it."""
    from web.services import get_service

    with app.app_context():
        service = get_service(app)
        service.warm_up()
        health = service.health()
    if health.get("index_state") in ("missing", "corrupt"):
        LOGGER.error("%s (serving anyway: searches answer 503 until it is repaired)", health.get("error"))
        click.echo(f"warning: {health.get('error')}", err=True)
    elif not health.get("index_present"):
        LOGGER.warning("no index in %s yet: run `migsearch ingest` first", app.config.get("DATA_DIR"))
    else:
        LOGGER.info("serving %s documents", health.get("documents"))


def gunicorn_options(host: str, port: int, workers: int, threads: int) -> dict:
    """Gunicorn's settings for ``serve``: gthread workers, no access log, no control socket."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return {
        "bind": [bind],
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "timeout": WORKER_TIMEOUT_SECONDS,
        "graceful_timeout": 10,
        "keepalive": 5,
        "preload_app": True,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "migsearch",
        "forwarded_allow_ips": "127.0.0.1,::1",
        "control_socket_disable": True,
    }


def run_gunicorn(app: Flask, options: dict, on_ready=None) -> None:
    """Serve ``app`` with gunicorn's pre-fork master until it is stopped (SIGINT or SIGTERM)."""
    from gunicorn.app.base import BaseApplication

    def post_worker_init(worker) -> None:
        warm_up(app)  # in the worker, after the fork: its own reader, searcher and store connection

    def when_ready(server) -> None:
        if on_ready is not None:
            host, port = server.LISTENERS[0].sock.getsockname()[:2]
            on_ready(_url(host, port))

    class _Server(BaseApplication):
        def load_config(self) -> None:
            settings = {**options, "post_worker_init": post_worker_init, "when_ready": when_ready}
            for key, value in settings.items():
                if key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self) -> Flask:
            return app

    _Server().run()


def _have_gunicorn() -> bool:
    """Whether gunicorn is installed and can run here (POSIX only)."""
    from importlib.util import find_spec

    return os.name == "posix" and find_spec("gunicorn") is not None


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
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Worker processes answering requests (default: one per core).",
)
@click.option(
    "--threads",
    default=DEFAULT_THREADS,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Threads per worker process.",
)
@with_appcontext
def serve_command(host: str, port: int, workers: int | None, threads: int) -> None:
    """Serve the search pages and the API: gunicorn with one worker process per core."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    workers = workers or default_workers()
    if not is_loopback(host):
        click.echo(f"warning: binding {host} makes the server reachable from other machines", err=True)
    if not _have_gunicorn():
        _serve_waitress(app, host, port, threads * workers)
        return
    from web.services import get_service

    if not get_service(app).health().get("index_present"):  # the master opens nothing: the workers do
        LOGGER.warning("no index in %s yet: run `migsearch ingest` first", app.config.get("DATA_DIR"))

    def ready(url: str) -> None:
        click.echo(
            f"migsearch serving {app.config.get('DATA_DIR')} at {url} with {workers} worker "
            f"process{'es' if workers != 1 else ''} x {threads} threads (Ctrl+C stops)"
        )

    run_gunicorn(app, gunicorn_options(host, port, workers, threads), on_ready=ready)


def _serve_waitress(app: Flask, host: str, port: int, threads: int) -> None:
    """One process, many threads: where gunicorn cannot run."""
    warm_up(app)
    server = make_server(app, host=host, port=port, threads=threads)
    click.echo(
        f"migsearch serving {app.config.get('DATA_DIR')} at {server_url(server)} "
        f"with {threads} threads in one process (Ctrl+C stops)"
    )
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        server.close()
