"""Extraction benchmark: milliseconds per release spent in ``index.extraction.extract`` alone.

Releases are normalized (and their language detected) once, outside the timing, as ingest does before
extracting; then each corpus sample is extracted ``--rounds`` times and the CPU time per release is
printed (median and first round; later rounds find the extractor's per-text caches warm, as a long
ingest does). Samples: trove releases spread evenly over the corpus, the first Russian news items and
the first UN General Debate speeches from ../shared/data. A corpus that is not there is skipped with a
note. CPU time, not wall time, is measured because the machine is shared; compare versions by running
them one after the other (interleaved) and quote medians. Usage::

    .venv/bin/python benchmarks/bench_extraction.py --trove 1427 --ru 300 --un 100 --rounds 3
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Appended, not put first, as in the other benchmark scripts: PYTHONPATH can point at another checkout to time
# its extractor with this script.
sys.path.append(str(ROOT))

from index.extraction import extract  # noqa: E402
from index.inputs.records import normalize_record, parse_mapping  # noqa: E402
from index.normalize.language import detect_language  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
TROVE = DATA / "trove-refugee-releases" / "docs.jsonl.gz"
RUSSIAN = DATA / "ru-migration-news" / "docs.jsonl.gz"
UN = DATA / "un-general-debate" / "speeches_2015_2024.jsonl.gz"
TROVE_MAPPING = ["body=text", "date=date", "id=id", "url=trove_url", "source=contributor_slug"]

Release = tuple[str, str, str, dict]


def _normalized(lines: list[bytes], mapping: dict[str, str] | None) -> list[Release]:
    releases = []
    for line in lines:
        record = normalize_record(json.loads(line), mapping)
        language = detect_language(f"{record.title}\n{record.body}", hint=record.language)
        releases.append((record.title, record.body, language, dict(record.metadata)))
    return releases


def _spread(path: Path, count: int) -> list[bytes]:
    """``count`` lines spread evenly over a gzipped JSON-lines file."""
    with gzip.open(path) as handle:
        lines = handle.readlines()
    step = max(1, len(lines) // max(1, count))
    return lines[::step][:count]


def _first(path: Path, count: int) -> list[bytes]:
    with gzip.open(path) as handle:
        return list(islice(handle, count))


def _time(releases: list[Release]) -> float:
    """CPU seconds to extract every release once."""
    start = time.process_time()
    for title, body, language, metadata in releases:
        extract(title, body, language=language, metadata=metadata)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trove", type=int, default=1427, help="trove releases, spread over the corpus")
    parser.add_argument("--ru", type=int, default=300, help="first Russian news items")
    parser.add_argument("--un", type=int, default=100, help="first UN General Debate speeches")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    corpora: dict[str, list[Release]] = {}
    for name, path, count, read, mapping in (
            ("trove", TROVE, args.trove, _spread, parse_mapping(TROVE_MAPPING)),
            ("ru-news", RUSSIAN, args.ru, _first, None),
            ("un-debate", UN, args.un, _first, None)):
        if count <= 0:
            continue
        if not path.exists():
            print(f"{name}: skipped ({path} not found)")
            continue
        corpora[name] = _normalized(read(path, count), mapping)
    if not corpora:
        print("no corpus found under ../shared/data: nothing measured")
        return
    extract("Warm-up", "The Minister for Immigration, Jane Example, said in Canberra today.")  # imports, tables

    timings: dict[str, list[float]] = {name: [] for name in corpora}
    for _ in range(args.rounds):
        for name, releases in corpora.items():  # corpora interleaved round by round
            timings[name].append(_time(releases))
    print(f"extract() CPU time per release, {args.rounds} rounds (machine shared: compare medians)")
    print(f"{'corpus':<10} {'releases':>8} {'median ms':>10} {'first ms':>9} {'all rounds s':>14}")
    for name, seconds in timings.items():
        count = len(corpora[name])
        print(f"{name:<10} {count:>8} {1000 * statistics.median(seconds) / count:>10.2f} "
              f"{1000 * seconds[0] / count:>9.2f} {' '.join(f'{s:.2f}' for s in seconds):>14}")
    total = sum(len(releases) for releases in corpora.values())
    print(f"{'all':<10} {total:>8} {1000 * sum(statistics.median(s) for s in timings.values()) / total:>10.2f}")


if __name__ == "__main__":
    main()
