"""The people of one document: full names, and partial names or titles resolved to them."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from index.text import fold_name

from .mentions import Mention, find_mentions, role_heads
from .names import canonical_person_key, compatible, surname_key
from .portfolios import extend_portfolios

LOGGER = logging.getLogger(__name__)

#: ", Chief of the State Migration Service, II rank counselor Mr. X": the gap between a title and a name.
#: (not a question to the title's holder: "QUESTION: Minister, do you endorse X's comments")
_DESCRIPTOR_GAP = re.compile(
    r"^\s*(?:,|\s[|–—-])\s*(?:(?!(?:do|does|did|can|could|will|would|should|is|are|was|were|have|has|you|i|we|what|"
    r"why|how|when|where|who)\s)(?:[a-z][\w-]*|[IVX]{1,4})\s+){0,8}$")
#: "X, the Minister for Immigration, said": an apposition after a name that holds a role.
_APPOSITION = re.compile(r"^\s*,\s*(?:the\s+|a\s+|an\s+)?$")


@dataclass
class Person:
    """One person in a document; ``key`` is the canonical facet key."""

    key: str
    name: str
    role: str | None = None
    first: int = 0
    from_caps: bool = False
    mentions: list[int] = field(default_factory=list)


class People:
    """Mentions of a text and the persons they resolve to."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.mentions: list[Mention] = extend_portfolios(text, find_mentions(text))
        self.persons: dict[str, Person] = {}
        self._by_surname: dict[str, list[Person]] = {}
        self._assign_context_roles()
        self._register_full_names()
        for mention in self.mentions:
            if mention.kind != "full":
                mention.person = self.resolve(mention)
            if mention.person:
                self.persons[mention.person].mentions.append(mention.start)

    def _assign_context_roles(self) -> None:
        previous: Mention | None = None
        for index, mention in enumerate(self.mentions):
            if mention.name and not mention.role and previous and previous.kind == "title" and not (
                    index >= 2 and self._apposition_of(self.mentions[index - 2], previous)):
                gap = self.text[previous.end: mention.start]
                if _DESCRIPTOR_GAP.match(gap) and "\n" not in gap:
                    mention.role = previous.role
            if mention.name and not mention.role and index + 1 < len(self.mentions):
                following = self.mentions[index + 1]
                gap = self.text[mention.end: following.start]
                if following.kind == "title" and _APPOSITION.match(gap) and "\n" not in gap:
                    mention.role = following.role
                    following.kind = "apposition"
            previous = mention

    def _apposition_of(self, named: Mention, title: Mention) -> bool:
        """True when ``title`` stands in apposition right after the name of ``named`` ("Senator Don
        Sample, Leader of the Democrats, said ... Mr Other"): the title is that person's, not a later one's."""
        gap = self.text[named.end: title.start]
        return bool(named.name) and bool(_APPOSITION.match(gap)) and "\n" not in gap

    def _register_full_names(self) -> None:
        for mention in self.mentions:
            if mention.kind != "full" or not mention.name:
                continue
            key = canonical_person_key(mention.name)
            if not key:
                continue
            from_caps = self.text[mention.name_start: mention.name_end].isupper()
            person = self.persons.get(key)
            if person is None:
                person = self._new(Person(key, mention.name, mention.role, mention.start, from_caps))
            else:
                if person.from_caps and not from_caps:
                    person.name, person.from_caps = mention.name, False
                person.role = person.role or mention.role
            mention.person = key

    def _new(self, person: Person) -> Person:
        self.persons[person.key] = person
        self._by_surname.setdefault(surname_key(person.name), []).append(person)
        return person

    def _same_surname(self, name: str) -> list[Person]:
        return self._by_surname.get(surname_key(name), [])

    def add_person(self, name: str, role: str | None, position: int) -> str:
        """Register a person found outside the mention scan (header, transcript, metadata); return the key."""
        key = canonical_person_key(name)
        if key not in self.persons:
            for person in self._same_surname(name):
                if compatible(name, person.name) and len(key.split()) < len(person.key.split()):
                    return person.key
            self._new(Person(key, name, role, position))
        elif role and not self.persons[key].role:
            self.persons[key].role = role
        return key

    def resolve(self, mention: Mention) -> str | None:
        """Canonical key of the person a partial name, bare surname or title refers to, or None."""
        if mention.kind in ("title", "apposition"):
            return self.resolve_title(mention.role or "", mention.start)
        if not mention.name:
            return None
        name = mention.name
        candidates = [p for p in self._same_surname(name) if p.key.count(" ") and compatible(name, p.name)]
        chosen = self._closest(candidates, mention.start)
        if chosen:
            return chosen.key
        if mention.kind == "partial":
            key = canonical_person_key(mention.name)
            if key not in self.persons:
                self._new(Person(key, mention.name, mention.role, mention.start))
            return key
        return None

    def resolve_name(self, name: str, position: int) -> str | None:
        """Key of the person a name ("BOWEN", "Chris Bowen", "V. Huseynov") refers to, if known."""
        key = canonical_person_key(name)
        if key in self.persons:
            return key
        candidates = [p for p in self._same_surname(name) if compatible(name, p.name)]
        chosen = self._closest(candidates, position)
        return chosen.key if chosen else None

    def resolve_title(self, title: str, position: int) -> str | None:
        """Key of the person holding a title ("the Minister", "Chief of the Service"), if one is named."""
        heads = role_heads(title)
        if not heads:
            return None
        candidates = [p for p in self.persons.values() if p.role and heads <= role_heads(p.role)]
        if not candidates:
            title_words = set(fold_name(title).split())
            candidates = [
                p for p in self.persons.values()
                if p.role and heads & role_heads(p.role) and "minister" not in heads
                and title_words & set(fold_name(p.role).split()) - {"the", "of"}
            ]
        chosen = self._closest(candidates, position)
        return chosen.key if chosen else None

    @staticmethod
    def _closest(candidates: list[Person], position: int) -> Person | None:
        if not candidates:
            return None
        before = [p for p in candidates if p.first <= position]
        if before:
            return max(before, key=lambda p: max([m for m in p.mentions if m <= position] or [p.first]))
        return min(candidates, key=lambda p: p.first)

    def mention_at(self, position: int) -> Mention | None:
        """The first mention starting at or after ``position``."""
        for mention in self.mentions:
            if mention.start >= position:
                return mention
        return None
