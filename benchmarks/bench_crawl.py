"""Crawl benchmark: a generated site of 2,000 release pages served on 127.0.0.1, crawled with delay 0.

The server runs in its own process so the CPU figures are the crawler's alone. Printed: pages/s (wall
clock), CPU time per page split into fetch, ingest (normalize + extract + store + index) and the rest
(discovery, robots, crawl state), the final index commit, peak RSS, and a second (re-)crawl where every
page answers 304. ``--tracemalloc`` adds the peak of Python allocations (slower).

    .venv/bin/python benchmarks/bench_crawl.py [--pages 2000] [--tracemalloc]
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import resource
import sys
import tempfile
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index.crawl.crawler import Crawler  # noqa: E402
from index.crawl.fetch import FetchOptions  # noqa: E402
from index.crawl.sources import sites_for_urls  # noqa: E402
from index.crawl.state import CrawlState  # noqa: E402
from index.ingest.pipeline import Ingester  # noqa: E402
from index.settings import load_settings  # noqa: E402

PER_LISTING = 50
PEOPLE = [
    ("Amy Pope", "IOM Director General"),
    ("Filippo Grandi", "UN High Commissioner for Refugees"),
    ("Ylva Johansson", "European Commissioner for Home Affairs"),
    ("Gilbert F. Houngbo", "ILO Director-General"),
]
PLACES = ["Geneva", "Brussels", "Nairobi", "Bangkok", "Panama City", "Amman", "Dakar", "Vienna"]
TOPICS = ["labour mobility", "refugee resettlement", "border management", "climate displacement",
          "return and reintegration", "family reunification", "migrant health", "counter-trafficking"]


def release_page(number: int) -> bytes:
    """A realistic release page, different for every number."""
    name, role = PEOPLE[number % len(PEOPLE)]
    place = PLACES[number % len(PLACES)]
    topic = TOPICS[(number // 3) % len(TOPICS)]
    day, month = 1 + number % 28, 1 + (number // 28) % 12
    paragraphs = [
        f"{place} – Governments and partners met on {day} {['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][month - 1]} 2024 to discuss {topic}, release number {number}.",  # noqa: E501
        f"“Cooperation on {topic} saves lives and builds trust between communities,” said {name}, {role}, "
        f"at the regional meeting in {place}.",
        "The meeting reviewed progress since the Global Compact for Safe, Orderly and Regular Migration "
        f"and agreed on {3 + number % 9} new commitments on {topic}.",
        "Participants called for predictable funding and for data that show the situation of migrants in "
        "transit and at destination. " * 3,
    ]
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Release {number}: {topic.title()} "
        f"meeting in {place}</title><meta property=article:published_time content=2024-{month:02d}-{day:02d}>"
        f"</head><body><nav><a href=/>Home</a></nav><article><h1>Release {number}: {topic.title()} meeting "
        f"in {place}</h1>{body}</article><footer><a href=/list/0.html>News</a></footer></body></html>"
    ).encode()


def listing_page(number: int, pages: int) -> bytes:
    """A listing page linking to ``PER_LISTING`` releases."""
    first = number * PER_LISTING
    numbers = range(first, min(first + PER_LISTING, pages))
    links = "".join(f"<li><a href=/news/{i}.html>Release {i}</a></li>" for i in numbers)
    return f"<html><body><h1>News, page {number}</h1><ul>{links}</ul></body></html>".encode()


def serve(pages: int, port_queue) -> None:
    """Serve the generated site until terminated (runs in a child process)."""
    listings = (pages + PER_LISTING - 1) // PER_LISTING

    class Handler(BaseHTTPRequestHandler):
        disable_nagle_algorithm = True  # headers and body go in two writes: avoid 40 ms delayed-ACK stalls

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def do_GET(self) -> None:  # noqa: N802
            path = self.path
            if path == "/":
                data = "".join(f"<a href=/list/{i}.html>page {i}</a> " for i in range(listings)).encode()
            elif path.startswith("/list/"):
                data = listing_page(int(path[6:-5]), pages)
            elif path.startswith("/news/") and int(path[6:-5]) < pages:
                data = release_page(int(path[6:-5]))
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port_queue.put(server.server_address[1])
    server.serve_forever()


def cpu() -> float:
    """CPU seconds (user + system) used by this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def crawl_once(settings: dict, base: str) -> dict:
    """One crawl with timers around fetching and ingesting; returns the figures."""
    timers = {"fetch": 0.0, "ingest": 0.0}
    sites = sites_for_urls([base + "/"])
    wall, cpu_start = time.perf_counter(), cpu()
    with Ingester(settings) as ingester:
        state = CrawlState(ingester.store.connection)

        def ingest(*args, **kwargs):
            started = cpu()
            try:
                return ingester.ingest(*args, **kwargs)
            finally:
                timers["ingest"] += cpu() - started

        crawler = Crawler(settings, sites, state, ingest, max_depth=2, delay=0.0,
                          fetch_options=FetchOptions.from_settings(settings))
        real_fetch = crawler.fetcher.fetch

        def fetch(*args, **kwargs):
            started = cpu()
            try:
                return real_fetch(*args, **kwargs)
            finally:
                timers["fetch"] += cpu() - started

        crawler.fetcher.fetch = fetch  # type: ignore[method-assign]
        summary = crawler.run()
        before_commit = cpu()
    commit = cpu() - before_commit
    total_cpu, seconds = cpu() - cpu_start, time.perf_counter() - wall
    return {"summary": summary, "seconds": seconds, "cpu": total_cpu, "commit": commit, **timers}


