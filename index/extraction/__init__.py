"""Extraction: pure functions from a release's title and body to speakers, events, organisations,
countries and quotes.

``extract(title, body)`` is the one entry point; the modules each do one job:
``names`` (canonical person names and keys), ``mentions`` and ``people`` (who is named, and what partial
names and titles refer to), ``speakers`` (who speaks), ``quotes``, ``events``, ``organisations`` and
``countries``.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from index.document import Extraction, Quote, Speaker

from .clean import dot_initials, repair, single_space
from .names import canonical_person_key, display_name, strip_titles

if TYPE_CHECKING:
    from .people import People

# The extractors (and pycountry) are imported by ``extract`` and ``merge_metadata`` when first called:
# searching needs only ``names`` and ``countries`` from this package, and importing a submodule runs
# this file first.

LOGGER = logging.getLogger(__name__)

__all__ = ["extract", "canonical_person_key", "country_code", "display_name", "strip_titles"]


def __getattr__(name: str):
    """``country_code`` on first use (it brings pycountry)."""
    if name == "country_code":
        from .countries import country_code

        return country_code
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

_MAX_SPEAKERS = 16
_MAX_MENTIONS = 20
_CYRILLIC = re.compile(r"[а-яё]{3}")
_MAX_TURN_QUOTE = 600


def extract(title: str, body: str, *, language: str = "en", metadata: dict | None = None) -> Extraction:
    """Who spoke, at which events, which organisations and countries, and what was quoted."""
    from .countries import find_countries
    from .events import find_events
    from .header_roles import label_line_roles, letterhead_role, unnamed_letterhead_role
    from .introductions import introduced_role
    from .issuers import header_issuers
    from .organisations import find_organisations
    from .people import People
    from .pronouns import pronoun_speakers
    from .quotes import find_quotes
    from .reported import reported_russian, reported_speakers
    from .role_places import role_with_country
    from .roles import better_role, fuller_role, role_after, role_before
    from .russian import russian_attributions
    from .russian_entities import find_russian_countries, find_russian_events, find_russian_organisations
    from .speaker_rules import absorb_fuller, merge_partials, merge_variants
    from .speakers import attributed_speakers, transcript_turns

    title = (title or "").strip()
    body = body or ""
    title, body = repair(title), single_space(repair(body))
    text = dot_initials(body if not title or _title_line(title, body) else f"{title}\n\n{body}")
    people = People(text)
    structured = bool(metadata and (metadata.get("speaker") or metadata.get("speakers")))
    # a record that names its speaker says who issues it: salutations in its text are addressees
    issuers = [] if structured else header_issuers(people, text)
    attributions = attributed_speakers(people, text) + reported_speakers(people, text)
    if not _CYRILLIC.search(text[:2000]):
        attributions = sorted(attributions + pronoun_speakers(people, text))
    turns = transcript_turns(people, text, issuers)
    quote_spans = find_quotes(people, text, attributions + [(start, key) for start, _, key in turns])
    ru_quotes: list[tuple[int, str, str]] = []
    russian = language == "ru" or bool(_CYRILLIC.search(text[:2000]))
    if russian:
        ru_speakers, ru_quotes = russian_attributions(people, text)
        attributions = sorted(attributions + ru_speakers + reported_russian(people, text))

    first_seen: dict[str, int] = {key: -1 for key in issuers}
    weight: dict[str, int] = {key: 3 for key in issuers}
    for position, key in attributions + [(q.start, q.speaker) for q in quote_spans] + [
            (start, key) for start, _, key in turns]:
        first_seen.setdefault(key, position)
        weight[key] = weight.get(key, 0) + 1
    candidates = _rekey(people, [key for key in first_seen if _is_speaker(people, key, text)], first_seen, weight,
                        text)
    candidates = merge_partials(merge_variants(candidates, people), people)
    for absorbed in absorb_fuller(candidates, people):
        first_seen.setdefault(absorbed, len(text))  # now a speaker's name: not listed as only mentioned
    # the cap keeps the best attested speakers, but never drops an issuer or someone with turns of their
    # own in a transcript (a long press conference has more than sixteen of those)
    sure = {key for key in issuers} | {key for _, _, key in turns}
    ranked = sorted(candidates, key=lambda k: (k not in sure, -min(weight[k], 3), first_seen[k]))
    ranked = [k for i, k in enumerate(ranked) if i < _MAX_SPEAKERS or k in sure]
    keys = sorted(ranked, key=lambda k: first_seen[k])
    labelled = label_line_roles(text)
    given: dict[str, str] = {}  # roles already given, folded -> key ("LEADER OF THE OPPOSITION MR. X": not X's)
    for key in keys:
        person = people.persons[key]
        letterhead = letterhead_role(people, key, text, keys)
        role = better_role(person.role, letterhead, person.name)
        if letterhead and role and given.get(role.casefold(), key) != key:
            role = better_role(None, letterhead, person.name) or role  # a neighbour's role: the letterhead's own
        person.role = role or role_before(people, key, text) or role_after(people, key, text) or labelled.get(
            key) or _titled_mention_role(people, key) or introduced_role(people, key, text, turns)
        person.role = role_with_country(people, key, text, fuller_role(people, key, text, person.role))
        if person.role:
            given.setdefault(person.role.casefold(), key)
    named_turns = {key for _, _, key in turns if key in keys}
    if len(named_turns) == 1 and not issuers:
        # a doorstop under "LEADER OF THE OPPOSITION" whose one named speaker is "BEAZLEY:"
        (only,) = named_turns
        if not people.persons[only].role:
            people.persons[only].role = unnamed_letterhead_role(text, [people.persons[k].name for k in keys])
    speakers = [Speaker(people.persons[k].name, people.persons[k].role) for k in keys]
    mentioned = _mentioned(people, set(first_seen), text)

    quotes = [Quote(people.persons[q.speaker].name, q.text) for q in quote_spans]
    quotes += [Quote(people.persons[key].name, quote) for _, key, quote in ru_quotes]
    for start, end, key in turns:
        turn_text = " ".join(text[start:end].split())
        if len(turn_text.split()) >= 4:
            if len(turn_text) > _MAX_TURN_QUOTE:
                cut = turn_text.rfind(". ", 0, _MAX_TURN_QUOTE)
                turn_text = turn_text[: cut + 1 if cut > 0 else _MAX_TURN_QUOTE]
            quotes.append(Quote(people.persons[key].name, turn_text))
    quotes = _unique(quotes)

    events, organisations, countries = find_events(text), find_organisations(text), find_countries(text)
    if russian:
        events = _unique(events + find_russian_events(text))
        organisations = _unique(organisations + find_russian_organisations(text))
        countries = _unique(countries + find_russian_countries(text))
    extraction = Extraction(
        speakers=speakers,
        events=events,
        organisations=organisations,
        countries=countries,
        quotes=quotes,
        mentions=mentioned,
    )
    if metadata:
        extraction = merge_metadata(extraction, metadata)
    return extraction


def _is_speaker(people: People, key: str, text: str) -> bool:
    """True when a candidate reads as a person's name (repairing an OCR split where the release shows the
    whole word) and is not only a contact in the sign-off."""
    from .not_people import names_a_thing
    from .speaker_rules import looks_like_name, on_contact_lines, repair_name

    person = people.persons[key]
    repaired = repair_name(person.name, text)
    if repaired is None:
        return False
    person.name = repaired
    from .countries import is_place_name

    if is_place_name(person.name):
        return False  # "claims from Laos and Sri Lanka were announced", "Mandela of South Africa once said"
    return looks_like_name(person.name, text) and not on_contact_lines(people, key, text) and not names_a_thing(
        person.name, text, _name_spans(people, key))


def _titled_mention_role(people: People, key: str) -> str | None:
    """The title before a surname mention of the person ("Prime Minister Example was interested"), where
    no other rule found a role: the release states it, if only in passing."""
    from .roles import clean_role, is_role_line

    name = people.persons[key].name
    for mention in people.mentions:
        if mention.person == key and mention.kind == "partial" and mention.role:
            role = clean_role(mention.role, name)
            if role and is_role_line(role):  # ("Said Senator", "Questions for General" are not)
                return role
    return None


def _rekey(people: People, keys: list[str], first_seen: dict[str, int], weight: dict[str, int],
           text: str) -> list[str]:
    """Keys after name repairs: a candidate whose repaired name ("Minsiter Doe" -> "Doe") belongs to
    another candidate of the release ("Matt Doe") becomes that person (first seen and weight carried over,
    not the role: the repaired run's role is often the end of a portfolio)."""
    out: list[str] = []
    for key in keys:
        person = people.persons[key]
        if canonical_person_key(person.name) != key:
            from .names import compatible
            from .speaker_rules import looks_like_name

            owners = [k for k, p in people.persons.items() if k != key and k in first_seen
                      and len(k.split()) >= len(person.name.split()) and compatible(person.name, p.name)
                      and looks_like_name(p.name, text)]
            other = owners[0] if len(owners) == 1 else None
            if other:
                first_seen[other] = min(first_seen.get(other, first_seen[key]), first_seen[key])
                weight[other] = max(weight.get(other, 0), weight[key])
                key = other
        if key not in out:
            out.append(key)
    return out


def _name_spans(people: People, key: str) -> list[tuple[int, int]]:
    """Where a person's name stands in the text (mentions by name, not by title)."""
    return [(m.name_start, m.name_end) for m in people.mentions
            if m.person == key and m.name and m.kind in ("full", "partial", "bare")]


def _mentioned(people: People, candidates: set[str], text: str) -> list[str]:
    """Display names of the people a release names in full without their speaking in it."""
    from .speaker_rules import looks_like_name, on_contact_lines

    names: list[str] = []
    for key, person in sorted(people.persons.items(), key=lambda item: item[1].first):
        if key in candidates or len(key.split()) < 2 or not person.mentions:
            continue
        if looks_like_name(person.name, text) and not on_contact_lines(people, key, text):
            names.append(person.name)
        if len(names) >= _MAX_MENTIONS:
            break
    return names


def _title_line(title: str, body: str) -> bool:
    """True when the body repeats the title as a line of its own near its top."""
    head = body[: len(title) + 400]
    start = head.find(title)
    while start >= 0:
        end = start + len(title)
        if (start == 0 or head[start - 1] == "\n") and (end == len(body) or body[end: end + 1] in "\n"):
            return True
        start = head.find(title, start + 1)
    return False


def _unique(items: list) -> list:
    seen: set = set()
    out = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


def _as_list(value: object) -> list:
    if value is None:
        return []
    if isinstance(value, (str, dict)):
        return [value]
    return list(value)  # type: ignore[arg-type]


def merge_metadata(extraction: Extraction, metadata: dict) -> Extraction:
    """Merge structured speakers, events, countries and author from a record into an extraction."""
    from .events import find_events
    from .organisations import canonical_organisation, find_organisations

    speakers = list(extraction.speakers)
    for item in _as_list(metadata.get("speakers")) + _as_list(metadata.get("speaker")):
        name, role = (item.get("name"), item.get("role")) if isinstance(item, dict) else (item, None)
        if name:
            speakers = _add_speaker(speakers, str(name), role)
    organisations = list(extraction.organisations)
    author = metadata.get("author")
    if isinstance(author, str) and author.strip():
        found = find_organisations(author)
        if found:
            organisations.extend(o for o in found if o not in organisations)
        elif 2 <= len(strip_titles(author).split()) <= 4:
            speakers = _add_speaker(speakers, author, None)
    events = list(extraction.events)
    for event in _as_list(metadata.get("events")) + _as_list(metadata.get("event")):
        canonical = find_events(str(event)) or [" ".join(str(event).split())]
        events.extend(e for e in canonical[:1] if e and e not in events)
    countries = list(extraction.countries)
    for country in _as_list(metadata.get("countries")) + _as_list(metadata.get("country")):
        name = _country_display(str(country))
        if name and name not in countries:
            countries.append(name)
    for org in _as_list(metadata.get("organisations")):
        canonical = canonical_organisation(str(org))
        if canonical not in organisations:
            organisations.append(canonical)
    return Extraction(speakers, events, organisations, countries, extraction.quotes,
                      [m for m in extraction.mentions if canonical_person_key(m) not in
                       {canonical_person_key(s.name) for s in speakers}])


def _add_speaker(speakers: list[Speaker], name: str, role: str | None) -> list[Speaker]:
    name = display_name(name)
    key = canonical_person_key(name)
    if not key:
        return speakers
    for index, speaker in enumerate(speakers):
        if canonical_person_key(speaker.name) == key:
            if role and not speaker.role:
                speakers[index] = Speaker(speaker.name, role)
            return speakers
    return [*speakers, Speaker(name, role or None)]


def _country_display(value: str) -> str | None:
    from .countries import country_display

    value = value.strip()
    return country_display(value) or (value or None)
