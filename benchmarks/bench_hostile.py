"""Load under a hostile client: distinct-query throughput and p95 with N clients, with and without one
more client sending the worst queries we know (unbounded wildcards and ranges), and the worst single
request's time.

The server is ``migsearch serve`` in its own process on 127.0.0.1 (a free port) over an existing data
directory; ``--code`` picks the source tree it runs (to compare two versions on the same data, e.g. a
worktree of an older commit). The quiet and hostile phases alternate ``--rounds`` times so that the
shared machine's noise falls on both. Usage::

    .venv/bin/python benchmarks/bench_hostile.py --data-dir /work/helpers/data-12/base --seconds 20
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]

WORDS = (
    "refugee asylum seekers offshore processing nauru manus island boat arrivals people smuggling temporary "
    "protection visas mandatory detention humanitarian program vietnamese border resettlement unhcr children "
    "christmas family reunion indonesia cooperation sri lanka minister immigration department camps malaysia "
    "regional agreement migration settlement citizenship"
).split()

#: The issue's worst requests (each once per loop; ``page`` varied so no cache helps).
HOSTILE = [
    {"q": " OR ".join(f"*{c}*" for c in "abcdefghijklmnopqrstuvwxyz0123456789")},
    {"q": "*a* *e* *i* *o* *u*"},
    {"q": "?*"},
    {"q": "*"},
    {"q": "body:[0 TO]"},
    {"q": "title:[a TO z]"},
    {"q": "*tion* OR *ment* OR *ing*"},
    {"q": "r* OR s* OR t*"},
]


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))] if ordered else 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(code: Path, data_dir: Path, port: int, threads: int) -> subprocess.Popen:
    """``migsearch serve`` from the ``code`` tree, waiting until /healthz answers."""
    env = dict(os.environ, PYTHONPATH=str(code), MIGSEARCH_DATA_DIR=str(data_dir))
    runner = "from web.cli import main; import sys; sys.argv=['migsearch', *sys.argv[1:]]; main()"
    proc = subprocess.Popen(
        [sys.executable, "-c", runner, "serve", "--port", str(port), "--threads", str(threads)],
        env=env,
        cwd=str(code),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("server did not start")


def distinct_queries(seed: int) -> itertools.cycle:
    """An endless stream of distinct two-word searches (page 1-3)."""
    rng = random.Random(seed)
    pairs = [(a, b) for a in WORDS for b in WORDS if a < b]
    rng.shuffle(pairs)
    return iter([{"q": f"{a} {b}", "page": str(1 + n % 3)} for n, (a, b) in enumerate(pairs)] * 50)


def client(port: int, queries, stop: threading.Event, out: list, path: str = "/api/v1/search") -> None:
    """Send queries until ``stop``; append (seconds, status) of each."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    for params in queries:
        if stop.is_set():
            break
        started = time.perf_counter()
        try:
            conn.request("GET", f"{path}?{urlencode(params)}")
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            status = 0
        out.append((time.perf_counter() - started, status, params.get("q", "")))
    conn.close()


