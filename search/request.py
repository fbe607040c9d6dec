"""Parse search parameters once into a frozen ``SearchRequest``, or raise ``QueryError``."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

from index.engine.contract import SORTS, QueryError
from index.facets import FILTERS

LOGGER = logging.getLogger(__name__)

MAX_QUERY_CHARS = 1000
MAX_FILTER_CHARS = 200
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 10
MAX_PAGE = 1000
PARAMETERS = ("q", *FILTERS, "from", "to", "sort", "page", "per_page")

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


@dataclass(frozen=True)
class SearchRequest:
    """One search: query text, filters, sort and page. Empty strings mean 'not set'."""

    q: str = ""
    speaker: str = ""
    event: str = ""
    country: str = ""
    org: str = ""
    source: str = ""
    lang: str = ""
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    def to_params(self) -> dict[str, str]:
        """The request as URL parameters (only the ones that are set), the inverse of parsing."""
        params: dict[str, str] = {}
        for key in ("q", *FILTERS):
            value = getattr(self, key)
            if value:
                params[key] = value
        if self.date_from:
            params["from"] = self.date_from.isoformat()
        if self.date_to:
            params["to"] = self.date_to.isoformat()
        if self.sort != "relevance":
            params["sort"] = self.sort
        if self.page != 1:
            params["page"] = str(self.page)
        if self.per_page != DEFAULT_PER_PAGE:
            params["per_page"] = str(self.per_page)
        return params

    def to_dict(self) -> dict:
        """A JSON-ready view of every field."""
        data = asdict(self)
        data["date_from"] = self.date_from.isoformat() if self.date_from else None
        data["date_to"] = self.date_to.isoformat() if self.date_to else None
        return data

    def with_changes(self, **changes: Any) -> SearchRequest:
        """A copy with some fields changed (page reset to 1 unless given)."""
        changes.setdefault("page", 1)
        return replace(self, **changes)

    @property
    def filters(self) -> dict[str, str]:
        """The active filters by name."""
        return {key: getattr(self, key) for key in FILTERS if getattr(self, key)}

    @property
    def is_empty(self) -> bool:
        """True when neither a query nor a filter nor a date range is given."""
        return not (self.q or self.filters or self.date_from or self.date_to)


def parse_date_param(name: str, value: str, *, end: bool = False) -> date | None:
    """Parse YYYY, YYYY-MM or YYYY-MM-DD; ``end`` picks the last day of a year or month."""
    value = value.strip()
    if not value:
        return None
    match = _DATE_RE.match(value)
    if not match:
        raise QueryError(f"'{name}' must be a date as YYYY, YYYY-MM or YYYY-MM-DD, not {value[:40]!r}")
    year, month, day = int(match.group(1)), match.group(2), match.group(3)
    if month is not None and not 1 <= int(month) <= 12:
        raise QueryError(f"'{name}' is not a real date: {value[:40]!r} has no month {int(month)}")
    try:
        if month is None:
            return date(year, 12, 31) if end else date(year, 1, 1)
        if day is None:
            month_i = int(month)
            if end:
                next_first = date(year + (month_i == 12), month_i % 12 + 1, 1)
                return date.fromordinal(next_first.toordinal() - 1)
            return date(year, month_i, 1)
        return date(year, int(month), int(day))
    except ValueError as exc:
        raise QueryError(f"'{name}' is not a real date: {value[:40]!r}") from exc


def _parse_int(name: str, value: str | None, default: int, low: int, high: int) -> int:
    if value is None or str(value).strip() == "":
        return default
    try:
        number = int(str(value).strip())
    except ValueError as exc:
        raise QueryError(f"'{name}' must be a whole number, not {str(value)[:40]!r}") from exc
    if not low <= number <= high:
        raise QueryError(f"'{name}' must be between {low} and {high}, not {number}")
    return number


def _text(name: str, value: str | None, limit: int) -> str:
    text = " ".join((value or "").split())
    if "\x00" in text:
        raise QueryError(f"'{name}' contains a NUL character")
    if len(text) > limit:
        raise QueryError(f"'{name}' is too long: {len(text)} characters, at most {limit}")
    return text


def parse_search_request(
    args: Mapping[str, str], *, strict: bool = False, ignore: tuple[str, ...] = ()
) -> SearchRequest:
    """Turn URL or CLI parameters into a ``SearchRequest``.

    With ``strict``, a parameter that is not known (and not in ``ignore``) is an error, so a typo
    such as ``speakr=`` is reported instead of silently ignored.
    """
    if strict:
        unknown = sorted(set(args) - set(PARAMETERS) - set(ignore))
        if unknown:
            raise QueryError(f"unknown parameter(s): {', '.join(unknown)}; known: {', '.join(PARAMETERS)}")
    sort = (args.get("sort") or "relevance").strip().lower()
    if sort not in SORTS:
        raise QueryError(f"'sort' must be one of {', '.join(SORTS)}, not {sort[:40]!r}")
    date_from = parse_date_param("from", args.get("from") or "")
    date_to = parse_date_param("to", args.get("to") or "", end=True)
    if date_from and date_to and date_from > date_to:
        raise QueryError("'from' must not be after 'to'")
    filters = {key: _text(key, args.get(key), MAX_FILTER_CHARS) for key in FILTERS}
    return SearchRequest(
        q=_text("q", args.get("q"), MAX_QUERY_CHARS),
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        page=_parse_int("page", args.get("page"), 1, 1, MAX_PAGE),
        per_page=_parse_int("per_page", args.get("per_page"), DEFAULT_PER_PAGE, 1, MAX_PER_PAGE),
        **filters,
    )
