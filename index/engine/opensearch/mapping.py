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
- stems come from the same Snowball algorithms (``index.engine.snowball``: the schema stems with
  Snowball's own generated Python, as Lucene's filters are generated); English typographic apostrophes
  are read as "'" first, and Russian stems then go through the two rules of ``index.engine.russian``
  (the fleeting vowel of ``-ец`` nouns, the ``-ов``/``-ев`` of surnames), all as ``pattern_replace``
  token filters.

Name fields (those the schema analyses with ``name_analyzer``: speaker, mentions, org, country) are
tokenized, lowercased and folded; facet fields are keywords;
``said`` holds one value per quote with a position gap between values, as the schema's quote separator
does. Titles have a ``words`` sub-field without stemming for "did you mean" and completions.
Bump ``MAPPING_VERSION`` when this changes: an index of an older version asks for ``reindex --full``.
"""

from __future__ import annotations

import re
import time

from whoosh import fields as wfields
from whoosh.analysis import STOP_WORDS, StemFilter, StopFilter
from whoosh.support.charset import accent_map

from index.engine.russian import FLEETING_MIN, POSSESSIVE_MIN
from index.engine.schema import (
    DEFAULT_LANGUAGE,
    QUOTE_GAP,
    STEMMED_LANGUAGES,
    TOKEN_PATTERN,
    build_schema,
    field_suffix,
)
from index.engine.snowball import APOSTROPHES

MAPPING_VERSION = 2  # 2: mentions as a name field, Snowball's own stemmers with the schema's rules

SNOWBALL = {"en": "English", "ru": "Russian", "fr": "French", "es": "Spanish", "de": "German"}
SPELL_PREFIX = "spell_"
#: True on documents whose duplicate key other documents share (set by the writer at each commit; never
#: cleared: a flag left on a group that lost members costs a little work, never a wrong count).
DUP_SHARED = "dupshared"
#: Before Snowball, per language: what ``index.engine.snowball`` does to a word before stemming it.
BEFORE_STEM: dict[str, dict[str, dict]] = {
    "en": {
        "en_apostrophes": {"type": "pattern_replace", "pattern": f"[{APOSTROPHES}]", "replacement": "'"},
        "en_leading_apostrophe": {"type": "pattern_replace", "pattern": "^'", "replacement": ""},
    },
}
#: After Snowball, per language: token filters that mirror the schema's own stem rules.
STEM_RULES: dict[str, dict[str, dict]] = {
    "ru": {
        # беженец -> беженц (as беженцы): a stem of FLEETING_MIN letters or more ending in -ец loses its е.
        "ru_fleeting": {"type": "pattern_replace", "pattern": f"^(.{{{FLEETING_MIN - 2},}})ец$",
                        "replacement": "$1ц"},
        # колокольцев -> колокольц (as Колокольцева): a stem of POSSESSIVE_MIN or more loses -ов/-ев.
        "ru_possessive": {"type": "pattern_replace", "pattern": f"^(.{{{POSSESSIVE_MIN - 2},}})[ое]в$",
                          "replacement": "$1"},
    },
}


def is_name_field(field: wfields.FieldType) -> bool:
    """A text field the schema analyses as names (no stop words, no stemming): ``name_analyzer``."""
    items = getattr(field.analyzer, "items", [])
    return isinstance(field, wfields.TEXT) and not any(isinstance(i, (StemFilter, StopFilter)) for i in items)


#: Python's ``\w`` in Java's words: letters, numbers (every category of each) and the underscore. Java's
#: Unicode ``\w`` also takes combining marks, so a decomposed "и\u0306" (й) would stay inside a word
#: that Python splits there.
PYTHON_WORD_CHAR = r"[\p{L}\p{N}_]"


def java_pattern(pattern: str) -> str:
    r"""A Python regex using ``\w`` as a Java regex matching the same characters."""
    return pattern.replace(r"\w", PYTHON_WORD_CHAR)


def _stop_pattern() -> str:
    """A regex matching an English stop word only where it is a whole token of ``TOKEN_PATTERN``."""
    words = "|".join(sorted(map(re.escape, STOP_WORDS), key=len, reverse=True))
    return java_pattern(rf"(?i)(?<!\w)(?<!\w[.'’])(?:{words})(?!\w)(?![.'’]\w)")


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
        before, rules = BEFORE_STEM.get(language, {}), STEM_RULES.get(language, {})
        filters.update(before)
        filters.update(rules)
        analyzers[f"text_{language}"] = {
            "type": "custom",
            "char_filter": char_filters,
            "tokenizer": "words",
            "filter": ["lowercase", *before, f"stem_{language}", *rules],
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
        "tokenizer": {"words": {"type": "pattern", "pattern": java_pattern(TOKEN_PATTERN), "group": 0}},
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
            if is_name_field(field):
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
    props[DUP_SHARED] = {"type": "boolean"}
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
