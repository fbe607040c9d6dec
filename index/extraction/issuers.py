"""Issuers: the people a release names as its source in the header block or the sign-off at its end.

A release says who issues it in a few set places: a header line ("SENATOR THE HON X", "X MP", "Media
Release - Senator X", a byline "Scott Morrison" above the date), a transcript heading ("TRANSCRIPT OF
INTERVIEW WITH X"), and the sign-off ("CHRIS BOWEN", "Kevin Andrews MP Minister for ...", "Authorised
by X", "Minister Evans' office" in the media contact lines). Names elsewhere are only mentions.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from .mentions import Mention
from .names import WORD, display_name, is_name_word
from .people import People

LOGGER = logging.getLogger(__name__)

#: Marks that make a name in a header line an issuer: "MP", "Senator", "Hon", "Minister".
ISSUER_MARK = re.compile(
    r"\b(?:MP|QC|MLC|MHR|Senator|SENATOR|Hon\.?|HON\.?|Minister|MINISTER)\b|\b(?:M\.P|Q\.C|M\.H\.R)\.")
STRONG_MARK = re.compile(r"\b(?:MP|MHR|QC|MLC|SENATOR|Senator|HON\.?|Hon\.?|M\.P\.)(?!\w)")
#: What may stand beside a name on a byline: post-nominals, footnote digits, punctuation, "by".
_BYLINE_REST = re.compile(
    r"(?:[\s,.;:|*()\d–—-]|\b(?:by|BY|By|MP|AO|AC|AM|QC|OAM|Dr|Professor|Prof|Sir|The|THE|Hon|HON|Senator|"
    r"SENATOR)\b)*"
)
#: "Minister Evans' office", "Dr Wooldridge's office", "GEOFF LYONS’ OFFICE" in media contact lines.
_OFFICE = re.compile(rf"((?:{WORD}[ ]){{0,2}}{WORD})(?:['’]s?)[ ](?:office|OFFICE|Office)\b")
_OFFICE_SPELLINGS = ("office", "OFFICE", "Office")
_OFFICE_TITLES = re.compile(r"^(?:(?:the|The|THE|Minister|MINISTER|Senator|SENATOR|Dr|DR|Mr|MR|Ms|MS|Mrs)\s+)+")
#: A line holding a role or office ("Minister for Immigration", "LABOR CANDIDATE FOR FORDE").
_ROLE_LINE = re.compile(
    r"^\s*(?:the\s+)?(?:\w+\s+){0,3}(?:minister|secretary|senator|member|leader|candidate|president|director|"
    r"professor|chair|governor|ambassador|commissioner|spokes\w+|premier|treasurer|attorney)",
    re.IGNORECASE,
)
_BY_LINE = re.compile(
    r"(?:^|\s)(?:BY:?|By:?|by:|(?i:from|presenter|speaker|author|transcript(?:\s+of)?)\s*:)\s*$")
#: A role right after a name on its line: "Julie Bishop Federal Member for Curtin", "X, Minister for Y".
_ROLE_AFTER = re.compile(
    r"[\s,|–—-]*(?:the\s+)?(?:\w+\s+){0,2}(?:minister|secretary|senator|member|leader|candidate|president|"
    r"director|chair|governor|ambassador|commissioner|spokes\w+|premier|treasurer|attorney|professor|"
    r"lecturer|editor|fellow|chief|head|convenor|coordinator|executive)\b",
    re.IGNORECASE,
)
#: Turns by an unnamed interviewer: "JOURNALIST:", "HOST:", "Presenter:".
_GENERIC_TURN = re.compile(
    r"^[ \t]*(?:JOURNALIST|HOST|PRESENTER|INTERVIEWER|REPORTER|QUESTION|Journalist|Host|Presenter|Interviewer)"
    r"\b[ \t]*:?", re.MULTILINE)
_WITH = re.compile(r"\b(?:with|WITH|With)[ \t]+(?:(?:the\s+)?(?:host|presenter)\s+)?$")
_LEADING_HONORIFICS = re.compile(r"\s*(?:(?:the|The|THE|Hon\.?|HON\.?|Senator|SENATOR|Dr|Mr|Ms|Mrs)\s+)*")
SIGNATURE_LINE = 120
MAX_SIGNATURES = 2
#: A line that is an item of a list: it opens with a bullet, or holds two bullets.
_BULLETED = re.compile(r"[ \t]*[•·▪●◦*]|[^\n]*•[^\n]*•")
HEAD_LINES = 12
HEAD_CHARS = 1200
TAIL_LINES = 8
TAIL_CHARS = 700
MAX_LINE = 200


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return line_start, line_end if line_end >= 0 else len(text)


def _regions(text: str) -> tuple[int, int]:
    """End of the header block (first lines) and start of the sign-off (last lines)."""
    head_end, count = 0, 0
    while count < HEAD_LINES and head_end < min(len(text), HEAD_CHARS):
        nxt = text.find("\n", head_end)
        if nxt < 0:
            head_end = len(text)
            break
        if text[head_end:nxt].strip():
            count += 1
        head_end = nxt + 1
    head_end = min(head_end, HEAD_CHARS)
    tail_start, count = len(text.rstrip()), 0
    while count < TAIL_LINES and tail_start > len(text) - TAIL_CHARS and tail_start > 0:
        previous = text.rfind("\n", 0, tail_start - 1)
        if text[previous + 1: tail_start].strip():
            count += 1
        tail_start = previous + 1
        if previous < 0:
            break
    return head_end, max(tail_start, head_end, len(text) - TAIL_CHARS)


def _neighbour_line(text: str, line_start: int, line_end: int, after: bool) -> str:
    if after:
        end = text.find("\n", line_end + 1)
        return text[line_end + 1: end if end >= 0 else len(text)]
    start = text.rfind("\n", 0, max(0, line_start - 1)) + 1
    return text[start: max(0, line_start - 1)]


def _is_byline(text: str, mention: Mention, line_start: int, line_end: int) -> bool:
    """A line that is a person's name and little else: "Scott Morrison", "Kim Murray 1", "CHRIS BOWEN"."""
    rest = text[line_start: mention.start] + " " + text[mention.end: line_end]
    if not _BYLINE_REST.fullmatch(rest):
        return False
    name = text[mention.name_start: mention.name_end]
    if not name.isupper() and not mention.role and text[mention.end: line_end].strip() == ":" \
            and text.count(text[mention.start: line_end].strip()) < 2:
        return False  # "Quick Find:" once, closing a page: a label of what follows, not a signature
    if not name.isupper() or mention.role or STRONG_MARK.search(text[line_start:line_end]):
        return True
    # An upper-case line may be a headline ("PORTUGESE RUSH OZ"): a role or "by" beside it tells a name.
    before = _neighbour_line(text, line_start, line_end, after=False)
    following = _neighbour_line(text, line_start, line_end, after=True)
    portfolio = _ROLE_LINE.match(before) and not STRONG_MARK.search(before)  # "SHADOW MINISTER FOR X"
    return bool(_ROLE_LINE.match(following) or portfolio or _BY_LINE.search(before)
                or _BY_LINE.search(text[line_start: mention.start]))


