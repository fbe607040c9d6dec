"""Events: numbered sessions, named conferences, summits, forums, dialogues and report launches."""

from __future__ import annotations

import logging
import re

from .organisations import abbreviate, acronym_definitions
from .variants import unify_name

LOGGER = logging.getLogger(__name__)

_UNITS = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEENS = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
          "seventeenth", "eighteenth", "nineteenth"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_TENS_ORD = ["", "", "twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth",
             "eightieth", "ninetieth"]


def _ordinal_words() -> dict[str, int]:
    table: dict[str, int] = {}
    for n in range(1, 100):
        if n < 10:
            words = _UNITS[n]
        elif n < 20:
            words = _TEENS[n - 10]
        elif n % 10 == 0:
            words = _TENS_ORD[n // 10]
        else:
            words = f"{_TENS[n // 10]}[- ]{_UNITS[n % 10]}"
        table[words] = n
    return table


_SMALL_ORDINALS = _ordinal_words()
_SMALL = "|".join(sorted(_SMALL_ORDINALS, key=len, reverse=True))
#: Digits ("112th") or words ("one hundred and twelfth", "seventy-eighth").
ORDINAL = (
    rf"(?:\d{{1,3}}(?:st|nd|rd|th)|(?:(?:one|two)\s+hundred(?:\s+and)?\s+)?(?:{_SMALL})|(?:one|two)\s+hundredth)"
)
_ORDINAL_RE = re.compile(ORDINAL, re.IGNORECASE)

#: A capitalised word or a year; upper-case words need no branch of their own ("[A-Z]{2,}" matches
#: nothing the first branch does not, and would only make failing matches try every split again).
_CAP = r"(?:[A-Z][\w'’-]*|\d{4})"
_CAPS = rf"{_CAP}(?:(?:\s+(?:of|for|on|and|the|&|de|du)\s+|\s+){_CAP}){{0,8}}(?:\s*\([A-Z]{{2,8}}\))?"
#: "112th Session of the IOM Council", "78th session of the UN General Assembly".
SESSION = re.compile(
    rf"\b(?:(?:the|The)\s+)?((?i:{ORDINAL}))\s+(?i:(?:regular|ordinary|special|extraordinary|annual|plenary)\s+)?"
    rf"(?i:session|meeting)\s+of\s+the\s+({_CAPS})"
)


def _at_word_start(branches: list[str]) -> str:
    """Regex branches that each start with a literal character, as one alternation that only matches at
    the start of a word (like a leading ``\\b``): the boundary is checked after that first character,
    so the engine jumps between those characters instead of trying every position."""
    return "|".join(f"{branch[0]}(?<!\\w{branch[0]}){branch[1:]}" for branch in branches)


#: \b(?i:session|meeting)\s+of\s+the\s, the first letter in each case ("ſ" is an "s" to the engine).
_SESSION_ANCHOR = re.compile(
    "(?:" + _at_word_start(["s(?i:ession)", "S(?i:ession)", "ſ(?i:ession)", "m(?i:eeting)", "M(?i:eeting)"])
    + r")\s+of\s+the\s"
)
_GENERAL_DEBATE = re.compile(r"\b[Gg]eneral\s+[Dd]ebate\s+(?:of|at)\s+(?:the\s*)?$")
_KEEP_SPELLED = frozenset({"UNGA", "UNSC", "GFMD"})
_EVENT_HEADS = [
    "Conference", "Summit", "Forum", "Dialogue", "Consultations?", "Hearing", "Congress", "Symposium", "Roundtable",
    r"Round\s+Table", "Workshop", r"Ministerial\s+Meeting", r"High-[Ll]evel\s+Meeting", "Retreat", "Colloquium",
    "Seminar",
]
#: "Bali Process Ministerial Conference", "Global Forum on Migration and Development".
_HEAD = re.compile(f"(?:{_at_word_start(_EVENT_HEADS)})" + r"(?![\w-])")
_NAME_LEFT = re.compile(rf"(?<![\w-])((?:(?:{_CAP}|\d{{1,3}}(?:st|nd|rd|th))[ \t]+){{1,6}})$")
_NAME_RIGHT = re.compile(
    rf"\s+(?:on|of|for)\s+(?:the\s+)?{_CAP}(?:(?:\s+(?:and|&|of|the|on)\s+|\s+){_CAP}){{0,6}}(?![\w-])"
)
#: "World Migration Report 2022": launched or presented.
REPORT = re.compile(rf"(?<![\w-])((?:{_CAP}[ \t]+){{1,5}}Report(?:\s+\d{{4}}(?:/\d{{2,4}})?)?)")
_REPORT_ANCHOR = re.compile(r"Report(?<!\wReport)\b")  # "\bReport\b", found by its letters
_LAUNCH_BEFORE = re.compile(
    r"(?:launch(?:ed|es|ing)?|presentation|presented|present(?:s|ing)?|unveil(?:ed|ing)?)"
    r"(?:\s+of)?\s+(?:the\s+)?(?:new\s+|latest\s+)?$",
    re.IGNORECASE,
)
_LAUNCH_AFTER = re.compile(r"^\s*(?:\(\w+\)\s*)?(?:was\s+|were\s+|is\s+|has\s+been\s+)?"
                           r"(?:launch|launched|presented|unveiled)\b", re.IGNORECASE)
_LEAD_WORDS = re.compile(
    r"^(?:(?:The|At|In|On|During|This|That|Last|Next|Speaking|Addressing|After|Before|Following|Ahead|"
    r"Today|Yesterday|Minister|Senator|Mr|Ms|Dr|President|When|While|His|Her|Our|Its|A|An|And|But|For|"
    r"With|From|To|By|Under|Welcome|Welcoming|Attend|Attending|Opening|Closing|Annual)\s+)+"
)
_GENERIC_NAMES = frozenset({
    "press conference", "news conference", "media conference", "joint press conference", "conference",
    "summit", "forum", "meeting", "session", "hearing", "workshop",
})


def ordinal_number(text: str) -> int | None:
    """The number of an ordinal in digits or words: "112th" -> 112, "one hundred and twelfth" -> 112."""
    text = " ".join(text.lower().replace("-", " ").split())
    match = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", text)
    if match:
        return int(match.group(1))
    hundreds = 0
    hundred = re.match(r"(one|two)\s+hundred(?:th)?(?:\s+and)?\s*", text)
    if hundred:
        hundreds = 100 if hundred.group(1) == "one" else 200
        text = text[hundred.end():]
        if not text:
            return hundreds
    for words, value in _SMALL_ORDINALS.items():
        if words.replace("[- ]", " ") == text:
            return hundreds + value
    return None


def _suffix(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}" + {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _tidy_body(body: str, defined: dict[str, str]) -> str:
    body = abbreviate(" ".join(body.split()), defined, _KEEP_SPELLED)
    body = re.sub(r"\s*\([A-Z]{2,8}\)$", "", body)
    body = re.sub(r"^United Nations\b", "UN", body)
    return body


def find_events(text: str) -> list[str]:
    """Canonical names of the events a text mentions, in order, without repeats or generic phrases."""
    defined = acronym_definitions(text)
    text = abbreviate(text, defined, _KEEP_SPELLED)
    hits: list[tuple[int, str]] = []
    session_spans: list[tuple[int, int]] = []
    matches: dict[int, re.Match[str]] = {}
    for anchor in _SESSION_ANCHOR.finditer(text):
        match = SESSION.search(text, max(0, anchor.start() - 60), anchor.end() + 240)
        if match:
            matches[match.start()] = match
    for match in matches.values():
        number = ordinal_number(match.group(1))
        body = _tidy_body(match.group(2), defined)
        if number is None or not body:
            continue
        kind = "Session" if "session" in match.group(0).lower() else "Meeting"
        name = f"{_suffix(number)} {kind} of the {body}"
        if _GENERAL_DEBATE.search(text[max(0, match.start() - 40): match.start()]):
            name = f"General Debate of the {name}"
        hits.append((match.start(), name))
        session_spans.append((match.start(), match.end()))
    for head in _HEAD.finditer(text):
        left = _NAME_LEFT.search(text, max(0, head.start() - 120), head.start())
        if left is None or any(s <= left.start() < e for s, e in session_spans):
            continue
        right = _NAME_RIGHT.match(text, head.end())
        end = right.end() if right else head.end()
        name = _LEAD_WORDS.sub("", " ".join(text[left.start(): end].split()))
        name = _tidy_body(name, defined)
        if name.lower() in _GENERIC_NAMES or len(name.split()) < 2 or name.isupper():
            continue
        if re.match(r"^(?:Press|News|Media|Joint)\b", name):
            continue
        hits.append((left.start(), name))
    reports = {}
    for anchor in _REPORT_ANCHOR.finditer(text):
        match = REPORT.search(text, max(0, anchor.start() - 100), anchor.end() + 12)
        if match:
            reports[match.start()] = match
    for match in reports.values():
        before = text[max(0, match.start() - 40): match.start()]
        after = text[match.end(): match.end() + 30]
        if _LAUNCH_BEFORE.search(before) or _LAUNCH_AFTER.match(after):
            report = _LEAD_WORDS.sub("", " ".join(match.group(1).split()))
            if len(report.split()) >= 2:
                hits.append((match.start(), f"{_tidy_body(report, defined)} launch"))
    events: list[str] = []
    for _, name in sorted(hits):
        name = unify_name(name)
        if name not in events:
            events.append(name)
    return events
