"""Highlighted text as data: a snippet is a run of spans, each plain text or a match of the query.

``search/`` cuts snippets, quotes and highlighted bodies into ``Snippet`` values and knows nothing of
markup. Each reader renders them its own way: ``web.snippets`` to escaped HTML (``<mark>``), the CLI
to styled terminal text, CSV exports to plain text (``Snippet.text``), and the JSON API gives both the
legacy HTML string and the spans (``Snippet.to_json``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

LOGGER = logging.getLogger(__name__)


class Span(NamedTuple):
    """A piece of a snippet's text; ``match`` when it is a word the query matched (a tuple: snippets
    are cut for every hit, and tuples are the cheapest immutable values to make)."""

    text: str
    match: bool = False


@dataclass(frozen=True, slots=True)
class Snippet:
    """Text as spans, in order: adjacent plain spans merged, no empty span."""

    spans: tuple[Span, ...] = ()

    @classmethod
    def build(cls, spans: Iterable[Span]) -> Snippet:
        """A snippet of ``spans`` with empty spans dropped and neighbouring plain spans joined."""
        kept: list[Span] = []
        for span in spans:
            if not span.text:
                continue
            if kept and not span.match and not kept[-1].match:
                kept[-1] = Span(kept[-1].text + span.text)
            else:
                kept.append(span)
        return cls(tuple(kept))

    @classmethod
    def plain(cls, text: str) -> Snippet:
        """A snippet of ``text`` with no match in it."""
        return cls((Span(text),) if text else ())

    @classmethod
    def join(cls, snippets: Sequence[Snippet], separator: str) -> Snippet:
        """``snippets`` one after the other with the plain ``separator`` between them."""
        spans: list[Span] = []
        for number, snippet in enumerate(snippets):
            if number:
                spans.append(Span(separator))
            spans.extend(snippet.spans)
        return cls.build(spans)

    @classmethod
    def from_json(cls, data: Iterable[Mapping]) -> Snippet:
        """The snippet ``to_json`` described."""
        return cls.build(Span(str(item.get("text", "")), bool(item.get("match"))) for item in data)

    @property
    def text(self) -> str:
        """The plain text, matches unmarked."""
        return "".join(span.text for span in self.spans)

    @property
    def matches(self) -> tuple[str, ...]:
        """The matched words, in order."""
        return tuple(span.text for span in self.spans if span.match)

    def __bool__(self) -> bool:
        return bool(self.spans)

    def to_json(self) -> list[dict]:
        """``[{"text": ..., "match": bool}, ...]``: the API's ``snippet_spans``."""
        return [{"text": span.text, "match": span.match} for span in self.spans]


EMPTY = Snippet()
