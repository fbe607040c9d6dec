"""The one normalization entry point: route a raw input to the right normalizer (HTML, with the site's
selectors when it has some; text; record) and turn the result into a ``Document``."""

from __future__ import annotations

import json
import logging
from dataclasses import replace

from index.document import Document, Normalized, Speaker, make_doc_id
from index.extraction import extract
from index.inputs.raw import RawInput
from index.normalize.encoding import looks_binary
from index.normalize.language import detect_language

LOGGER = logging.getLogger(__name__)

MIN_BODY_CHARS = 20


class RejectedInput(ValueError):
    """An input that cannot become a document; the message is the reason reported to the user."""


def sniff_kind(data: bytes) -> str:
    """html or text, from the first bytes of an input of unknown kind."""
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head or b"<div" in head:
        return "html"
    return "text"


def normalize_input(item: RawInput, mapping: dict | None = None) -> Normalized:
    """Normalize one raw input by its kind; raises ``RejectedInput`` with a reason."""
    kind = item.kind
    if kind == "record":
        from index.inputs.records import normalize_record

        if item.record is None:
            raise RejectedInput("record input without a record")
        return normalize_record(item.record, mapping)
    if not item.data.strip():
        raise RejectedInput("empty input")
    if looks_binary(item.data):
        raise RejectedInput("binary content (not an HTML or text release)")
    if kind == "auto":
        kind = sniff_kind(item.data)
    if kind == "html":
        if item.selectors:
            from index.normalize.selectors import Selectors, normalize_with_selectors

            return normalize_with_selectors(item.data, item.url, item.headers, Selectors.from_dict(item.selectors))
        from index.normalize.html import normalize_html

        charset = _charset(item.headers)
        return normalize_html(item.data, url=item.url, declared_charset=charset)
    from index.normalize.text import normalize_text

    return normalize_text(item.data, url=item.url)


def _charset(headers) -> str | None:
    content_type = {k.lower(): v for k, v in (headers or {}).items()}.get("content-type", "")
    for part in content_type.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ")
    return None


def build_document(
    item: RawInput, normalized: Normalized, *, mapping: dict | None = None, extra: dict | None = None
) -> Document:
    """Detect the language, run extraction and assemble the ``Document`` of one input."""
    extra = extra or {}
    metadata = dict(normalized.metadata)
    title = (normalized.title or "").strip()
    body = (normalized.body or "").strip()
    if len(body) < MIN_BODY_CHARS and len(title) < MIN_BODY_CHARS:
        if item.kind == "record" and item.record is not None:
            from index.inputs.records import missing_mapped_fields

            absent = missing_mapped_fields(item.record, mapping)
            if absent:
                raise RejectedInput(f"no text found: the record has no value for --map {', '.join(absent)}")
        raise RejectedInput("no text found")
    if not title:
        title = body.split("\n", 1)[0][:200]
    source = str(metadata.get("source") or item.source or "unknown")
    locator = str(metadata["id"]) if metadata.get("id") else (normalized.url or item.url or item.locator)
    language = extra.get("language") or detect_language(f"{title}\n{body}", hint=normalized.language)
    extraction = extract(title, body, language=language, metadata=metadata)
    organisations = _merge(extraction.organisations, extra.get("organisations", []))
    countries = _merge(extraction.countries, extra.get("countries", []))
    raw_meta = {"kind": item.kind, "locator": item.locator, "source": item.source, "url": item.url}
    if item.kind == "record" and mapping:
        raw_meta["mapping"] = mapping
    if item.selectors:
        raw_meta["selectors"] = dict(item.selectors)
    if item.headers:
        raw_meta["headers"] = {k: v for k, v in item.headers.items() if k.lower() == "content-type"}
    if extra:
        raw_meta["extra"] = extra
    if metadata.get("date_precision"):
        raw_meta["date_precision"] = metadata["date_precision"]  # "year": the date is 1 January of it
    return Document(
        id=make_doc_id(source, locator),
        source=source,
        title=title,
        body=body,
        url=normalized.url or item.url,
        date=normalized.date,
        language=language,
        speakers=[Speaker(s.name, s.role) for s in extraction.speakers],
        events=list(extraction.events),
        organisations=organisations,
        countries=countries,
        quotes=list(extraction.quotes),
        mentions=list(extraction.mentions),
        raw=item.data,
        raw_kind=item.kind,
        raw_meta=raw_meta,
    )


def _merge(first: list[str], second: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for value in [*first, *second]:
        seen.setdefault(value.casefold(), value)
    return list(seen.values())


def process(
    item: RawInput,
    *,
    mapping: dict | None = None,
    normalized: Normalized | None = None,
    extra: dict | None = None,
) -> Document:
    """Normalize (unless ``normalized`` is given) and build the document; raises ``RejectedInput``."""
    if normalized is None:
        normalized = normalize_input(item, mapping)
    elif item.url and not normalized.url:
        normalized = replace(normalized, url=item.url)
    return build_document(item, normalized, mapping=mapping, extra=extra)


def raw_input_from_document(doc: Document) -> RawInput:
    """Rebuild the ``RawInput`` a stored document came from, so it can be normalized again."""
    meta = doc.raw_meta
    record = None
    if doc.raw_kind == "record":
        record = json.loads(doc.raw)
    return RawInput(
        locator=meta.get("locator") or doc.id,
        data=doc.raw,
        kind=doc.raw_kind,
        source=meta.get("source") or doc.source,
        url=meta.get("url"),
        headers=meta.get("headers") or {},
        record=record,
        selectors=meta.get("selectors"),
    )
