"""Portfolio lists a capitalised run stops in: "Shadow Minister for Justice, Customs and Border Protection".

The mention scan ends a run at a comma, so a title whose portfolio is a list keeps its first item only
("Shadow Minister for Justice"), the items after it read as names ("Customs") or as the words before a
name ("Border Protection Michael Keenan"). ``extend_portfolios`` gives the title the whole list, drops
the items read as names, and gives a name the list runs into the full title.
"""

from __future__ import annotations

import logging
import re

from index.text import fold_name

from .mentions import Mention
from .names import HONORIFICS, ROLE_WORDS, UPPER, smart_title

LOGGER = logging.getLogger(__name__)

_CAP = rf"[{UPPER}][\w'’-]*"
_CAPS = rf"{_CAP}(?:[ \t]+{_CAP})*"
#: What follows the first item of a list: more items after commas, then the last after "and" ("and"
#: may start the next line of a letterhead broken in two: "CUSTOMS / AND BORDER PROTECTION").
_LIST_TAIL = re.compile(
    rf"(?:,[ \t]+{_CAPS})*,?\s+(?:and|AND|&)[ \t]+(?:(?:the|THE)[ \t]+)?{_CAPS}"
)
#: A title whose last words name a portfolio or a body ("... for Justice", "... of Foreign Affairs").
_PORTFOLIO_END = re.compile(r"\b(?:for|of)\s+(?:the\s+)?\S+$")
_CONNECTORS = frozenset({"and", "the", "&"})


def extend_portfolios(text: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions with list portfolios made whole (see the module docstring); others unchanged."""
    dropped: set[int] = set()
    for index, mention in enumerate(mentions):
        if mention.kind != "title" or not mention.role or not _PORTFOLIO_END.search(mention.role):
            continue
        found = _LIST_TAIL.match(text, mention.end)
        if not found:
            continue
        end, holder, swallowed = found.end(), None, []
        for later in range(index + 1, len(mentions)):
            other = mentions[later]
            if other.start >= end:
                break
            if other.name and other.kind in ("full", "partial") and other.name_start > mention.end:
                end, holder = other.name_start, other  # "... and Border Protection Michael Keenan said"
                break
            if other.kind != "bare" or other.end > end:
                end = -1  # another title or a person inside: not one portfolio
                break
            swallowed.append(later)
        tail = text[mention.end: end].rstrip() if end > 0 else ""
        if holder is not None:
            untitled = tail
            tail = _before_honorifics(tail)
            if tail != untitled:
                # "..., Customs and Border Protection and Mr. Barry Haase", "FOR IMMIGRATION & CITIZENSHIP MR
                # MICHAEL KEENAN MHR, SHADOW MINISTER FOR ...": another person, whose title may follow
                holder = None
        if not _LIST_TAIL.fullmatch(tail) or not _only_portfolio_words(tail):
            continue
        words = tail.split()
        if text[mention.name_start: mention.name_end].isupper():
            if not tail.isupper():
                continue  # a title in capitals goes on in capitals ("... AND ETHNIC AFFAIRS Cf~" ends before "Cf")
            words = [w.lower() if w.lower() in _CONNECTORS else smart_title(w) for w in words]
        mention.role = f"{mention.role}{'' if tail.startswith(',') else ' '}{' '.join(words)}"
        mention.end = mention.name_end = mention.end + len(tail)
        dropped.update(swallowed)
        if holder is not None and not holder.role:
            holder.role = mention.role
    return [m for i, m in enumerate(mentions) if i not in dropped] if dropped else mentions


def _before_honorifics(tail: str) -> str:
    """A list tail without the honorifics and "and" before the name it runs into."""
    words = list(re.finditer(r"\S+", tail))
    while words and (fold_name(words[-1].group()).rstrip(".") in HONORIFICS
                     or words[-1].group().lower() in _CONNECTORS):
        words.pop()
    return tail[: words[-1].end()] if words else ""


def _only_portfolio_words(tail: str) -> bool:
    """True when a list tail ends on a capitalised word and holds no role word or honorific ("and
    Senator Jane Doe", "and Minister for X" are another person or another title)."""
    words = [w.strip(",") for w in tail.split()]
    if not words or words[-1].lower() in _CONNECTORS:
        return False
    return not any(fold_name(w) in ROLE_WORDS or fold_name(w).rstrip(".") in HONORIFICS for w in words if w)
