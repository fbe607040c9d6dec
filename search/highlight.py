"""Snippets and highlighted full text, cut from the store's copy of the body (the index stores none)."""

from __future__ import annotations

import html
import logging
import re

from whoosh import highlight

LOGGER = logging.getLogger(__name__)

SNIPPET_FRAGMENTS = 2
WINDOW_CHARS = 700
MAX_WINDOWS = 4


class MarkFormatter(highlight.HtmlFormatter):
    """Matches in ``<mark>``, all text HTML-escaped, fragments joined with an ellipsis."""

    def __init__(self) -> None:
        super().__init__(tagname="mark", between=" … ", classname="hl", termclass="t", maxclasses=4)


_FRAGMENTER = highlight.SentenceFragmenter(maxchars=320, charlimit=None)
_WHOLE = highlight.WholeFragmenter(charlimit=None)
_SCORER = highlight.BasicFragmentScorer()


def _windows(text: str, words: set[str]) -> str:
    """Cut long text down to windows around the first matches, so long bodies highlight fast."""
    if len(text) <= WINDOW_CHARS * MAX_WINDOWS or not words:
        return text
    stems = sorted({re.escape(w[:6]) for w in words if w}, key=len, reverse=True)
    if not stems:
        return text[: WINDOW_CHARS * 2]
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(stems) + ")", re.IGNORECASE)
    pieces: list[str] = []
    end_of_last = -1
    for match in pattern.finditer(text):
        if match.start() < end_of_last:
            continue
        start = max(0, match.start() - WINDOW_CHARS // 2)
        end = min(len(text), match.start() + WINDOW_CHARS // 2)
        pieces.append(text[start:end])
        end_of_last = end
        if len(pieces) >= MAX_WINDOWS:
            break
    return "\n".join(pieces) if pieces else text[: WINDOW_CHARS * 2]


def snippet(text: str, words: set[str], analyzer, *, fallback_chars: int = 260) -> str:
    """Safe HTML: the sentences that best match ``words`` with matches in ``<mark>``.

    Falls back to the start of the text (escaped) when nothing matches.
    """
    if words:
        window = _windows(text, words)
        result = highlight.highlight(
            window,
            frozenset(words),
            analyzer,
            _FRAGMENTER,
            MarkFormatter(),
            top=SNIPPET_FRAGMENTS,
            scorer=_SCORER,
            minscore=1,
        )
        if result:
            return result.strip()
    start = " ".join(text[: fallback_chars + 40].split())
    if len(start) > fallback_chars:
        start = start[:fallback_chars].rsplit(" ", 1)[0] + " …"
    return html.escape(start, quote=False)


def highlight_paragraphs(text: str, words: set[str], analyzer) -> str:
    """The whole text as escaped ``<p>`` paragraphs, with ``words`` in ``<mark>``."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    parts: list[str] = []
    for paragraph in paragraphs:
        marked = ""
        if words:
            marked = highlight.highlight(
                paragraph, frozenset(words), analyzer, _WHOLE, MarkFormatter(), top=1, minscore=1
            )
        parts.append(f"<p>{marked or html.escape(paragraph, quote=False)}</p>")
    return "\n".join(parts)
