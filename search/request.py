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
# ``date:`` clauses in the query text: a value, a comparison (``date:>2019``) or a range in brackets.
_DATE_CLAUSE_RE = re.compile(r"(?<![\w:])date:\s*(\[[^\]]*\]?|\{[^}]*\}?|[<>]=?\s*\S+|\S+)", re.I)
_RANGE_WORDS_RE = re.compile(r"\s*\bto\b\s*", re.I)
# ISO 639-1 codes: ``lang=`` must be one of them.
ISO_639_1 = frozenset(
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz "
    "ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik "
    "io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml "
    "mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd "
    "se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi "
    "vo wa wo xh yi yo za zh zu".split()
)


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


def check_date_clauses(text: str) -> None:
    """Raise ``QueryError`` for a ``date:`` clause in the query text whose value is not a date
    (``date:>notadate`` would otherwise match nothing without a word of explanation)."""
    for match in _DATE_CLAUSE_RE.finditer(text):
        clause = match.group(1).strip()
        value = clause.lstrip("<>=").strip().strip('"')
        parts = _RANGE_WORDS_RE.split(value.strip("[]{}")) if clause[:1] in "[{" else [value]
        for part in parts:
            part = part.strip()
            if part and not _DATE_RE.match(part):
                raise QueryError(
                    f"'date:{clause[:40]}' is not a date: write date:2020, date:2019-06, date:>2019-06-30 "
                    "or date:[2001 TO 2010]"
                )


def check_language(value: str) -> str:
    """``lang`` as a lower-case ISO 639-1 code, or ``QueryError``."""
    code = value.strip().lower()
    if code and code not in ISO_639_1:
        raise QueryError(f"'lang' must be an ISO 639-1 language code such as en, ru or fr, not {value[:40]!r}")
    return code


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
    filters["lang"] = check_language(filters["lang"])
    query = _text("q", args.get("q"), MAX_QUERY_CHARS)
    check_date_clauses(query)
    return SearchRequest(
        q=query,
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        page=_parse_int("page", args.get("page"), 1, 1, MAX_PAGE),
        per_page=_parse_int("per_page", args.get("per_page"), DEFAULT_PER_PAGE, 1, MAX_PER_PAGE),
        **filters,
    )
