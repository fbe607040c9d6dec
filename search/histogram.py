"""The chart above the results: matching documents per year, or per month over short spans."""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence

from index.engine.contract import FacetCount

MONTHLY_SPAN_YEARS = 2


def histogram_bars(counts: Mapping[str, Sequence[FacetCount]]) -> list[dict]:
    """Bars (period, count, from, to) from the ``year`` and ``month`` facet counts of a match set (newest
    first, every value), oldest first: per year, or per month when the years span at most
    ``MONTHLY_SPAN_YEARS`` + 1."""
    years = counts.get("year", [])
    if not years:
        return []
    if int(years[0].value) - int(years[-1].value) <= MONTHLY_SPAN_YEARS:
        months = counts.get("month", [])
        return [period(fv.value, fv.count) for fv in reversed(months)]
    return [period(fv.value, fv.count) for fv in reversed(years)]


def period(value: str, count: int) -> dict:
    """One bar: a year ("2021") or a month ("2021-03") with its count and its first and last day."""
    if len(value) == 4:
        return {"period": value, "count": count, "from": f"{value}-01-01", "to": f"{value}-12-31"}
    year, month = int(value[:4]), int(value[5:7])
    last = calendar.monthrange(year, month)[1]
    return {"period": value, "count": count, "from": f"{value}-01", "to": f"{value}-{last:02d}"}