def _signature(text: str, mention: Mention) -> bool:
    """A line that opens with a name marked "MP" or "Senator": "Chris Bowen MP Minister for Immigration"."""
    if mention.kind != "full" or not mention.person:
        return False
    line_start, line_end = _line_bounds(text, mention.start, mention.end)
    if line_end - line_start > SIGNATURE_LINE or not _LEADING_HONORIFICS.fullmatch(text, line_start, mention.start):
        return False
    return bool(STRONG_MARK.search(text, mention.start, min(line_end, mention.end + 12)))


@lru_cache(maxsize=256)  # (every name on a long line asks about the same line)
def _prose(line: str) -> bool:
    """True for a line of running text (a sentence of a dozen words or more, mostly in lower case), where a
    name is someone the release talks about, not its letterhead; a line that opens with a quote is the
    attribution of that quote ('"...", the Hon Stewart West MP, Minister for ..., said today')."""
    words = line.split()
    if len(words) < 12 or line.lstrip()[:1] in "\"“‘'«":
        return False
    return sum(1 for word in words if word[:1].islower()) >= 0.4 * len(words)


#: After a name in running text: post-nominals and a comma, then a lower-case word ("has given", ", who is").
_SENTENCE_GOES_ON = re.compile(r"(?:[\s,]*(?:MP|QC|MLC|MHR|AO|AC|M\.P\.)\b)*[\s,]*[a-z]")


def _in_sentence(text: str, mention: Mention, line: str) -> bool:
    """True when a name is the subject or object of a sentence in running text (the line is prose or
    opens with a quote, and the sentence goes on in lower case after the name): "Senator George Brandis
    has given ...", "'I would like to thank Senator Calvert for ...", "I'll be with Senator Jan McLucas,
    who ...". A letterhead name is followed by a role, a line break or another capitalised word."""
    running = _prose(line) or line.lstrip()[:1] in "\"“‘'«"
    return running and bool(_SENTENCE_GOES_ON.match(text, mention.end))


