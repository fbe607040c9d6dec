"""Main-text extraction quality on the article-extraction-benchmark pages.

Prints the benchmark's own measure: 4-token shingle precision and recall per page (tp/fp/fn normalised
per page so every page weighs the same), averaged over pages, and F1 of the two averages. Runs our
``normalize_html`` and, when importable, trafilatura beside it.

    .venv/bin/python benchmarks/evaluate_main_text.py [--data ../shared/data/article-extraction-benchmark]
        [--limit N] [--worst K]
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

# Appended, not put first: PYTHONPATH can point at another checkout to score its code with this script.
sys.path.append(str(Path(__file__).resolve().parents[1]))

from index.normalize.html import normalize_html  # noqa: E402

LOGGER = logging.getLogger(__name__)
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "article-extraction-benchmark"
_TOKEN_RE = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter:
    """Counts of n-token shingles (the whole token list when shorter than n)."""
    tokens = _TOKEN_RE.findall(text or "")
    if len(tokens) < n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def page_scores(true: str, pred: str) -> tuple[float, float, float]:
    """Per-page (tp, fp, fn) over shingles, normalised to sum to 1."""
    t, p = shingles(true), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def summarize(rows: list[tuple[float, float, float]]) -> dict[str, float]:
    """Mean precision and recall over pages and the F1 of those means, as the benchmark computes."""

    def precision(tp: float, fp: float, fn: float) -> float:
        if fp == fn == 0:
            return 1.0
        return 0.0 if tp == fp == 0 else tp / (tp + fp)

    def recall(tp: float, fp: float, fn: float) -> float:
        if fp == fn == 0:
            return 1.0
        return 0.0 if tp == fn == 0 else tp / (tp + fn)

    p = statistics.mean(precision(*r) for r in rows if r[0] + r[1] > 0)
    r = statistics.mean(recall(*r) for r in rows if r[0] + r[2] > 0)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def _ours(html: bytes, url: str) -> str:
    return normalize_html(html, url=url).body


def _trafilatura() -> Callable[[bytes, str], str] | None:
    try:
        import trafilatura
    except ImportError:
        return None

    def run(html: bytes, url: str) -> str:
        return trafilatura.extract(html, url=url, favor_precision=False) or ""

    return run


def main(argv: list[str] | None = None) -> int:
    """Evaluate the extractors and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    parser.add_argument("--worst", type=int, default=0, help="list our K worst pages by F1")
    args = parser.parse_args(argv)
    truth_path = args.data / "ground-truth.json"
    if not truth_path.exists():
        print(f"no benchmark data at {args.data}", file=sys.stderr)
        return 1
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    ids = sorted(truth)[: args.limit or None]
    extractors: dict[str, Callable[[bytes, str], str]] = {"migsearch": _ours}
    other = _trafilatura()
    if other is not None:
        extractors["trafilatura"] = other
    rows: dict[str, list[tuple[float, float, float]]] = {name: [] for name in extractors}
    seconds: dict[str, float] = dict.fromkeys(extractors, 0.0)
    for page_id in ids:
        html = gzip.decompress((args.data / "html" / f"{page_id}.html.gz").read_bytes())
        url = truth[page_id].get("url", "")
        for name, extract in extractors.items():
            start = time.perf_counter()
            pred = extract(html, url)
            seconds[name] += time.perf_counter() - start
            rows[name].append(page_scores(truth[page_id].get("articleBody", ""), pred))
    print(f"{len(ids)} pages")
    for name in extractors:
        s = summarize(rows[name])
        print(
            f"{name:<12} precision={s['precision']:.3f} recall={s['recall']:.3f} F1={s['f1']:.3f} "
            f"time={seconds[name]:.1f}s"
        )
    if args.worst:
        scored = []
        for page_id, (tp, fp, fn) in zip(ids, rows["migsearch"], strict=True):
            f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            scored.append((f1, tp, fp, fn, page_id, truth[page_id].get("url", "")))
        for f1, tp, fp, fn, page_id, url in sorted(scored)[: args.worst]:
            print(f"{f1:.2f} tp={tp:.2f} fp={fp:.2f} fn={fn:.2f} {page_id[:12]} {url}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
