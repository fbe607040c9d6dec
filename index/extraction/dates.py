"""Dates stated in releases: one date string to a ``date``, and the release date near the top of a body.

English and Russian forms are handled by small regexes and a month table; python-dateutil is the
fallback for anything else. A date is only returned when day, month and year are all present and the
year is plausible (1900 to next year): a date is never invented.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from dateutil import parser as dateutil_parser

LOGGER = logging.getLogger(__name__)

MIN_YEAR = 1900

_EN_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
# Russian months: nominative, genitive, prepositional and abbreviated forms.
_RU_MONTH_FORMS = {
    "январь": 1, "января": 1, "январе": 1, "янв": 1,
    "февраль": 2, "февраля": 2, "феврале": 2, "фев": 2, "февр": 2,
    "март": 3, "марта": 3, "марте": 3, "мар": 3,
    "апрель": 4, "апреля": 4, "апреле": 4, "апр": 4,
    "май": 5, "мая": 5, "мае": 5,
    "июнь": 6, "июня": 6, "июне": 6, "июн": 6,
    "июль": 7, "июля": 7, "июле": 7, "июл": 7,
    "август": 8, "августа": 8, "августе": 8, "авг": 8,
    "сентябрь": 9, "сентября": 9, "сентябре": 9, "сен": 9, "сент": 9,
    "октябрь": 10, "октября": 10, "октябре": 10, "окт": 10,
    "ноябрь": 11, "ноября": 11, "ноябре": 11, "ноя": 11, "нояб": 11,
    "декабрь": 12, "декабря": 12, "декабре": 12, "дек": 12,
}

_EN_MONTH_RE = (
    r"(?P<{name}>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_RU_MONTH_RE = r"(?P<rmon>" + "|".join(sorted(_RU_MONTH_FORMS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<{name}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{name}>(?:19|20)\d\d)"

_PATTERNS = [
    # 2021-03-12, 2021-03-12T10:00:00Z, 2021/03/12
    ("ymd", r"(?<!\d)(?P<y>(?:19|20)\d\d)[-/.](?P<m>[01]?\d)[-/.](?P<d>[0-3]?\d)(?!\d)"),
    # 12 March 2021, 12th of March, 2021
    ("dmy_en", r"(?<![\w])" + _DAY.format(name="d") + r"\.?\s*(?:of\s+)?" + _EN_MONTH_RE.format(name="mon")
     + r",?\s+" + _YEAR.format(name="y") + r"(?!\d)"),
    # March 12, 2021 / Mar. 12 2021
    ("mdy_en", r"(?<![\w])" + _EN_MONTH_RE.format(name="mon") + r"\s+" + _DAY.format(name="d")
     + r",?\s+" + _YEAR.format(name="y") + r"(?!\d)"),
    # 16 октября 2024 (года)
    ("dmy_ru", r"(?<![\w])(?P<d>[0-3]?\d)\s+" + _RU_MONTH_RE + r"\s+(?P<y>(?:19|20)\d\d)(?!\d)"),
    # 12/03/2021, 12.03.2021, 12-03-2021 (day first); also RIA's "14:05 12.03.2021"
    ("dmy_num", r"(?<![\d.])(?P<d>[0-3]?\d)[./-](?P<m>[01]?\d)[./-](?P<y>(?:19|20)\d\d)(?!\d)"),
    # 03/25/2021 when the day-first reading is impossible
    ("mdy_num", r"(?<![\d.])(?P<m>[01]?\d)[/](?P<d>[0-3]?\d)[/](?P<y>(?:19|20)\d\d)(?!\d)"),
]
_COMPILED = [(kind, re.compile(rx, re.IGNORECASE)) for kind, rx in _PATTERNS]

_COMPACT_RE = re.compile(r"((?:19|20)\d\d)([01]\d)([0-3]\d)")
#: The year every pattern of ``_PATTERNS`` needs: a text without one states no date they read.
_YEAR_HINT_RE = re.compile(r"(?:19|20)\d\d")
_COPYRIGHT_RE = re.compile(r"©|\(c\)\s*\d|copyright|all rights reserved|&copy;", re.IGNORECASE)
_LABEL_RE = re.compile(
    r"^\s*(?:date|dated|released?|release date|published|publication date|issued|posted|updated|дата)"
    r"\s*(?:on)?\s*[:\-–—]?\s*(?P<rest>.+)$",
    re.IGNORECASE,
)


MAX_DATELINE = 80
TAIL_CHARS = 600
TAIL_LINES = 8
#: Lines whose dates are not the release's: web-print stamps, updates, access dates.
_NOT_RELEASE_RE = re.compile(r"https?://|www\.|last update|updated|printed|accessed|retrieved|page \d+ of",
                             re.IGNORECASE)
#: Words a dateline may hold beside the date and a place.
_DATELINE_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun no date for press "
    "release media embargoed until am pm hours ref".split()
)


def _max_year() -> int:
    return dt.date.today().year + 1


def _make(year: int, month: int, day: int) -> dt.date | None:
    if not MIN_YEAR <= year <= _max_year():
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _from_match(kind: str, match: re.Match[str]) -> dt.date | None:
    groups = match.groupdict()
    year = int(groups["y"])
    day = int(groups["d"])
    if kind in ("dmy_en", "mdy_en"):
        month = _EN_MONTHS[groups["mon"].lower()[:3]]
    elif kind == "dmy_ru":
        month = _RU_MONTH_FORMS[groups["rmon"].lower().rstrip(".")]
    else:
        month = int(groups["m"])
    return _make(year, month, day)


def _iter_dates(text: str) -> list[tuple[int, dt.date]]:
    """All plausible dates in ``text`` with their start offsets, earliest first."""
    found: dict[int, dt.date] = {}
    taken: list[tuple[int, int]] = []
    for kind, regex in _COMPILED:
        for match in regex.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            value = _from_match(kind, match)
            if value is not None:
                found[start] = value
                taken.append((start, end))
    return sorted(found.items())


_DEFAULT_A = dt.datetime(1904, 1, 1)
_DEFAULT_B = dt.datetime(1908, 2, 2)


def parse_date(text: str) -> dt.date | None:
    """Parse one date string (ISO, '12 March 2021', 'March 12, 2021', '12/03/2021' day-first,
    '14:05 12.03.2021', '16 октября 2024 года', with or without weekday); None if not a full date."""
    if not text:
        return None
    text = text.strip()[:200]
    compact = _COMPACT_RE.fullmatch(text)
    if compact:
        return _make(int(compact.group(1)), int(compact.group(2)), int(compact.group(3)))
    for kind, regex in _COMPILED:
        match = regex.search(text)
        if match:
            value = _from_match(kind, match)
            if value is not None:
                return value
    # Fallback: dateutil, accepted only when day, month and year were all given.
    try:
        first = dateutil_parser.parse(text, dayfirst=True, default=_DEFAULT_A)
        second = dateutil_parser.parse(text, dayfirst=True, default=_DEFAULT_B)
    except (ValueError, OverflowError, TypeError):
        return None
    if first.date() != second.date():
        return None
    return _make(first.year, first.month, first.day)


def _is_copyright(line: str) -> bool:
    return bool(_COPYRIGHT_RE.search(line))


def _dateline(line: str) -> dt.date | None:
    """The date of a line that is a dateline: a date with at most a place, a weekday or a reference
    beside it ("CANBERRA, 29 August 1975", "Bangkok, 6th October, 1979.", "No. 155/79 26 October 1979")."""
    if len(line) > MAX_DATELINE or _is_copyright(line) or _NOT_RELEASE_RE.search(line):
        return None
    dates = _iter_dates(line)
    if not dates:
        return None
    rest = line
    for _, regex in _COMPILED:
        rest = regex.sub(" ", rest)
    words = [w for w in re.findall(r"[^\W\d_]+", rest) if w.lower() not in _DATELINE_WORDS]
    if len(words) > 3 or any(not w[:1].isupper() for w in words):
        return None
    return dates[0][1]


def find_release_date(text: str, *, head_chars: int = 600) -> dt.date | None:
    """The date a release states: a labelled line ('Date: ...', 'Released ...') near the top, else a
    dateline near the top, else one in the sign-off at the end ("CANBERRA 17 October, 1985"), else the
    first date in the top lines. Copyright lines, web-print stamps and implausible years are ignored;
    None when the text states no date."""
    if not text or not _YEAR_HINT_RE.search(text):  # (short lines asked about while finding a headline)
        return None
    lines = text[: max(head_chars * 3, 2000)].splitlines()
    for line in lines:
        if _is_copyright(line):
            continue
        label = _LABEL_RE.match(line)
        if label:
            dates = _iter_dates(label.group("rest"))
            if dates:
                return dates[0][1]
    head_lines = text[:head_chars].splitlines()
    tail_lines = [line for line in text[-TAIL_CHARS:].splitlines() if line.strip()][-TAIL_LINES:]
    if len(text) <= head_chars:
        tail_lines = []
    for line in head_lines + tail_lines:
        value = _dateline(line.strip())
        if value:
            return value
    for line in head_lines:
        if _is_copyright(line) or _NOT_RELEASE_RE.search(line):
            continue
        dates = _iter_dates(line)
        if dates:
            return dates[0][1]
    return None