#: Verbs that make a line a sentence about the people named after them ("Mr Doe welcomed the Hon ...").
_SENTENCE_VERBS = frozenset(
    "is was are were has have had will met meets thanked thanks welcomes congratulates appoints visits".split())


def _after_a_verb(text: str, mention: Mention, line: str, line_start: int) -> bool:
    """True when a name stands after a verb in a sentence of its own line (eight words or more, ending in a
    full stop): "Mr Doe welcomed the Hon Dr Jane Roe CBE as Deputy President." names the
    person appointed, not the issuer, however many capitals the sentence holds."""
    words = line.split()
    if len(words) < 8 or not line.rstrip().endswith((".", "!", "?")) or line.lstrip()[:1] in "\"“‘'«":
        return False  # (a line that opens with a quote is the attribution of that quote: '"...," said X.')
    before = text[line_start: mention.start].split()
    return any(word in _SENTENCE_VERBS or len(word) > 4 and word.endswith("ed") and word[:1].islower()
               for word in before)


def _is_issuer(text: str, mention: Mention, line_start: int, line_end: int, near_top: bool) -> bool:
    segment = text[mention.start: mention.end]
    line = text[line_start:line_end]
    if _in_sentence(text, mention, line) or _after_a_verb(text, mention, line, line_start):
        return False  # "Senator George Brandis has given Australians a glimpse of ..."
    if _prose(line) and not STRONG_MARK.search(text, mention.end, min(line_end, mention.end + 6)) \
            and not (mention.start - line_start < 20 and STRONG_MARK.search(segment)):
        return False
    if not (STRONG_MARK.search(segment) and near_top) and line_end - line_start > MAX_LINE:
        return False
    if ISSUER_MARK.search(segment) or (mention.role and mention.kind == "full"):
        return True
    if mention.kind != "full":
        return False
    if STRONG_MARK.search(text, mention.end, min(line_end, mention.end + 30)):
        return True  # "Gary Gray, AO, MP Special Minister of State"
    if not text[line_start: mention.start].strip() and _ROLE_AFTER.match(text, mention.end, line_end):
        return True  # "Julie Bishop Federal Member for Curtin"
    if _BY_LINE.search(text, max(line_start, mention.start - 12), mention.start):
        return True  # "CHILD AND MIGRANT LABOUR By: Ms. Sofiati Mukadi"
    return _is_byline(text, mention, line_start, line_end)


def header_issuers(people: People, text: str) -> list[str]:
    """Keys of the people who issue the release: named with "MP", "Senator", "Hon" or a role in the
    header block or the sign-off, on a byline of their own there, or as the office in the contact lines;
    and the interviewer a transcript's heading names ("Interview with X") when its turns say "HOST:"."""
    issuers: list[str] = []
    head_end, tail_start = _regions(text)
    interviewed = len(_GENERIC_TURN.findall(text, 0, 20000)) >= 2
    signed: list[str] = []
    for mention in people.mentions:
        in_head = mention.start < head_end
        if not in_head and mention.start < tail_start:
            if _signature(text, mention) and mention.person not in signed:
                signed.append(mention.person)  # "Chris Bowen MP Minister for ..." after a page break
            continue
        if mention.kind not in ("full", "partial") or not mention.person:
            continue
        line_start, line_end = _line_bounds(text, mention.start, mention.end)
        if _BULLETED.match(text, line_start, line_end):
            continue  # "• Ms Jane Doe • Dr John Roe": a list of people appointed or named, not a letterhead
        heading = not _prose(text[line_start:line_end])
        if in_head and interviewed and mention.kind == "full" and heading and _WITH.search(
                text, max(line_start, mention.start - 30), mention.start):
            if mention.person not in issuers:  # "MTR Breakfast with Steve Price": the unnamed "HOST:"
                issuers.append(mention.person)
            continue
        if _is_issuer(text, mention, line_start, line_end, in_head and mention.start < HEAD_CHARS // 2):
            if mention.person not in issuers:
                issuers.append(mention.person)
    if len(signed) <= MAX_SIGNATURES:  # more is a list of ministers or participants, not a signature
        issuers.extend(key for key in signed if key not in issuers)
    # (every match holds one of the three spellings: most releases' tails hold none, and need no scan)
    has_office = any(text.find(spelling, tail_start) >= 0 for spelling in _OFFICE_SPELLINGS)
    for match in _OFFICE.finditer(text, tail_start) if has_office else ():
        name = _OFFICE_TITLES.sub("", match.group(1))
        if not name or len(name) < 3 or not all(is_name_word(word) for word in name.split()):
            continue
        key = people.resolve_name(name, match.start()) or people.add_person(
            display_name(name), None, match.start())
        if key and key not in issuers:
            issuers.append(key)
    return issuers
