"""The one Whoosh schema, with its analyzers composed visibly.

Field names are the words users type: ``speaker:``, ``event:``, ``country:``, ``org:``, ``quote:``.
``said`` holds each quote after its speaker's marked name: ``quote:X`` searches it, and ``quote:X
speaker:"Y"`` finds X inside a quote by Y (quote text is indexed once, not in a second field).
Text fields exist once per analysed language (``body`` for English and unknown languages,
``body_ru`` for Russian...), so each language gets its own stemmer; the query builder searches the
language fields that hold documents. Large text (the body) is indexed but not stored: the store
has it, and snippets are cut from the store's copy. Only titles keep an unstemmed spelling field
(for "did you mean"): one for bodies doubled the cost of indexing.
"""

from __future__ import annotations

import functools

from whoosh import fields
from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.support.charset import accent_map

from index.engine.accel.analysis import CompactPositions, TextAnalyzer
from index.engine.russian import russian_stem
from index.engine.snowball import english_stem, french_stem, german_stem, spanish_stem
from index.facets import FACET_FIELDS
from index.text import TOKEN_PATTERN

# Languages with their own stemmed fields; anything else is indexed in the default fields.
DEFAULT_LANGUAGE = "en"
STEMMED_LANGUAGES = ("en", "ru", "fr", "es", "de")



#: In the ``said`` field each quote is "speaker key + quote text"; quotes are joined by this marker, and
#: each starts QUOTE_GAP positions after the previous one, so a span never runs from one quote into the next.
QUOTE_SEPARATOR = "9090909090909090909"  # digits: no filter changes it (a stop filter renumbers positions)
QUOTE_GAP = 10000
#: Speaker names in the ``said`` field are marked so that ``quote:bowen`` finds quotes, not Bowen's name.
SPEAKER_MARK = "spk_"


def said_speaker_words(person_key: str) -> str:
    """A speaker's canonical key as marked words of the ``said`` field ("chris bowen" -> "spk_chris spk_bowen")."""
    return " ".join(SPEAKER_MARK + word for word in person_key.split())


class QuoteGapFilter(Filter):
    """Drop the quote separator and move the tokens after it QUOTE_GAP positions on."""

    separator = QUOTE_SEPARATOR
    gap = QUOTE_GAP

    def __call__(self, tokens):
        offset = 0
        for token in tokens:
            if token.text == QUOTE_SEPARATOR:
                offset += QUOTE_GAP
                continue
            if offset and token.positions:
                token.pos += offset
            yield token


#: The stemmer of each stemmed language: Snowball's own (``index.engine.snowball``), Russian with two more
#: rules (``index.engine.russian``). Module-level functions, so a Whoosh index's pickled schema names them.
STEMMERS = {"en": english_stem, "ru": russian_stem, "fr": french_stem, "es": spanish_stem, "de": german_stem}


def text_analyzer(language: str = DEFAULT_LANGUAGE, *, quotes: bool = False):
    """Tokenize, lowercase, drop stop words, fold accents and stem for ``language``; with ``quotes``,
    separated quotes are kept QUOTE_GAP positions apart (the ``said`` field)."""
    chain = RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter()
    if language == "en":
        chain = chain | StopFilter(minsize=1)
    if language != "ru":  # accent folding would turn Russian й into и
        chain = chain | CharsetFilter(accent_map)
    stem = STEMMERS.get(language)
    if stem is not None:
        chain = chain | StemFilter(stemfn=stem, lang=None, cachesize=50000)
    if quotes:
        chain = chain | QuoteGapFilter()
    return TextAnalyzer(chain)


def name_analyzer():
    """Names: tokenize, lowercase and fold accents (so Vüsal Hüseynov matches Vusal Huseynov)."""
    return TextAnalyzer(RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map))


def text_field(analyzer, *, field_boost: float = 1.0, spelling: bool = False) -> fields.TEXT:
    """A positional text field whose postings are computed by the analyzer's fused indexing path."""
    field = fields.TEXT(analyzer=analyzer, field_boost=field_boost, spelling=spelling)
    field.format = CompactPositions(field_boost=field_boost)
    return field


def field_suffix(language: str) -> str:
    """The suffix of the text fields a document in ``language`` is indexed into."""
    return "" if language not in STEMMED_LANGUAGES or language == DEFAULT_LANGUAGE else f"_{language}"


def text_fields(base: str) -> list[str]:
    """All language variants of a text field, e.g. ``body``, ``body_ru``..."""
    return [base + field_suffix(lang) for lang in STEMMED_LANGUAGES]


# Facet fields hold the display value exactly (one term per value); text fields make names searchable.
FACETS = FACET_FIELDS


def build_schema() -> fields.Schema:
    """The index schema: ids and facets exact, text analysed per language, date sortable."""
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        url=fields.ID(),
        source=fields.ID(),
        language=fields.ID(),
        date=fields.DATETIME(sortable=True),
        year=fields.ID(),
        month=fields.ID(),
        dupkey=fields.ID(sortable=True),
        speaker=text_field(name_analyzer(), field_boost=2.0),
        speaker_facet=fields.KEYWORD(commas=True, lowercase=False, scorable=False),
        speaker_key=fields.KEYWORD(commas=True, lowercase=True, scorable=False),
        lead_speaker=fields.ID(),  # key of the first speaker: the issuer when the release names one
        mentions=text_field(name_analyzer()),  # people named but not speaking: ``mentions:``, not ``speaker:``
        mentions_facet=fields.KEYWORD(commas=True, lowercase=False, scorable=False),
        event=text_field(text_analyzer("en"), field_boost=2.0),
        event_facet=fields.KEYWORD(commas=True, lowercase=False, scorable=False),
        event_key=fields.KEYWORD(commas=True, lowercase=True, scorable=False),
        org=text_field(name_analyzer()),
        org_facet=fields.KEYWORD(commas=True, lowercase=False, scorable=False),
        country=text_field(name_analyzer()),
        country_facet=fields.KEYWORD(commas=True, lowercase=False, scorable=False),
    )
    for language in STEMMED_LANGUAGES:
        suffix = field_suffix(language)
        analyzer = text_analyzer(language)
        schema.add("title" + suffix, text_field(analyzer, field_boost=3.0, spelling=True))
        schema.add("body" + suffix, text_field(analyzer))
        schema.add("said" + suffix, text_field(text_analyzer(language, quotes=True)))
    return schema


@functools.cache
def schema_field_names() -> frozenset[str]:
    """The names of ``build_schema``'s fields (an index without some of them was built by an older version)."""
    return frozenset(build_schema().names())
