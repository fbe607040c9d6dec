"""HTTP benchmark: ``/api/v1/search`` and ``/search`` through the real server, beside the service.

One run on the trove corpus (the first ``--docs`` documents, ingested once with ``migsearch ingest``)
prints, for the result cache on and off:

- latency p50/p95 of the same queries through the Python ``SearchService`` and through HTTP with one
  client (interleaved query by query), and what the HTTP layer adds at p50 (target: under 5 ms);
- requests per second and p50/p95 under ``--clients`` concurrent keep-alive clients: with the cache
  off every request is a search of its own ("distinct"; targets: >= 55/s, p95 <= 200 ms with 8
  clients), with it on the 16 queries repeat ("cached"; target >= 1,000/s).

The server is ``migsearch serve`` in its own process on 127.0.0.1 and a free port (``--workers``
worker processes when it has them), so the clients do not share its interpreter. With ``--compare
OTHER_MIGSEARCH`` (the executable of another checkout) the load phases alternate between the two
servers, one server running at a time, and the ratios are printed, with the CPU time the server's
processes spent per request (read from /proc: less disturbed by other load than wall time). Usage::

    .venv/bin/python benchmarks/bench_http.py --docs 10000 --clients 8 --requests 400
    .venv/bin/python benchmarks/bench_http.py --data-dir DATA --clients 8 --compare /old/.venv/bin/migsearch
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import itertools
import json
import logging
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from index.settings import load_settings  # noqa: E402
from search.request import parse_search_request  # noqa: E402
from search.service import SearchService  # noqa: E402

LOGGER = logging.getLogger("benchmarks.bench_http")

CORPUS = REPO.parent / "shared" / "data" / "trove-refugee-releases" / "docs.jsonl.gz"
MAPPING = ["speaker=contributor_slug", "url=trove_url"]
MIGSEARCH = (
    [sys.executable, "-m", "web.cli"]
    if not (REPO / ".venv/bin/migsearch").exists()
    else [str(REPO / ".venv/bin/migsearch")]
)
TARGET_OVERHEAD_MS = 5.0
TARGET_RPS = 55.0
TARGET_P95_MS = 200.0
TARGET_CACHED_RPS = 1000.0

QUERIES: list[dict[str, str]] = [
    {"q": "refugee"},
    {"q": "asylum seekers"},
    {"q": "offshore processing Nauru"},
    {"q": "Manus Island"},
    {"q": "boat arrivals", "sort": "date"},
    {"q": "people smuggling"},
    {"q": "temporary protection visas"},
    {"q": "mandatory detention", "from": "2001", "to": "2010"},
    {"q": '"Pacific Solution"'},
    {"q": "humanitarian program", "page": "2"},
    {"q": "Vietnamese refugees", "to": "1990"},
    {"q": "border protection", "sort": "date", "page": "3"},
    {"q": "resettlement UNHCR"},
    {"q": "detention children"},
    {"q": "Christmas Island"},
    {"q": "family reunion"},
    {"q": "refugee", "speaker": "bowen-chris"},
    {"q": "Sri Lanka", "per_page": "20"},
    {"q": "Indonesia cooperation"},
    {"q": "Tampa"},
]


def percentile(values: list[float], pct: float) -> float:
    """The ``pct`` percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


def build_data_dir(data_dir: Path, docs: int) -> None:
    """Ingest the first ``docs`` trove documents into ``data_dir`` with ``migsearch ingest``."""
    if (data_dir / "index").exists() or any(data_dir.glob("index*")):
        LOGGER.info("using the existing data directory %s", data_dir)
        return
    if not CORPUS.exists():
        sys.exit(f"{CORPUS} is absent: the trove corpus is only on the developers' machines")
    data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subset = Path(tmp) / "trove.jsonl"
        with gzip.open(CORPUS, "rt", encoding="utf-8") as src, subset.open("w", encoding="utf-8") as out:
            out.writelines(itertools.islice(src, docs))
        args = [
            *MIGSEARCH,
            "--data-dir",
            str(data_dir),
            "ingest",
            str(subset),
            "--source",
            "trove",
            "--quiet",
        ]
        for item in MAPPING:
            args += ["--map", item]
        started = time.perf_counter()
        subprocess.run(args, check=False, cwd=REPO)
        print(f"ingested {docs:,} documents in {time.perf_counter() - started:.0f} s")


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def has_workers(executable: list[str]) -> bool:
    """Whether this ``migsearch serve`` has ``--workers`` (processes) or only ``--threads``."""
    done = subprocess.run([*executable, "serve", "--help"], capture_output=True, text=True, check=False)
    return "--workers" in done.stdout


