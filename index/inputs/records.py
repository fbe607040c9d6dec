"""JSON Lines records to ``Normalized`` through a field mapping (our field -> the record's field)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from pathlib import Path

from index.document import Normalized
from index.extraction.dates import find_release_date, parse_date
from index.normalize.text import clean_body, clean_whitespace, split_title

LOGGER = logging.getLogger(__name__)

TARGETS = ("title", "body", "date", "url", "id", "speaker", "role", "event", "country", "source")

# For each target, the record fields tried in order when no mapping is given.
DEFAULT_CANDIDATES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "name"),
    "body": ("text", "body", "content", "article", "articleBody"),
    "date": ("date", "published", "date_published", "datePublished", "published_at", "date_raw"),
    "url": ("url", "link", "trove_url", "href"),
    "id": ("id", "doc_id", "uid", "_id"),
    "speaker": ("speaker", "speakers", "author", "authors"),
    "role": ("post", "role", "position"),
    "event": ("event", "events", "meeting"),
    "country": ("country", "countries", "iso3"),
    "source": ("source", "publisher", "site"),
}
DEFAULT_MAPPING: dict[str, str] = {target: names[0] for target, names in DEFAULT_CANDIDATES.items()}


def parse_mapping(items: Iterable[str]) -> dict[str, str]:
    """``["title=headline", "body=text"]`` -> ``{"title": "headline", "body": "text"}``; unknown
    targets or malformed items raise ``ValueError`` naming the valid targets."""
    mapping: dict[str, str] = {}
    for item in items:
        target, sep, field_name = item.partition("=")
        target, field_name = target.strip(), field_name.strip()
        if not sep or not target or not field_name:
            raise ValueError(f"bad field mapping {item!r}: expected target=recordfield, e.g. title=headline")
        if target not in TARGETS:
            raise ValueError(
                f"unknown mapping target {target!r} in {item!r}; valid targets: {', '.join(TARGETS)}"
            )
        mapping[target] = field_name
    return mapping


def _record_files(args: list[str]) -> list[Path]:
    """The local JSON Lines / JSON files among ingest arguments (files, or folders holding them)."""
    from index.inputs.raw import RECORD_SUFFIXES

    def is_records(path: Path) -> bool:
        name = path.name.lower().removesuffix(".gz")
        return any(name.endswith(suffix) for suffix in RECORD_SUFFIXES)

    files: list[Path] = []
    for arg in args:
        path = Path(arg)
        if path.is_file() and is_records(path):
            files.append(path)
        elif path.is_dir():
            files.extend(p for p in sorted(path.rglob("*")) if p.is_file() and is_records(p))
    return files


def unknown_mapped_fields(args: list[str], mapping: dict[str, str]) -> list[tuple[str, str]]:
    """``(target, field)`` pairs of ``mapping`` whose field no record of the local record files has
    (a typo in ``--map``); empty when every mapped field occurs, or when there are no record files."""
    from index.inputs.raw import InputError, iter_records

    wanted = {field_name: target for target, field_name in mapping.items()}
    files = _record_files(args)
    if not files:
        return []
    seen: set[str] = set()
    for path in files:
        for item in iter_records(path, "check"):
            if isinstance(item, InputError) or item.record is None:
                continue
            seen.update(name for name in wanted if _present(item.record.get(name)))
            if len(seen) == len(wanted):
                return []
    return [(target, name) for name, target in wanted.items() if name not in seen]


def missing_mapped_fields(record: dict, mapping: dict[str, str] | None) -> list[str]:
    """``target=field`` of the mapped fields this record lacks (for a failure's reason)."""
    return [f"{target}={name}" for target, name in (mapping or {}).items() if not _present(record.get(name))]


def _present(value: object) -> bool:
    return value not in (None, "", [], {})


def _resolve(record: dict, mapping: dict[str, str], target: str) -> object:
    """The record's value for ``target``: the mapped field, else the first default name present."""
    if target in mapping:
        return record.get(mapping[target])
    for name in DEFAULT_CANDIDATES[target]:
        value = record.get(name)
        if _present(value):
            return value
    return None


def _as_list(value: object) -> list:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [item for item in value if _present(item)]
    return [value] if _present(value) else []


def _speakers(value: object, role: object) -> list[dict]:
    """Speakers as ``{"name", "role"}`` from a string, a list of strings or a list of dicts."""
    speakers = []
    roles = _as_list(role)
    for index, item in enumerate(_as_list(value)):
        if isinstance(item, dict):
            name = item.get("name") or item.get("speaker")
            item_role = item.get("role") or item.get("post")
        else:
            name = item
            item_role = roles[index] if index < len(roles) else (roles[0] if len(roles) == 1 else None)
        if not _present(name):
            continue
        role_text = str(item_role).strip() if _present(item_role) else None
        speakers.append({"name": clean_whitespace(str(name)), "role": role_text})
    return speakers


def record_year(value: object) -> int | None:
    """The year a date field holds when it holds only a year: 2015, "2015", 2015.0; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value):
        value = int(value)
    if isinstance(value, int) and 1000 <= value <= 2999:
        return value
    return None


def _to_str(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return "\n\n".join(str(item) for item in value if _present(item))
    return "" if value is None else str(value)


def normalize_record(record: dict, mapping: dict[str, str] | None = None) -> Normalized:
    """One record to ``Normalized``: title (or the body's first line when the record has none), the
    cleaned body, a parsed date (the date field, else the date the text states near its top), url, and
    metadata keys id / speakers / events / countries / source only when found. Language is left to the
    pipeline."""
    mapping = DEFAULT_MAPPING if mapping is None else mapping
    if mapping is DEFAULT_MAPPING:
        mapping = {}
    raw_body = _to_str(_resolve(record, mapping, "body"))
    title = clean_whitespace(_to_str(_resolve(record, mapping, "title"))).replace("\n", " ")
    speakers = _speakers(_resolve(record, mapping, "speaker"), _resolve(record, mapping, "role"))
    events = [clean_whitespace(str(e)) for e in _as_list(_resolve(record, mapping, "event"))]
    if not title and (speakers or events):
        # A speech record without a title: who spoke where says more than its first words.
        title = " — ".join(part for part in (", ".join(s["name"] for s in speakers), ", ".join(events)) if part)
    if title:
        body = clean_body(raw_body)
    else:
        title, rest = split_title(clean_whitespace(raw_body))
        body = clean_body(rest)

    raw_date = _resolve(record, mapping, "date")
    year = record_year(raw_date)
    if year is not None:  # a year alone ("--map date=year"): 1 January of that year, marked as a year
        release = dt.date(year, 1, 1)
    else:
        release = parse_date(str(raw_date)) if _present(raw_date) and not isinstance(raw_date, bool) else None
    if release is None:  # no usable date field: the date the text states, as for plain-text inputs
        release = find_release_date(f"{title}\n{body}")
    url = _resolve(record, mapping, "url")

    metadata: dict = {}
    record_id = _resolve(record, mapping, "id")
    if _present(record_id):
        metadata["id"] = str(record_id)
    if speakers:
        metadata["speakers"] = speakers
    if events:
        metadata["events"] = events
    countries = [str(c).strip() for c in _as_list(_resolve(record, mapping, "country"))]
    if countries:
        metadata["countries"] = countries
    source = _resolve(record, mapping, "source")
    if _present(source):
        metadata["source"] = str(source)
    if year is not None:
        metadata["date_precision"] = "year"
    return Normalized(
        title=title,
        body=body,
        date=release,
        language=None,
        url=str(url) if _present(url) else None,
        metadata=metadata,
    )
