"""The OpenSearch index settings and mapping, generated from the one schema (``index.schema``).

Every field of the Whoosh schema becomes a field here with the same name, so the query language, the
filters and the facets name the same fields on both engines. The analyzers are OpenSearch's own parts
composed to give the same terms as the schema's analyzers, so a word matches the same documents on both
engines and totals and facet counts agree:

- the tokenizer is a ``pattern`` tokenizer with the schema's ``TOKEN_PATTERN``;
- English stop words are removed by a character filter before tokenizing, because Lucene's stop filter
  leaves a hole in the positions where Whoosh's renumbers (``"children in detention"`` is a phrase of
  two adjacent words on both engines this way);
- accents are folded by a mapping character filter built from Whoosh's ``accent_map`` (not for Russian,
  where it would turn й into и, as in the schema);
- stems come from the same Snowball stemmers (English is Porter2 in both).

Name fields (speaker, org, country) are tokenized, lowercased and folded; facet fields are keywords;
``said`` holds one value per quote with a position gap between values, as the schema's quote separator
does. Titles have a ``words`` sub-field without stemming for "did you mean" and completions.
Bump ``MAPPING_VERSION`` when this changes: an index of an older version asks for ``reindex --full``.
"""

from __future__ import annotations

import re
import time

from whoosh import fields as wfields
from whoosh.analysis import STOP_WORDS
from whoosh.support.charset import accent_map

from index.engine.schema import (
    DEFAULT_LANGUAGE,
    QUOTE_GAP,
    STEMMED_LANGUAGES,
    TOKEN_PATTERN,
    build_schema,
    field_suffix,
)

MAPPING_VERSION = 1

SNOWBALL = {"en": "English", "ru": "Russian", "fr": "French", "es": "Spanish", "de": "German"}
NAME_FIELDS = ("speaker", "org", "country")
SPELL_PREFIX = "spell_"


def _stop_pattern() -> str:
    """A regex matching an English stop word only where it is a whole token of ``TOKEN_PATTERN``."""
    words = "|".join(sorted(map(re.escape, STOP_WORDS), key=len, reverse=True))
    return rf"(?iU)(?<![\w.'’])(?<!\w[.'’])(?:{words})(?![\w])(?![.'’]\w)"


def _fold_rules() -> list[str]:
    """``accent_map`` (non-ASCII characters) as mapping rules: "\\u00e9 => e"."""
    return [f"\\u{code:04x} => {value}" for code, value in sorted(accent_map.items()) if code > 127 and value]


def analysis() -> dict:
    """Char filters, tokenizer, filters and analyzers for every language of the schema."""
    analyzers: dict[str, dict] = {
        "name": {"type": "custom", "char_filter": ["fold"], "tokenizer": "words", "filter": ["lowercase"]},
    }
    filters: dict[str, dict] = {}
    for language in STEMMED_LANGUAGES:
        char_filters = (["stop_en"] if language == "en" else []) + ([] if language == "ru" else ["fold"])
        filters[f"stem_{language}"] = {"type": "snowball", "language": SNOWBALL[language]}
        analyzers[f"text_{language}"] = {
            "type": "custom",
            "char_filter": char_filters,
            "tokenizer": "words",
            "filter": ["lowercase", f"stem_{language}"],
        }
        analyzers[f"words_{language}"] = {
            "type": "custom",
            "char_filter": char_filters,
            "tokenizer": "words",
            "filter": ["lowercase"],
        }
    return {
        "char_filter": {
            "stop_en": {"type": "pattern_replace", "pattern": _stop_pattern(), "replacement": ""},
            "fold": {"type": "mapping", "mappings": _fold_rules()},
        },
        "tokenizer": {"words": {"type": "pattern", "pattern": "(?U)" + TOKEN_PATTERN, "group": 0}},
        "filter": filters,
        "analyzer": analyzers,
    }


def language_of_field(name: str) -> str:
    """The language of a per-language text field (``body_ru`` -> ``ru``; ``body`` -> the default)."""
    for language in STEMMED_LANGUAGES:
        suffix = field_suffix(language)
        if suffix and name.endswith(suffix):
            return language
    return DEFAULT_LANGUAGE


def properties() -> dict:
    """The mapping's properties, one per schema field (spelling fields become ``title*.words``)."""
    props: dict[str, dict] = {}
    for name, field in build_schema().items():
        if name.startswith(SPELL_PREFIX):
            continue
        if isinstance(field, wfields.DATETIME):
            props[name] = {"type": "date", "format": "strict_date_optional_time"}
        elif isinstance(field, (wfields.ID, wfields.KEYWORD)):
            props[name] = {"type": "keyword"}
        elif isinstance(field, wfields.TEXT):
            if name in NAME_FIELDS:
                props[name] = {"type": "text", "analyzer": "name"}
                continue
            language = language_of_field(name)
            props[name] = {"type": "text", "analyzer": f"text_{language}"}
            if name.startswith("said"):
                props[name]["position_increment_gap"] = QUOTE_GAP
            if name.startswith("title"):
                props[name]["fields"] = {
                    "words": {"type": "text", "analyzer": f"words_{language}", "fielddata": True}
                }
        else:
            raise TypeError(f"schema field {name} of type {type(field).__name__} has no OpenSearch mapping")
    return props


def index_body(shards: int = 1, replicas: int = 1) -> dict:
    """The body that creates an index: settings with the analysis, the versioned mapping."""
    return {
        "settings": {
            "index": {"number_of_shards": shards, "number_of_replicas": replicas, "refresh_interval": "-1"},
            "analysis": analysis(),
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": {"mapping_version": MAPPING_VERSION, "created_by": "migsearch", "commit": time.time()},
            "properties": properties(),
        },
    }