def start_server(
    data_dir: Path, threads: int, cache_size: int, executable: list[str] | None = None, workers: int = 0
) -> tuple[subprocess.Popen, int]:
    """``migsearch serve`` in a child process; returns it and its port once it answers."""
    port = free_port()
    env = {**os.environ, "MIGSEARCH_SEARCH_CACHE_SIZE": str(cache_size)}
    executable = executable or MIGSEARCH
    args = [*executable, "--data-dir", str(data_dir), "serve", "--port", str(port), "--threads", str(threads)]
    if workers and has_workers(executable):
        args += ["--workers", str(workers)]
    proc = subprocess.Popen(args, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status in (200, 503):
                conn.close()
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    sys.exit("the server did not start: " + (proc.stderr.read().decode() if proc.stderr else ""))


def fetch(conn: http.client.HTTPConnection, path: str) -> float:
    """GET ``path`` on a keep-alive connection; the seconds it took (body read)."""
    started = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    return time.perf_counter() - started


def sequential(port: int, service: SearchService, rounds: int) -> dict[str, list[float]]:
    """Service, API and HTML latencies of every query, interleaved query by query, one client."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times: dict[str, list[float]] = {"service": [], "api": [], "html": []}
    for _ in range(rounds):
        for params in QUERIES:
            req = parse_search_request(params)
            started = time.perf_counter()
            service.search(req)
            times["service"].append(time.perf_counter() - started)
            times["api"].append(fetch(conn, "/api/v1/search?" + urlencode(params)))
            times["html"].append(fetch(conn, "/search?" + urlencode(params)))
    conn.close()
    return times


def concurrent(port: int, path: str, clients: int, requests: int) -> tuple[float, list[float]]:
    """``requests`` GETs of ``path`` + each query by ``clients`` threads; (requests/s, latencies)."""
    paths = [path + "?" + urlencode(QUERIES[i % len(QUERIES)]) for i in range(requests)]
    lock = threading.Lock()
    latencies: list[float] = []
    cursor = iter(paths)

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                item = next(cursor, None)
            if item is None:
                break
            elapsed = fetch(conn, item)
            with lock:
                latencies.append(elapsed)
        conn.close()

    workers = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return requests / (time.perf_counter() - started), latencies


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` and its descendants (the gunicorn master and its
    workers), from /proc: a figure the other load on a shared machine disturbs much less than wall time."""
    tick = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    family, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, ppid in parents.items() if ppid == parent and child not in family]
        family.update(children)
        frontier.extend(children)
    return sum(times.get(member, 0.0) for member in family)


def ms(value: float) -> str:
    return f"{value * 1000:7.1f}"


def drop_failing_queries(data_dir: Path) -> None:
    """Leave out (and name) queries the service itself cannot answer, so one bug does not stop the run."""
    service = SearchService(load_settings({"DATA_DIR": str(data_dir), "SEARCH_CACHE_SIZE": 0}))
    try:
        for params in list(QUERIES):
            try:
                service.search(parse_search_request(params))
            except Exception as exc:  # noqa: BLE001 - reported and skipped
                print(f"skipped {params}: the service fails: {type(exc).__name__}: {str(exc)[:80]}")
                QUERIES.remove(params)
    finally:
        service.close()


def load_phase(executable: list[str], data_dir: Path, args: argparse.Namespace, cache_size: int) -> dict:
    """Start one server, warm it, put ``--clients`` on ``/api/v1/search``, stop it; rate and latencies."""
    proc, port = start_server(data_dir, args.threads, cache_size, executable, args.workers)
    try:
        concurrent(port, "/api/v1/search", args.clients, len(QUERIES) * 4)  # open the index in every worker
        cpu = tree_cpu_seconds(proc.pid)
        rate, latencies = concurrent(port, "/api/v1/search", args.clients, args.requests)
        cpu_ms = (tree_cpu_seconds(proc.pid) - cpu) / args.requests * 1000
        return {"rate": rate, "p50": statistics.median(latencies), "p95": percentile(latencies, 95), "cpu": cpu_ms}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def compare(data_dir: Path, args: argparse.Namespace) -> None:
    """Load phases alternating between this server and ``--compare``, for distinct and cached queries."""
    systems = {"this": MIGSEARCH, "compared": [str(args.compare)]}
    found: dict = {}
    for round_number in range(args.compare_rounds):
        for mode, cache_size in (("distinct", 0), ("cached", 512)):
            for name, executable in systems.items():
                result = load_phase(executable, data_dir, args, cache_size)
                found.setdefault((name, mode), []).append(result)
                print(f"  round {round_number + 1} {mode:<8} {name:<8} {result['rate']:8.1f}/s "
                      f"p50 {ms(result['p50'])} ms p95 {ms(result['p95'])} ms "
                      f"server CPU {result['cpu']:6.2f} ms/request", flush=True)
    print(f"\n== GET /api/v1/search, {args.clients} clients, {args.requests} requests per phase, "
          f"{args.compare_rounds} round(s) alternating (medians); workers: {args.workers or 'one per core'}")
    print(f"{'mode':<10}{'system':<10}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'CPU ms/req':>12}")
    medians: dict = {}
    for mode in ("distinct", "cached"):
        for name in systems:
            rows = found[(name, mode)]
            keys = ("rate", "p50", "p95", "cpu")
            medians[(name, mode)] = {key: statistics.median(r[key] for r in rows) for key in keys}
            m = medians[(name, mode)]
            print(f"{mode:<10}{name:<10}{m['rate']:9.1f}{ms(m['p50']):>9}{ms(m['p95']):>9}{m['cpu']:12.2f}")
        a, b = medians[("this", mode)], medians[("compared", mode)]
        ratios = (a["rate"] / b["rate"], a["p50"] / b["p50"], a["p95"] / b["p95"], a["cpu"] / b["cpu"])
        print(f"{'':<10}{'ratio':<10}" + "".join(f"{r:8.2f}x" for r in ratios))
    distinct, cached = medians[("this", "distinct")], medians[("this", "cached")]
    print(f"\ntargets (this): distinct {distinct['rate']:.1f}/s (>= {TARGET_RPS:.0f}) "
          f"p95 {distinct['p95'] * 1000:.0f} ms (<= {TARGET_P95_MS:.0f}); "
          f"cached {cached['rate']:.0f}/s (>= {TARGET_CACHED_RPS:.0f})")


