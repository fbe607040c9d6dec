"""Snippets as HTML: the one place where highlighted text (``search.spans.Snippet``) becomes markup.

Text is escaped (``&``, ``<``, ``>``) and each matched word is wrapped in ``<mark class="hl">``. The
pages use it through the ``snippet_html`` and ``paragraphs_html`` template filters; the JSON API keeps
its HTML fields (a hit's ``snippet``, a document's ``body_html``) with exactly the markup they always
had, and gives the spans beside them (``snippet_spans``, ``body_spans``) for clients that render their
own. Plain-text readers (CLI, CSV) use ``Snippet.text`` and never parse this markup.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from markupsafe import Markup

from search.results import Hit, SearchResult
from search.spans import Snippet

if TYPE_CHECKING:  # the quick CLI renders JSON with this module and never imports Flask
    from flask import Flask

LOGGER = logging.getLogger(__name__)

MARK_OPEN = '<mark class="hl">'
MARK_CLOSE = "</mark>"


def snippet_html(snippet: Snippet) -> Markup:
    """``snippet`` as safe HTML: text escaped, matches in ``<mark class="hl">``."""
    parts = []
    for span in snippet.spans:
        text = html.escape(span.text, quote=False)
        parts.append(MARK_OPEN + text + MARK_CLOSE if span.match else text)
    return Markup("".join(parts))


def paragraphs_html(paragraphs: Iterable[Snippet]) -> Markup:
    """Paragraphs as safe HTML ``<p>`` elements, one a line."""
    return Markup("\n".join(f"<p>{snippet_html(paragraph)}</p>" for paragraph in paragraphs))


def hit_json(hit: Hit) -> dict:
    """The API's hit: ``Hit.to_dict()`` with ``snippet`` (HTML) just before ``snippet_spans``."""
    data = {}
    for key, value in hit.to_dict().items():
        if key == "snippet_spans":
            data["snippet"] = str(snippet_html(hit.snippet))
        data[key] = value
    return data


def result_json(result: SearchResult) -> dict:
    """The API's search result: ``SearchResult.to_dict()`` with every hit as ``hit_json`` gives it."""
    data = result.to_dict()
    data["hits"] = [hit_json(hit) for hit in result.hits]
    return data


def document_json(doc: dict) -> dict:
    """The API's document (``SearchService.get_document``) with ``body_html`` rendered from ``body_spans``
    and put just before them."""
    data = {}
    for key, value in doc.items():
        if key == "body_spans":
            data["body_html"] = str(paragraphs_html(Snippet.from_json(spans) for spans in value))
        data[key] = value
    return data


def init_app(app: Flask) -> None:
    """Register the template filters ``snippet_html`` and ``paragraphs_html``."""
    app.add_template_filter(snippet_html, "snippet_html")
    app.add_template_filter(paragraphs_html, "paragraphs_html")