def report(title: str, figures: dict) -> None:
    """Print one crawl's figures."""
    summary = figures["summary"]
    count = max(summary.fetched, 1)
    rest = figures["cpu"] - figures["fetch"] - figures["ingest"] - figures["commit"]
    print(f"{title}: {summary.fetched} URLs fetched ({summary.new} new, {summary.changed} changed, "
          f"{summary.unchanged} unchanged, {summary.listings} listings, {len(summary.failed)} failed) "
          f"in {figures['seconds']:.1f} s = {summary.fetched / figures['seconds']:.0f} pages/s")
    per_page = {name: 1000 * value / count for name, value in (
        ("total", figures["cpu"]), ("fetch", figures["fetch"]), ("ingest", figures["ingest"]),
        ("commit", figures["commit"]), ("rest", rest),
    )}
    print(f"  CPU per page: {per_page['total']:.2f} ms = fetch {per_page['fetch']:.2f}"
          f" + ingest (normalize, extract, store, index) {per_page['ingest']:.2f}"
          f" + final index commit {per_page['commit']:.2f} + crawl bookkeeping {per_page['rest']:.2f} ms")


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--tracemalloc", action="store_true", help="also trace Python allocations (slower)")
    args = parser.parse_args()
    queue = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(args.pages, queue), daemon=True)
    server.start()
    try:
        base = f"http://127.0.0.1:{queue.get(timeout=10)}"
        with tempfile.TemporaryDirectory() as tmp:
            settings = load_settings({"DATA_DIR": tmp, "ALLOWED_ADDRESSES": "127.0.0.1", "CRAWL_DELAY": 0.0})
            if args.tracemalloc:
                tracemalloc.start()
            first = crawl_once(settings, base)
            report(f"first crawl of {args.pages} releases", first)
            second = crawl_once(settings, base)
            report("re-crawl, nothing changed (conditional requests)", second)
            peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            line = f"peak memory: {peak_rss:.0f} MiB RSS"
            if args.tracemalloc:
                line += f", {tracemalloc.get_traced_memory()[1] / 2**20:.1f} MiB peak Python allocations"
            print(line)
    finally:
        server.terminate()
        server.join()
        queue.close()
        queue.join_thread()


if __name__ == "__main__":
    main()
