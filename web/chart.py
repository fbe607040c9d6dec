"""A server-rendered SVG bar chart of matching documents per year or month; each bar narrows the dates."""

from __future__ import annotations

import calendar
import logging
import math
from collections.abc import Callable, Sequence
from datetime import date

from markupsafe import Markup, escape

LOGGER = logging.getLogger(__name__)

WIDTH = 720
HEIGHT = 150
TOP = 16
BOTTOM = 22
LEFT = 4
MAX_LABELS = 9
#: The narrow chart shown on phones: drawn at about its displayed size, so its labels stay legible.
NARROW_WIDTH = 360
NARROW_LABELS = 4
#: Fewer periods than this are padded with empty ones on both sides, so one month is no full-width bar.
MIN_PERIODS = 7


def _label(period: str) -> str:
    """'2021' stays; '2021-03' becomes 'Mar 2021'."""
    if len(period) == 7 and period[4] == "-":
        try:
            return date(int(period[:4]), int(period[5:]), 1).strftime("%b %Y")
        except ValueError:
            return period
    return period


def _parse(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _next_period(period: str) -> str:
    if len(period) == 4:
        return str(int(period) + 1)
    year, month = int(period[:4]), int(period[5:7])
    return f"{year + month // 12}-{month % 12 + 1:02d}"


def _bounds(period: str) -> tuple[str, str]:
    if len(period) == 4:
        return f"{period}-01-01", f"{period}-12-31"
    year, month = int(period[:4]), int(period[5:7])
    return f"{period}-01", f"{period}-{calendar.monthrange(year, month)[1]:02d}"


def fill_gaps(buckets: Sequence[dict], max_buckets: int = 400) -> list[dict]:
    """The buckets in order with empty years or months between them added, so time reads evenly."""
    ordered = sorted(buckets, key=lambda b: str(b["period"]))
    if len(ordered) < 2:
        return list(ordered)
    by_period = {str(b["period"]): b for b in ordered}
    period, last = str(ordered[0]["period"]), str(ordered[-1]["period"])
    filled: list[dict] = []
    try:
        while period <= last and len(filled) < max_buckets:
            lo, hi = _bounds(period)
            filled.append(by_period.get(period) or {"period": period, "count": 0, "from": lo, "to": hi})
            period = _next_period(period)
    except ValueError:  # an unexpected period format: draw what we were given
        return list(ordered)
    return filled if period > last else list(ordered)


def _previous_period(period: str) -> str:
    if len(period) == 4:
        return str(int(period) - 1)
    year, month = int(period[:4]), int(period[5:7])
    return f"{year - (month == 1)}-{(month - 2) % 12 + 1:02d}"


def pad_periods(buckets: list[dict], minimum: int = MIN_PERIODS) -> list[dict]:
    """``buckets`` (in order, gaps filled) with empty periods added before and after until there
    are ``minimum``, so a single month or year is drawn as one bar among its neighbours."""
    padded = list(buckets)
    try:
        while padded and len(padded) < minimum:
            before = _previous_period(str(padded[0]["period"]))
            lo, hi = _bounds(before)
            padded.insert(0, {"period": before, "count": 0, "from": lo, "to": hi})
            if len(padded) < minimum:
                after = _next_period(str(padded[-1]["period"]))
                lo, hi = _bounds(after)
                padded.append({"period": after, "count": 0, "from": lo, "to": hi})
    except ValueError:  # an unexpected period format: draw what we were given
        return list(buckets)
    return padded


def render_charts(
    buckets: Sequence[dict], bar_url: Callable[[date, date], str], *, unit: str = "documents"
) -> Markup:
    """The wide chart and the narrow one (for phones); the style sheet shows one of them."""
    wide = render_histogram(buckets, bar_url, unit=unit)
    if not wide:
        return wide
    narrow = render_histogram(
        buckets, bar_url, unit=unit, width=NARROW_WIDTH, max_labels=NARROW_LABELS, css_class="histogram narrow"
    )
    return Markup(str(wide).replace('class="histogram"', 'class="histogram wide"', 1) + str(narrow))


def render_histogram(
    buckets: Sequence[dict],
    bar_url: Callable[[date, date], str],
    *,
    unit: str = "documents",
    width: int = WIDTH,
    max_labels: int = MAX_LABELS,
    css_class: str = "histogram",
) -> Markup:
    """An accessible inline ``<svg>``: one linked bar per bucket (``period``, ``count``, ``from``, ``to``).

    ``bar_url(from, to)`` gives the URL that narrows the search to a bucket. Empty buckets are drawn
    as a baseline tick without a link. Every text is escaped. ``width`` is the drawing's width in
    its own units; drawn near the width it is shown at, its 11-unit labels read as 11 px.
    """
    buckets = fill_gaps([b for b in buckets if isinstance(b.get("count"), int) and b.get("period")])
    buckets = pad_periods(buckets)
    if not buckets:
        return Markup("")
    peak = max(b["count"] for b in buckets) or 1
    slot = (width - LEFT) / len(buckets)
    gap = min(2.0, slot * 0.15)
    plot_h = HEIGHT - TOP - BOTTOM
    label_every = max(1, math.ceil(len(buckets) / max_labels))
    monthly = len(str(buckets[0]["period"])) > 4
    title = f"Matching {unit} per {'month' if monthly else 'year'}"
    parts = [
        f'<svg class="{css_class}" viewBox="0 0 {width} {HEIGHT}" preserveAspectRatio="xMinYMid meet" '
        'xmlns="http://www.w3.org/2000/svg" '
        f'role="group" aria-label="{escape(title)}; select a bar to narrow the dates">',
        f'<text class="axis" x="{LEFT}" y="11">{escape(str(peak))}</text>',
        f'<line class="baseline" x1="{LEFT}" x2="{width}" y1="{TOP + plot_h}" y2="{TOP + plot_h}"/>',
    ]
    for index, bucket in enumerate(buckets):
        count = bucket["count"]
        label = _label(str(bucket["period"]))
        x = LEFT + index * slot
        height = max(1.0, plot_h * count / peak) if count else 0.0
        y = TOP + plot_h - height
        text = escape(f"{label}: {count} {unit if count != 1 else unit.rstrip('s')}")
        bar = (
            f'<rect class="hit" x="{x:.1f}" y="{TOP}" width="{slot:.1f}" height="{plot_h}"/>'
            f'<rect class="bar" x="{x + gap / 2:.1f}" y="{y:.1f}" width="{max(slot - gap, 1):.1f}" '
            f'height="{height:.1f}"/><title>{text}</title>'
        )
        lo, hi = (_parse(bucket.get("from")), _parse(bucket.get("to"))) if count else (None, None)
        if lo and hi:
            parts.append(f'<a href="{escape(bar_url(lo, hi))}" aria-label="{text}">{bar}</a>')
        else:
            parts.append(f"<g>{bar}</g>")
        if index % label_every == 0:
            anchor = "start" if index == 0 else "middle"
            tx = x if index == 0 else x + slot / 2
            parts.append(
                f'<text class="axis" x="{tx:.1f}" y="{HEIGHT - 6}" '
                f'text-anchor="{anchor}">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
