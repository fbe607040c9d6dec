"""Repairs for text taken from PDFs: doubly encoded UTF-8 ("HansonÃ¢ÂÂYoung"), odd dashes, double spacing,
initials without their full stop in a letterhead ("THE HON KIM C BEAZLEY MP")."""

from __future__ import annotations

import logging
import re

LOGGER = logging.getLogger(__name__)

#: A run of Latin-1 characters that looks like UTF-8 read as Latin-1 (once or twice).
_MOJIBAKE = re.compile(r"[\u00c2-\u00ef][\u0080-\u00bf\u00c2\u00c3]{1,7}")
#: Dash-like characters between two letters, as PDFs write the hyphen of "Hanson-Young".
#: (The letter before is checked after the dash, so the engine can jump from dash to dash.)
_ODD_HYPHEN = re.compile(
    r"[\u2010\u2011\u2012\u2013\u201f\u00ad\ufffd](?<=[^\W\d_].)(?=[^\W\d_])"
)
#: What is left of a doubly encoded soft hyphen ("\u00c2\u00ad") once the soft hyphen is dropped:
#: "HillÂMarsh", "byÂelection". A lone "Â" between a lower-case letter and a letter is a hyphen.
_LONE_A_CIRCUMFLEX = re.compile(r"(?<=[a-z])\u00c2(?=[A-Za-z])")


#: A sentence that runs on across a blank line, the mark of a PDF that double-spaces every line.
_RUN_ON = re.compile(r"[a-z,;][ \t]*\n[ \t]*\n[ \t]*[a-z]")
_BLANK = re.compile(r"\n[ \t]*\n")
_SOFT_BLANK = re.compile(r"(?<=[^.!?:\"”’\s])[ \t]*\n[ \t]*\n(?=[ \t]*\S)")


#: ``_RUN_ON`` for a text without spaces or tabs before a line break: found from its first line break,
#: which the engine finds much faster than a letter.
_RUN_ON_AT_BREAK = re.compile(r"\n(?<=[a-z,;]\n)[ \t]*\n[ \t]*[a-z]")


def _count_run_ons(text: str) -> int:
    """``len(_RUN_ON.findall(text))``."""
    if " \n" in text or "\t\n" in text:
        return len(_RUN_ON.findall(text))
    count, end = 0, 0
    for match in _RUN_ON_AT_BREAK.finditer(text):
        if match.start() - 1 >= end:  # _RUN_ON's match starts at the letter before; matches do not overlap
            count += 1
            end = match.end()
    return count


def single_space(text: str) -> str:
    """Join lines a double-spacing PDF extraction split by blank lines, keeping breaks after full stops."""
    blanks = len(_BLANK.findall(text))
    if blanks < 3:  # each run-on holds a blank line of its own, and three are needed
        return text
    run_on = _count_run_ons(text)
    if run_on >= 3 and run_on >= 0.2 * blanks:
        return _SOFT_BLANK.sub("\n", text)
    return text


def _decode(match: re.Match[str]) -> str:
    chunk = match.group()
    for _ in range(3):
        try:
            decoded = chunk.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            break
        if decoded == chunk:
            break
        chunk = decoded
    return chunk


def repair(text: str) -> str:
    """Undo doubly encoded UTF-8 and turn dash-like characters inside words into hyphens."""
    if "Ã" in text or "Â" in text:
        text = _MOJIBAKE.sub(_decode, text)
        text = _LONE_A_CIRCUMFLEX.sub("-", text)
    return _ODD_HYPHEN.sub("-", text).replace("\u00a0", " ")


#: A letterhead line near the top: it holds "Hon", "MP" or "Senator".
_LETTERHEAD_LINE = re.compile(r"(?m)^[^\n]*\b(?:HON|Hon|MP|SENATOR|Senator)\b[^\n]*$")
#: A lone capital between two capitalised words: an initial whose full stop the letterhead left out
#: ("A" and "I" are words, not initials).
_BARE_INITIAL = re.compile(r"\b([A-Z][A-Za-z’'-]{1,20}) ([B-HJ-Z])(?= [A-Z][A-Za-z’'-]+\b)")
HEAD_CHARS = 1200


def dot_initials(text: str) -> str:
    """Give a lone initial in a letterhead line of the text's head its full stop ("KIM C BEAZLEY" ->
    "KIM C. BEAZLEY"), so the name reads as one; other lines are left as they are."""
    head = text[:HEAD_CHARS]
    if not _LETTERHEAD_LINE.search(head):
        return text

    def dotted(line: re.Match[str]) -> str:
        return _BARE_INITIAL.sub(r"\1 \2.", line.group())

    return _LETTERHEAD_LINE.sub(dotted, head) + text[HEAD_CHARS:]
