"""One document as its OpenSearch source: the same fields and values as the Whoosh engine indexes."""

from __future__ import annotations

from functools import cache

from whoosh import fields as wfields

from index.document import Document
from index.engine.indexer import document_fields
from index.engine.schema import build_schema, field_suffix, said_speaker_words
from index.extraction.names import canonical_person_key


@cache
def keyword_fields() -> dict[str, wfields.KEYWORD]:
    """The schema's KEYWORD fields (comma-separated values in Whoosh; arrays of its terms here)."""
    return {name: field for name, field in build_schema().items() if isinstance(field, wfields.KEYWORD)}


def document_source(doc: Document, dup_group: str) -> dict:
    """The ``_source`` of ``doc`` (its id is the OpenSearch ``_id`` too)."""
    fields = document_fields(doc, dup_group)
    keywords = keyword_fields()
    source: dict = {}
    for name, value in fields.items():
        if name in keywords:  # exactly the terms Whoosh indexes (split at commas, stripped, lowercased or not)
            source[name] = list(dict.fromkeys(keywords[name].process_text(value, mode="index")))
        elif name == "date":
            source[name] = value.date().isoformat()
        elif name.startswith("said"):
            continue
        else:
            source[name] = value
    if doc.quotes:
        # One value per quote: the mapping's position gap keeps a phrase from running into the next quote.
        source["said" + field_suffix(doc.language)] = [
            f"{said_speaker_words(canonical_person_key(q.speaker))} : {q.text}" for q in doc.quotes
        ]
    return source
