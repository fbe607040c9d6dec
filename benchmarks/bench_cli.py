"""CLI benchmark: cold wall time and peak memory of one ``migsearch`` command, as a script calling it pays.

Every measurement starts a fresh ``migsearch`` process (nothing kept between runs but the operating
system's file cache, which a script calling the CLI in a loop also has), waits for it with
``os.wait4`` and records its wall time and its own peak resident memory (``ru_maxrss``). Commands:

- ``search QUERY`` (10 hits with highlights; the queries rotate over a fixed list),
- ``search QUERY --json`` (the same, with facets, as a script reads it),
- ``stats`` and ``--help``.

With ``--compare OTHER_MIGSEARCH`` (say, the executable of a checkout of an older commit) both are
measured interleaved, command by command and run by run, so the machine's noise falls on both alike;
medians, p95 and the ratios are printed. ``--importtime`` adds the slowest imports of one search
(``python -X importtime``). Usage::

    .venv/bin/python benchmarks/bench_cli.py --data-dir /path/to/data --runs 15
    .venv/bin/python benchmarks/bench_cli.py --data-dir DATA --compare /old/checkout/.venv/bin/migsearch
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "data" / "trove-refugee-releases" / "docs.jsonl.gz"
MAPPING = ["body=text", "date=date", "id=id", "url=trove_url", "source=contributor_slug"]
OURS = REPO / ".venv" / "bin" / "migsearch"

LOGGER = logging.getLogger("benchmarks.bench_cli")

# Issue 14's targets.
TARGET_SEARCH_S = 0.5
TARGET_SEARCH_MB = 150.0
TARGET_STATS_S = 0.3

QUERIES = [
    "detention children",
    "asylum seekers",
    "offshore processing Nauru",
    '"Pacific Solution"',
    "boat arrivals",
    "people smuggling",
    "temporary protection visas",
    "Vietnamese refugees",
    "Christmas Island detention centre",
    "UNHCR resettlement",
]


def percentile(values: list[float], pct: float) -> float:
    """The ``pct`` percentile of ``values`` (linear interpolation)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def run_once(argv: list[str], env: dict) -> tuple[float, float, float, int]:
    """(wall seconds, peak RSS in MB, CPU seconds, exit code) of one fresh process."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        LOGGER.warning("%s exited %s: %s", " ".join(argv[1:]), proc.returncode, proc.stderr.read()[-500:])
    proc.stderr.close()
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, proc.returncode


def commands(data_dir: Path) -> dict[str, object]:
    """Command name -> a function of the run number giving the arguments after the executable."""
    base = ["--data-dir", str(data_dir)]
    return {
        "search": lambda n: [*base, "search", *QUERIES[n % len(QUERIES)].split()],
        "search --json": lambda n: [*base, "search", "--json", *QUERIES[n % len(QUERIES)].split()],
        "stats": lambda n: [*base, "stats"],
        "--help": lambda n: ["--help"],
    }


def measure(systems: dict[str, Path], data_dir: Path, runs: int) -> dict:
    """Interleaved runs: for each run, each command, each system once. -> {(system, command): [(s, MB)]}"""
    env = {**os.environ, "MIGSEARCH_LOG_LEVEL": "WARNING"}
    env.pop("MIGSEARCH_DATA_DIR", None)
    # As installed: Python keeps compiled modules (with PYTHONDONTWRITEBYTECODE every start compiles ours again).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    found: dict = {}
    table = commands(data_dir)
    for exe, make in itertools.product(systems.values(), table.values()):  # warm the file cache
        run_once([str(exe), *make(0)], env)
    for number in range(runs):
        for command, make in table.items():
            for name, exe in systems.items():
                wall, rss, cpu, code = run_once([str(exe), *make(number)], env)
                if code == 0:
                    found.setdefault((name, command), []).append((wall, rss, cpu))
        print(f"  run {number + 1}/{runs} done", file=sys.stderr, flush=True)
    return found


def print_table(systems: dict[str, Path], found: dict, runs: int) -> None:
    """Medians, p95 and peaks per system and command, and the ratios to the first system."""
    print(f"\ncold CLI runs ({runs} per command and system, interleaved; machine shared: medians and ratios)")
    columns = ("wall p50", "wall p95", "CPU p50", "RSS p50", "RSS max")
    print(f"{'system':<10} {'command':<15} " + " ".join(f"{c:>9}" for c in columns))
    summary: dict = {}
    for command in commands(Path(".")):
        for name in systems:
            rows = found.get((name, command), [])
            if not rows:
                print(f"{name:<10} {command:<15} {'failed':>9}")
                continue
            walls = [w for w, _, _ in rows]
            rss = [r for _, r, _ in rows]
            cpu = statistics.median(c for _, _, c in rows)
            summary[(name, command)] = (statistics.median(walls), percentile(walls, 95), statistics.median(rss), cpu)
            print(
                f"{name:<10} {command:<15} {statistics.median(walls):8.3f}s {percentile(walls, 95):8.3f}s "
                f"{cpu:8.3f}s {statistics.median(rss):7.0f}MB {max(rss):7.0f}MB"
            )
    names = list(systems)
    if len(names) > 1:
        print(f"\nratios {names[0]} / {names[1]} (median wall, median CPU, median RSS)")
        for command in commands(Path(".")):
            a, b = summary.get((names[0], command)), summary.get((names[1], command))
            if a and b:
                print(f"  {command:<15} wall {a[0] / b[0]:5.2f}x   CPU {a[3] / b[3]:5.2f}x   RSS {a[2] / b[2]:5.2f}x")
    ours = names[0]
    search, stats = summary.get((ours, "search")), summary.get((ours, "stats"))
    if search and stats:
        print(f"\ntargets ({ours}): search p95 {search[1]:.3f} s (<= {TARGET_SEARCH_S}), "
              f"peak RSS p50 {search[2]:.0f} MB (<= {TARGET_SEARCH_MB:.0f}), "
              f"stats p95 {stats[1]:.3f} s (<= {TARGET_STATS_S})")


def import_profile(exe: Path, data_dir: Path, top: int = 15) -> None:
    """The slowest imports (cumulative) of one ``search`` run, from ``python -X importtime``."""
    python = exe.parent / "python"
    code = "import sys; from web.cli import main; sys.argv = ['migsearch'] + sys.argv[1:]; main()"
    done = subprocess.run(
        [str(python), "-X", "importtime", "-c", code, "--data-dir", str(data_dir), "search", QUERIES[0]],
        capture_output=True, text=True, check=False,
    )
    rows = []
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            parts = [part.strip() for part in line.replace("import time:", "").split("|")]
            if len(parts) == 3 and parts[1].isdigit():
                self_us, cumulative, name = parts
                rows.append((int(cumulative), int(self_us), name))
    total = sum(self_us for _, self_us, _ in rows)
    print(f"\nimports of one search ({exe}): {total / 1e6:.3f} s in all; slowest (cumulative):")
    for cumulative, self_us, name in sorted(rows, reverse=True)[:top]:
        print(f"  {cumulative / 1e3:8.1f} ms  (self {self_us / 1e3:6.1f} ms)  {name}")


def build_data_dir(data_dir: Path, docs: int) -> None:
    """Ingest the first ``docs`` trove documents into ``data_dir`` (skipped when it holds an index)."""
    if (data_dir / "index").exists():
        return
    if not CORPUS.exists():
        sys.exit(f"{CORPUS} is absent: the trove corpus is only on the developers' machines")
    data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subset = Path(tmp) / "trove.jsonl.gz"
        with gzip.open(CORPUS, "rb") as src, gzip.open(subset, "wb") as out:
            out.writelines(itertools.islice(src, docs))
        args = [str(OURS), "--data-dir", str(data_dir), "ingest", str(subset), "--quiet"]
        for item in MAPPING:
            args += ["--map", item]
        subprocess.run(args, check=False)


def main(argv: list[str] | None = None) -> None:
    """Measure, interleaved, and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, help="an ingested data directory (default: build one)")
    parser.add_argument("--docs", type=int, default=10000, help="trove documents when building a data directory")
    parser.add_argument("--runs", type=int, default=15, help="runs per command and system")
    parser.add_argument("--migsearch", type=Path, default=OURS, help="the executable measured")
    parser.add_argument("--compare", type=Path, help="a second migsearch executable, measured interleaved")
    parser.add_argument("--importtime", action="store_true", help="also print the slowest imports of a search")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    tmp = None
    data_dir = args.data_dir
    if data_dir is None:
        tmp = Path(tempfile.mkdtemp(prefix="migsearch-bench-cli-"))
        data_dir = tmp / "data"
        build_data_dir(data_dir, args.docs)
    systems = {"this": args.migsearch}
    if args.compare:
        systems["compared"] = args.compare
    try:
        print(f"data directory {data_dir}; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")
        found = measure(systems, data_dir, args.runs)
        print_table(systems, found, args.runs)
        if args.importtime:
            for exe in systems.values():
                import_profile(exe, data_dir)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
