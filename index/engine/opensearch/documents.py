"""One document as its OpenSearch source: the same fields and values as the Whoosh engine indexes."""

from __future__ import annotations

from index.document import Document
from index.engine.indexer import document_fields
from index.engine.schema import field_suffix, said_speaker_words
from index.extraction.names import canonical_person_key

# Whoosh KEYWORD fields hold comma-separated values; here they are arrays.
LIST_FIELDS = ("speaker_facet", "speaker_key", "event_facet", "event_key", "org_facet", "country_facet")


def document_source(doc: Document, dup_group: str) -> dict:
    """The ``_source`` of ``doc`` (its id is the OpenSearch ``_id`` too)."""
    fields = document_fields(doc, dup_group)
    source: dict = {}
    for name, value in fields.items():
        if name in LIST_FIELDS:
            values = [v.strip() for v in value.split(",") if v.strip()]
            source[name] = values if name not in ("speaker_key", "event_key") else [v.lower() for v in values]
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