def hostile_stream(seed: int):
    for n in itertools.count():
        params = dict(HOSTILE[n % len(HOSTILE)])
        params["page"] = str(1 + (n // len(HOSTILE)) % 50 + seed)
        yield params


def health_probe(port: int, stop: threading.Event, out: list) -> None:
    """/healthz every 0.5 s."""
    while not stop.is_set():
        got: list = []
        client(port, iter([{}]), threading.Event(), got, path="/healthz")
        out.extend(got)
        time.sleep(0.5)


def phase(port: int, clients: int, seconds: float, hostile: bool, seed: int) -> dict:
    """One timed phase: ``clients`` distinct-query clients (and one hostile client when ``hostile``)."""
    stop = threading.Event()
    normal: list[list] = [[] for _ in range(clients)]
    bad: list = []
    health: list = []
    threads = [
        threading.Thread(target=client, args=(port, distinct_queries(seed * 100 + n), stop, normal[n]))
        for n in range(clients)
    ]
    threads.append(threading.Thread(target=health_probe, args=(port, stop, health)))
    if hostile:
        threads.append(threading.Thread(target=client, args=(port, hostile_stream(seed), stop, bad)))
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    times = [t for results in normal for t, status, _ in results]
    statuses = [status for results in normal for _, status, _ in results]
    return {
        "requests": len(times),
        "rps": len(times) / elapsed,
        "p50_ms": statistics.median(times) * 1000 if times else 0.0,
        "p95_ms": percentile(times, 95) * 1000,
        "errors": sum(1 for s in statuses if s != 200),
        "healthz_p95_ms": percentile([t for t, _, _ in health], 95) * 1000,
        "healthz_max_ms": max((t for t, _, _ in health), default=0.0) * 1000,
        "hostile": [(round(t * 1000), status, q[:40]) for t, status, q in bad],
        "worst_normal_ms": max(times, default=0.0) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--code", type=Path, default=REPO, help="source tree the server runs")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--threads", type=int, default=8, help="server threads")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each phase")
    parser.add_argument("--rounds", type=int, default=2, help="quiet/hostile alternations")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--quiet-only", action="store_true", help="only the quiet phases (e.g. for old code)")
    args = parser.parse_args()
    port = free_port()
    server = start_server(args.code.resolve(), args.data_dir.resolve(), port, args.threads)
    print(f"server: {args.code} on port {port}, data {args.data_dir}; {args.clients} clients; shared machine")
    results: dict[str, list[dict]] = {"quiet": [], "hostile": []}
    try:
        phase(port, 2, 3.0, False, 0)  # warm-up: open the index, fill the posting cache a little
        for round_number in range(args.rounds):
            for name in ("quiet",) if args.quiet_only else ("quiet", "hostile"):
                figures = phase(port, args.clients, args.seconds, name == "hostile", round_number + 1)
                results[name].append(figures)
                print(
                    f"round {round_number + 1} {name:8s}: {figures['rps']:6.1f} req/s  p50 {figures['p50_ms']:7.0f} ms"
                    f"  p95 {figures['p95_ms']:7.0f} ms  errors {figures['errors']}  /healthz p95 "
                    f"{figures['healthz_p95_ms']:.0f} ms max {figures['healthz_max_ms']:.0f} ms",
                    flush=True,
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
    quiet_p95 = statistics.median(r["p95_ms"] for r in results["quiet"])
    if args.quiet_only:
        quiet_rps = statistics.median(r["rps"] for r in results["quiet"])
        print(f"quiet: median rps {quiet_rps:.1f}, median p95 {quiet_p95:.0f} ms")
        return
    hostile_p95 = statistics.median(r["p95_ms"] for r in results["hostile"])
    hostile_requests = [h for r in results["hostile"] for h in r["hostile"]]
    worst = max((h[0] for h in hostile_requests), default=0)
    worst_normal = max(r["worst_normal_ms"] for rs in results.values() for r in rs)
    quiet_rps = statistics.median(r["rps"] for r in results["quiet"])
    print(f"quiet:   median rps {quiet_rps:.1f}, median p95 {quiet_p95:.0f} ms")
    print(
        f"hostile: median rps {statistics.median(r['rps'] for r in results['hostile']):.1f}, median p95 "
        f"{hostile_p95:.0f} ms  (ratio {hostile_p95 / max(quiet_p95, 1e-9):.2f}x, target <= 2x)"
    )
    print(f"hostile requests answered: {len(hostile_requests)}; statuses {sorted({h[1] for h in hostile_requests})}")
    print(f"worst single request: hostile {worst} ms, normal {worst_normal:.0f} ms")
    by_query: dict[str, list[int]] = {}
    for ms, status, q in hostile_requests:
        by_query.setdefault(f"{q} -> {status}", []).append(ms)
    for key, values in sorted(by_query.items()):
        print(f"  {key}: max {max(values)} ms over {len(values)}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
