"""Build Whoosh queries from a ``MatchRequest``: the query language, language fields and filters."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime, time

from whoosh import query as wq
from whoosh.analysis import STOP_WORDS
from whoosh.qparser import (
    AndGroup,
    FieldAliasPlugin,
    GtLtPlugin,
    MultifieldParser,
)
from whoosh.qparser.dateparse import DateParserPlugin
from whoosh.query.spans import SpanNear, SpanNear2

from index.engine.contract import MatchRequest, QueryError
from index.engine.query_cost import DEFAULT_MAX_TERMS, Deadline, Lexicons, check_expansion, simplify
from index.engine.schema import DEFAULT_LANGUAGE, QUOTE_GAP, STEMMED_LANGUAGES, field_suffix, said_speaker_words
from index.extraction.names import canonical_person_key

LOGGER = logging.getLogger(__name__)

# Unfielded words search these fields; the boosts make BM25F favour title, speaker and event.
# Organisations, countries and quotes are also in the body, so they are searched only when named
# (``org:``, ``country:``, ``quote:``): each extra field makes every query slower.
FIELD_BOOSTS = {
    "title": 3.0,
    "speaker": 2.5,
    "event": 2.0,
    "body": 1.0,
}
LANGUAGE_FIELDS = ("title", "body", "said")
ALIASES = {
    "org": ["organisation", "organization", "orgs"],
    "speaker": ["speakers", "by", "who"],
    "event": ["events", "meeting"],
    "country": ["countries"],
    "language": ["lang"],
    "said": ["quote", "quotes"],
}
_SYNTAX_RE = re.compile(r"[()\[\]{}<>:^~*?\"'=/\\]+")
_DATE_CLAUSE_RE = re.compile(r"(?<!\w)date\s*:", re.IGNORECASE)  # the one DATETIME field (no alias)


def language_fields(base: str, languages: tuple[str, ...]) -> list[str]:
    """The variants of ``base`` (title, body, said) for the languages present in the index."""
    suffixes = {field_suffix(lang) for lang in languages} or {""}
    return [base + suffix for suffix in sorted(suffixes)]


def present_languages(reader) -> tuple[str, ...]:
    """Languages whose text fields hold at least one document (always including the default)."""
    present = {"en"}
    names = set(reader.indexed_field_names())
    for language in STEMMED_LANGUAGES:
        if "body" + field_suffix(language) in names or "title" + field_suffix(language) in names:
            present.add(language)
    return tuple(sorted(present))


_PLAIN_TOKEN_RE = re.compile(r'"[^"]*"|\S+')
_OPERATORS = ("AND", "OR", "NOT")
LEAD_BONUS = 10.0


def drop_stop_words(text: str) -> str:
    """Leave out unquoted English stop words ("in", "the"...) that stand alone as query words.

    The text fields drop them anyway, but name fields keep every word, so a lone "in" would become a
    required clause on speakers and empty the results. Quoted phrases and field values stay whole;
    a query made only of stop words is kept as it is.
    """
    tokens = _PLAIN_TOKEN_RE.findall(text)
    kept = [t for t in tokens if t in _OPERATORS or t.startswith('"') or ":" in t or t.lower() not in STOP_WORDS]
    while kept and kept[-1] in _OPERATORS:
        kept.pop()
    while kept and kept[0] in ("AND", "OR"):
        kept.pop(0)
    return " ".join(kept) if kept else text


class QueryBuilder:
    """Parses user queries for one schema and the set of languages present in the index.

    A query is parsed once per language present, each parser reading the words with that language's
    analyzers (``title:`` means ``title_ru`` to the Russian parser), and the results are OR-ed.
    """

    def __init__(self, schema, languages: tuple[str, ...]) -> None:
        self.schema = schema
        self.languages = languages
        self._suffixes = sorted({field_suffix(lang) for lang in languages})
        self._parsers: dict[bool, list[tuple[MultifieldParser, wq.Query | None]]] = {}
        self._lexicons: Lexicons | None = None
        #: Speaker and event names exactly as the facets show them: a filter on one of these matches that
        #: value (and its canonical key) only, so the hits a facet link gives are the count it shows.
        #: ``is_known_value(facet, value)`` (the reader sets it: ``FacetIndex.has_value``).
        self.is_known_value: Callable[[str, str], bool] = lambda name, value: False

    def _language_scope(self, suffix: str) -> wq.Query | None:
        """Documents whose text is in this parser's fields (so NOT in one language cannot leak)."""
        if len(self.languages) <= 1:
            return None
        own = [
            lang for lang in STEMMED_LANGUAGES if field_suffix(lang) == suffix and lang != DEFAULT_LANGUAGE
        ]
        if own:
            return wq.Term("language", own[0])
        others = [wq.Term("language", lang) for lang in self.languages if field_suffix(lang)]
        return wq.Not(wq.Or(others)) if others else None

    def parsers(self, *, dates: bool) -> list[tuple[MultifieldParser, wq.Query | None]]:
        """One (parser, language scope) per language present; with ``dates``, parsers that read
        ``date:`` clauses too (Whoosh's date parser compiles dozens of patterns: built only once a
        query has such a clause, which keeps a one-off CLI search from paying for it)."""
        found = self._parsers.get(dates)
        if found is None:
            found = [(self._parser(suffix, dates=dates), self._language_scope(suffix)) for suffix in self._suffixes]
            self._parsers[dates] = found
        return found

    def _parser(self, suffix: str, *, dates: bool) -> MultifieldParser:
        fieldnames: list[str] = []
        boosts: dict[str, float] = {}
        for base, boost in FIELD_BOOSTS.items():
            name = base + suffix if base in LANGUAGE_FIELDS else base
            fieldnames.append(name)
            boosts[name] = boost
        parser = MultifieldParser(fieldnames, self.schema, fieldboosts=boosts, group=AndGroup)
        aliases = {key: list(values) for key, values in ALIASES.items()}
        if suffix:
            for base in LANGUAGE_FIELDS:
                aliases[base + suffix] = [base, *ALIASES.get(base, [])]
                aliases.pop(base, None)
        parser.add_plugin(FieldAliasPlugin(aliases))
        parser.add_plugin(GtLtPlugin())
        if dates:
            parser.add_plugin(DateParserPlugin(dateparser=None))
        return parser

    def parse_bounded(
        self, text: str, reader, *, max_terms: int = DEFAULT_MAX_TERMS, deadline: Deadline | None = None
    ) -> wq.Query:
        """``parse(text)`` checked by the cost model (``index.engine.query_cost``): a bare ``*``
        means every document, and a wildcard, prefix or range matching too many words raises
        ``QueryTooBroad`` (a 400 naming the part to narrow)."""
        q = simplify(self.parse(text))
        if self._lexicons is None or self._lexicons.reader is not reader:
            self._lexicons = Lexicons(reader)
        return check_expansion(q, reader, max_terms=max_terms, deadline=deadline, lexicons=self._lexicons)

    def parse(self, text: str) -> wq.Query:
        """The Whoosh query for ``text``; raises ``QueryError`` for what cannot be parsed."""
        text = text.strip()
        if not text:
            return wq.Every()
        if text.count('"') % 2:
            text = text + '"'  # an unbalanced quote closes at the end, as a user means it
        text = drop_stop_words(text)
        if not text:
            return wq.Every()
        parsed: list[wq.Query] = []
        for parser, scope in self.parsers(dates=bool(_DATE_CLAUSE_RE.search(text))):
            q = self._parse_one(parser, text)
            if q is not wq.NullQuery:
                q = self._said_by(q)
                parsed.append(q if scope is None else wq.And([q, scope]))
        if not parsed:
            return wq.NullQuery
        return parsed[0] if len(parsed) == 1 else wq.Or(parsed)

    def _said_by(self, q: wq.Query) -> wq.Query:
        """``quote:X speaker:"Y"`` as a top-level AND: X must be in a quote that Y said.

        Adds, per quote term or phrase, a span query in the ``said`` field (each quote indexed as its
        speaker's name followed by its text, quotes QUOTE_GAP positions apart): the speaker's name, then
        within the same quote the words. An index built before the field existed is left as it was.
        """
        if not isinstance(q, wq.And):
            return q
        parts = q.subqueries
        speakers = [p for p in parts if isinstance(p, (wq.Term, wq.Phrase)) and p.fieldname == "speaker"]
        quotes = [p for p in parts if isinstance(p, (wq.Term, wq.Phrase)) and p.fieldname.startswith("said")]
        if len(speakers) != 1 or not quotes:
            return q
        field = quotes[0].fieldname
        if any(p.fieldname != field for p in quotes):
            return q
        name = said_speaker_words(canonical_person_key(" ".join(_words(speakers[0]))))
        who = _span(field, list(self.schema[field].process_text(name, mode="query")))
        if who is None:
            return q
        said = []
        for part in quotes:
            what = _span(field, _words(part))
            if what is not None:
                said.append(_Near(who, what, slop=QUOTE_GAP // 2, ordered=True))
        return wq.And([*parts, *said]) if said else q

    @staticmethod
    def _parse_one(parser: MultifieldParser, text: str) -> wq.Query:
        """Parse with the full syntax; text the syntax cannot read is searched as plain words."""
        try:
            return parser.parse(text)
        except Exception:  # noqa: BLE001 - whoosh raises many kinds on odd syntax
            LOGGER.debug("query %r not parsed as syntax; searching its words", text)
        words = _SYNTAX_RE.sub(" ", text)
        try:
            return parser.parse(words) if words.strip() else wq.NullQuery
        except Exception as exc:  # noqa: BLE001
            raise QueryError("could not understand the query; try plain words or a \"phrase\"") from exc

    def favour_lead_speaker(self, q: wq.Query, request: MatchRequest) -> wq.Query:
        """With a speaker filter, rank first the releases that person issued or leads.

        The filter keeps every release in which the person speaks or is quoted; those where they are
        the first speaker (the issuer, when the release names one) get a constant bonus.
        """
        if not request.speaker or not request.text:
            return q
        lead = self.lead_query(request.speaker)  # one constant per term: the vectorised pass knows that shape
        return wq.AndMaybe(q, wq.Or([wq.ConstantScoreQuery(term, LEAD_BONUS) for term in lead.subqueries]))

    @staticmethod
    def lead_query(speaker: str) -> wq.Query:
        """Releases ``speaker`` issued: their first speaker, or a source named after them."""
        return wq.Or([wq.Term("lead_speaker", canonical_person_key(speaker)), *issuer_sources(speaker)])

    def proximity_terms(self, text: str) -> dict[str, list[str]]:
        """The analysed words of a plain multi-word query per title/body field, for re-ranking.

        Empty for one word, for more than eight, and for queries with syntax (phrases, fields...).
        """
        if any(ch in text for ch in ':"()*?~^') or " OR " in text or " NOT " in text:
            return {}
        if not 2 <= len(text.split()) <= 8:
            return {}
        fields: dict[str, list[str]] = {}
        for base in ("title", "body"):
            for name in language_fields(base, self.languages):
                tokens = list(self.schema[name].process_text(text, mode="query"))
                if len(tokens) >= 2:
                    fields[name] = tokens
        return fields

    def filters(self, request: MatchRequest) -> wq.Query | None:
        """The request's filters (speaker, event, country, org, source, lang, dates) as one query."""
        parts: list[wq.Query] = []
        if request.speaker:
            key = wq.Term("speaker_key", canonical_person_key(request.speaker))
            if self.is_known_value("speaker", request.speaker):
                # the value as the facet spells it, and the releases issued under a source named after the
                # person ("mackellar-michael"), which often list them as "M.J.R. MacKellar" or not at all
                parts.append(wq.Or([key, wq.Term("speaker_facet", request.speaker), *issuer_sources(request.speaker)]))
            else:
                parts.append(wq.Or([key, self._phrase("speaker", request.speaker), *issuer_sources(request.speaker)]))
        if request.event:
            key = wq.Term("event_key", " ".join(request.event.lower().split()))
            if self.is_known_value("event", request.event):
                parts.append(wq.Or([key, wq.Term("event_facet", request.event)]))
            else:
                parts.append(wq.Or([key, self._phrase("event", request.event)]))
        if request.country:  # "AZE", "az", "Azerbaijani" and "Azerbaijan" are one filter
            from index.extraction.countries import country_display  # pycountry: only for a country filter

            value = country_display(request.country) or request.country
            parts.append(wq.Or([wq.Term("country_facet", value), self._phrase("country", value)]))
        if request.org:
            parts.append(wq.Or([wq.Term("org_facet", request.org), self._phrase("org", request.org)]))
        if request.source:
            parts.append(wq.Term("source", request.source))
        if request.lang:
            parts.append(wq.Term("language", request.lang.lower()))
        if request.date_from or request.date_to:
            start = datetime.combine(request.date_from, time.min) if request.date_from else None
            end = datetime.combine(request.date_to, time.max) if request.date_to else None
            parts.append(wq.DateRange("date", start, end))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else wq.And(parts)

    def _phrase(self, fieldname: str, value: str) -> wq.Query:
        tokens = list(self.schema[fieldname].process_text(value, mode="query"))
        if not tokens:
            return wq.NullQuery
        return wq.Term(fieldname, tokens[0]) if len(tokens) == 1 else wq.Phrase(fieldname, tokens)

    def terms_for_highlight(self, q: wq.Query, fieldname: str) -> set[str]:
        """The analysed words of ``q`` that apply to ``fieldname`` (for snippets)."""
        words: set[str] = set()
        for field, text in q.iter_all_terms(phrases=True):
            if field == fieldname:
                words.add(text.decode("utf-8") if isinstance(text, bytes) else str(text))
        return words


_SLUG_RE = re.compile(r"[^a-z0-9]+")


def issuer_sources(speaker: str) -> list[wq.Query]:
    """Source terms naming ``speaker`` as the issuer ("Michael MacKellar" -> ``mackellar-michael``,
    ``michael-mackellar``; "Brendan O'Connor" -> ``o-connor-brendan``): record dumps often name the
    issuing person as the source."""
    slugs: dict[str, None] = {}
    for spelling in (speaker.lower(), canonical_person_key(speaker)):
        words = [_SLUG_RE.sub("-", word).strip("-") for word in spelling.split()]
        words = [word for word in words if word]
        if len(words) >= 2:
            slugs.update(dict.fromkeys(["-".join([words[-1], *words[:-1]]), "-".join(words)]))
    return [wq.Term("source", slug) for slug in slugs]


class _Near(SpanNear):
    """SpanNear with the size estimate Whoosh's And needs: no more documents than its rarer part."""

    def estimate_size(self, ixreader) -> int:
        return min(self.a.estimate_size(ixreader), self.b.estimate_size(ixreader))


class _Near2(SpanNear2):
    """SpanNear2 with a size estimate (see ``_Near``)."""

    def estimate_size(self, ixreader) -> int:
        return min(q.estimate_size(ixreader) for q in self.qs)


def _words(part: wq.Query) -> list[str]:
    """The analysed words of a Term or Phrase."""
    return list(part.words) if isinstance(part, wq.Phrase) else [str(part.text)]


def _span(fieldname: str, words: list[str]) -> wq.Query | None:
    """A span query for ``words`` in order, adjacent (a name or a phrase)."""
    if not words:
        return None
    if len(words) == 1:
        return wq.Term(fieldname, words[0])
    return _Near2([wq.Term(fieldname, word) for word in words], slop=1, ordered=True)