def run(data_dir: Path, args: argparse.Namespace, cache_size: int) -> None:
    """One mode (cache on or off): the sequential comparison and the concurrent load."""
    label = f"result cache {'on (' + str(cache_size) + ')' if cache_size else 'off'}"
    proc, port = start_server(data_dir, args.threads, cache_size, workers=args.workers)
    service = SearchService(load_settings({"DATA_DIR": str(data_dir), "SEARCH_CACHE_SIZE": cache_size}))
    try:
        sequential(port, service, 1)  # warm up: open the index, fill the caches when on
        times = sequential(port, service, args.rounds)
        print(f"\n== {label}; {len(QUERIES)} queries x {args.rounds} rounds, one client, interleaved")
        print(f"{'path':<28}{'p50 ms':>8}{'p95 ms':>8}{'adds at p50':>14}")
        base = statistics.median(times["service"])
        for name, title in (
            ("service", "SearchService.search"),
            ("api", "GET /api/v1/search"),
            ("html", "GET /search"),
        ):
            values = times[name]
            extra = "" if name == "service" else f"{(statistics.median(values) - base) * 1000:11.1f} ms"
            print(f"{title:<28}{ms(statistics.median(values)):>8}{ms(percentile(values, 95)):>8}{extra:>14}")
        print(
            f"\n{args.clients} concurrent clients, {args.requests} requests each path, "
            f"server threads {args.threads} per worker, workers {args.workers or 'one per core'}"
        )
        print(f"{'path':<28}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}")
        for path in ("/api/v1/search", "/search"):
            rate, latencies = concurrent(port, path, args.clients, args.requests)
            flag = "" if rate >= TARGET_RPS else f"  (below the {TARGET_RPS:.0f}/s target)"
            print(
                f"{'GET ' + path:<28}{rate:8.1f}{ms(statistics.median(latencies)):>8}"
                f"{ms(percentile(latencies, 95)):>8}{flag}"
            )
    finally:
        service.close()
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    """Parse arguments, build the data directory if needed, and run both modes."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=10_000, help="trove documents to ingest")
    parser.add_argument("--data-dir", type=Path, default=REPO / "var" / "bench-http", help="data directory")
    parser.add_argument("--clients", type=int, default=4, help="concurrent HTTP clients (1-16)")
    parser.add_argument("--threads", type=int, default=4, help="server threads (per worker process)")
    parser.add_argument("--workers", type=int, default=0, help="server worker processes (0: one per core)")
    parser.add_argument("--compare", type=Path, help="another migsearch executable: alternate load phases")
    parser.add_argument("--compare-rounds", type=int, default=3, help="alternating rounds with --compare")
    parser.add_argument("--requests", type=int, default=400, help="requests per path under load")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the sequential comparison")
    args = parser.parse_args()
    args.clients = max(1, min(args.clients, 16))
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    build_data_dir(args.data_dir, args.docs)
    health = SearchService(load_settings({"DATA_DIR": str(args.data_dir)}))
    print(f"data: {args.data_dir} ({health.health()['documents']:,} documents); cores: {os.cpu_count()}")
    health.close()
    drop_failing_queries(args.data_dir)
    print(f"load average {os.getloadavg()[0]:.1f} (the machine is shared: compare within one run)")
    if args.compare:
        compare(args.data_dir, args)
        return
    for cache_size in (512, 0):
        run(args.data_dir, args, cache_size)
    print(f"\ntargets: HTTP adds < {TARGET_OVERHEAD_MS:.0f} ms at p50; >= {TARGET_RPS:.0f} searches/s")
    print(json.dumps({"note": "figures vary on a shared machine; compare within one run"}))


if __name__ == "__main__":
    main()
