"""The one document model shared by normalization, extraction, the store and the index."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date


@dataclass(frozen=True)
class Speaker:
    """A person who speaks, is quoted or issues a statement; ``role`` as given in the text."""

    name: str
    role: str | None = None


@dataclass(frozen=True)
class Quote:
    """A direct quote and the canonical name of the person who said it."""

    speaker: str
    text: str


@dataclass(frozen=True)
class Normalized:
    """What a normalizer makes of one raw input, before extraction.

    ``date`` is only set when the input states it; it is never invented. ``metadata`` carries
    structured fields from records (speakers, events, country...) that extraction must keep.
    """

    title: str
    body: str
    date: date | None = None
    language: str | None = None
    url: str | None = None
    metadata: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Extraction:
    """Who spoke, at which event, which organisations and countries, and what was quoted."""

    speakers: list[Speaker] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    #: People the release names without their speaking in it (display names).
    mentions: list[str] = field(default_factory=list)


@dataclass
class Document:
    """A normalized, extracted release; the store keeps it together with its raw input."""

    id: str
    source: str
    title: str
    body: str
    url: str | None = None
    date: date | None = None
    language: str = "en"
    speakers: list[Speaker] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    #: People the release names without their speaking in it (display names); not speakers.
    mentions: list[str] = field(default_factory=list)
    raw: bytes = b""
    raw_kind: str = "text"
    raw_meta: dict = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """Hash of the raw input and its metadata: equal hashes mean an unchanged document."""
        digest = hashlib.sha256(self.raw)
        digest.update(repr(sorted(self.raw_meta.items())).encode("utf-8"))
        return digest.hexdigest()

    @property
    def text_hash(self) -> str:
        """Hash of the normalized title and body, used to group exact duplicates in results (computed
        once per title and body: the store and the indexer both ask for it)."""
        cached = self.__dict__.get("_text_hash")
        if cached is not None and cached[0] is self.title and cached[1] is self.body:
            return cached[2]
        normalized = " ".join((self.title + "\n" + self.body).lower().split())
        value = hashlib.sha1(normalized.encode("utf-8")).hexdigest()[:16]
        self.__dict__["_text_hash"] = (self.title, self.body, value)
        return value

    def to_dict(self) -> dict:
        """A JSON-ready view of the document (without the raw bytes)."""
        data = asdict(self)
        data.pop("raw")
        data.pop("raw_meta")
        data["date"] = self.date.isoformat() if self.date else None
        return data


def make_doc_id(source: str, locator: str) -> str:
    """A stable id from the source and the url, path or record id a document came from."""
    return hashlib.sha1(f"{source}\x00{locator}".encode()).hexdigest()[:16]
