"""Speakers: people who speak, are quoted or issue the release (attribution verbs, headers, transcripts)."""

from __future__ import annotations

import logging
import re

from .mentions import parse_run
from .names import NOT_NAME, display_name
from .people import People
from .roles import label_role

LOGGER = logging.getLogger(__name__)

#: Verbs that make their subject a speaker ("believes" does not: a belief is not a speech act; "delivered"
#: only with a speech as its object, not "delivered surpluses").
SPEECH_VERBS = (
    r"said|says|say|told|tells|noted|notes|stressed|stresses|emphasi[sz]ed|emphasi[sz]es|added|adds|stated|"
    r"states|explained|explains|announced|announces|called|calls|urged|urges|warned|warns|expressed|"
    r"expresses|declared|declares|insisted|insists|argued|argues|claimed|claims|commented|remarked|"
    r"pointed\s+out|underlined|highlighted|affirmed|asserted|acknowledged|admitted|observed|replied|"
    r"responded|wrote|writes|tweeted|recalled|reiterated|underscored|addressed|"
    r"delivered(?=\s+(?:(?:a|an|the|his|her|their|its|this|today's|yesterday's)\s+)?(?:\w+\s+){0,2}"
    r"(?:speech|address|remarks|statement|lecture|oration|keynote|message|eulogy|sermon|talk|paper)\b)|"
    r"made\s+(?:\w+\s+){0,2}(?:speech|speeches|remarks|statement|statements|address)|spoke|speaks|"
    r"confirmed|revealed|(?:continued|concluded)(?=\s*[,:\"“]|\s+(?:that|by\s+saying)\b)|predicted|promised|vowed|conceded|suggested|cautioned|"
    r"maintained|welcomed|welcomes|condemned|critici[sz]ed|praised|thanked|"
    r"(?:did|does)\s+not\s+(?:say|rule\s+out)|questioned|asked|told\s+reporters|reckons|reckoned|"
    r"indicated|assured|assures|reminded\s+us|reminds\s+us|(?<!has\s)(?<!have\s)made\s+it\s+clear"
)
#: Verbs before a name that make it the speaker: '"...," said Mr Smith'.
_VERBS_BEFORE = (
    r"said|says|added|adds|stated|noted|explained|continued|concluded|wrote|writes|commented|remarked|"
    r"insisted|argued|warned|stressed|declared|according\s+to|tweeted|replied|responded|asked|quoting|quoted"
)
_ADVERBS = (
    r"(?:(?:has|have|had|also|further|then|later|today|yesterday|again|previously|earlier|recently|once|first|"
    r"publicly|strongly|repeatedly|clearly|will|would|was|is|quickly|immediately|subsequently|personally|"
    r"formally|officially|last\s+\w+|this\s+\w+|on\s+\w+day|\w+day|in\s+a\s+statement|in\s+\w+|"
    r"[a-z]{3,}ly,?)\s+){0,3}"  # (any adverb: "who, incidentally, says")
)
#: An occasion between "who" and the verb: "who in his first address to the Assembly (see A/1/PV.1) said".
_OCCASION = r"(?:(?:in|at|during|on|before|after)\s+(?:[^.;!?\n\"“”]|\.(?!\s)|\n(?![ \t]*\n)){0,100}?\s+)"
#: Verbs that attribute a direct quote.
QUOTE_VERBS = (
    r"said|says|say|told|tells|noted|notes|stressed|emphasi[sz]ed|added|adds|stated|explained|announced|"
    r"urged|warned|declared|insisted|argued|claimed|commented|remarked|pointed\s+out|affirmed|asserted|"
    r"acknowledged|admitted|observed|replied|responded|wrote|writes|tweeted|recalled|reiterated|continued|"
    r"concluded|predicted|promised|vowed|conceded|suggested|cautioned|maintained|asked|told\s+reporters|"
    r"issued\s+(?:a|the\s+following)\s+statement|went\s+so\s+far\s+as\s+to\s+say|sings|joked|quipped|"
    r"agreed|agrees|answered|pressed|opined|countered|retorted|shot\s+back|put\s+it|puts\s+it|explained"
)


def attribution_after(verbs: str) -> re.Pattern[str]:
    """A pattern matched right after a name: optional apposition and adverbs, then one of ``verbs``."""
    return re.compile(
        rf"(?:\s*,\s*(?P<appos>(?:[^,.;:“”\"\n]|\.(?!\s+[A-Z])){{1,160}}?)\s*,)?\s*(?:\([^)]{{0,80}}\)\s*)?"
        rf",?\s*(?:who\s+{_OCCASION}?)?{_ADVERBS}"
        rf"(?:{verbs})\b"
    )


ATTRIBUTION_AFTER = attribution_after(SPEECH_VERBS)
QUOTE_ATTRIBUTION_AFTER = attribution_after(QUOTE_VERBS)
ATTRIBUTION_BEFORE = re.compile(
    rf"\b(?:(?:{_VERBS_BEFORE})\s*,?\s*(?:today\s+|yesterday\s+)?|(?i:in\s+the\s+words\s+of)\s+|(?i:(?:speech|statement|address|remarks|"
    rf"message|interviews?|op-ed|article|letter|transcript|paper|presentation|lecture|oration|keynote|talk|"
    rf"submission|testimony)\s+(?:\w+\s+){{0,2}}(?:by|from|with)|(?:issued|released|authori[sz]ed|delivered|presented|given|"
    rf"written|prepared)(?:\s+[^.\n]{{0,24}})?\s+by)\s+)(?:the\s+)?$"
)
#: What an ``ATTRIBUTION_BEFORE`` match ends with, before an optional "the" and the closing spaces: a
#: verb ("according to": "to"), "today", "yesterday", a comma, or "by"/"from"/"with" in any case.
_BEFORE_ENDINGS = tuple(verb.split("\\s+")[-1] for verb in _VERBS_BEFORE.split("|")) + ("today", "yesterday", ",")
_BEFORE_CASED_ENDINGS = frozenset({"by", "from", "with", "of"})  # ("of": "in the words of")


def _may_end_attribution(tail: str) -> bool:
    """False when no ``ATTRIBUTION_BEFORE`` match can end with ``tail`` (right-stripped)."""
    return (
        tail.endswith(_BEFORE_ENDINGS)
        or tail[-2:].lower() in _BEFORE_CASED_ENDINGS
        or tail[-4:].lower() in _BEFORE_CASED_ENDINGS
        or not tail[-4:].isascii()  # (a case-insensitive "i" also matches "ı" and "İ": let the regex decide)
    )


def attribution_before(text: str, start: int, end: int) -> re.Match[str] | None:
    """``ATTRIBUTION_BEFORE.search(text, start, end)``, tried only when ``text[start:end]`` ends (after
    spaces and an optional "the") as a match must: most windows before a name end otherwise."""
    tail = text[start:end].rstrip()
    if not _may_end_attribution(tail) and not (tail.endswith("the") and _may_end_attribution(tail[:-3].rstrip())):
        return None
    return ATTRIBUTION_BEFORE.search(text, start, end)


def _reported_subject(text: str, match: re.Match[str]) -> bool:
    """True when an inverted attribution ("said Mr Smith") follows a word, not a quote or a comma: the
    name is then the subject of the reported clause ("Senator Jones said Minister Smith has failed")."""
    verb = match.group().split()[0].lower()
    if verb not in _INVERTED_VERBS:
        return False
    before = text[max(0, match.start() - 2): match.start()].rstrip(" \t")
    return bool(before) and (before[-1].isalnum() or before[-1] == ")")


#: Verbs of ``_VERBS_BEFORE`` that take the name after them only in an inversion after a quote or comma.
_INVERTED_VERBS = frozenset(
    verb for verb in (v.split("\\s+")[0] for v in _VERBS_BEFORE.split("|"))
    if verb not in ("according", "quoting", "quoted")
)


#: A passive speech verb at the end of an attribution match ("was criticised", "has been thanked"); "was
#: told" and "was asked" stay attributions (the person answers in the release more often than not).
_PASSIVE = re.compile(r"\b(?:was|were|is|are|been|being|be)\s+(?:\w+ly\s+)?(?!told\b|asked\b)\w+ed$")
_COMMA_ONLY = re.compile(r"\s*,\s*")
_AND_BETWEEN = re.compile(r"^\s*,?\s*and\s+(?:the\s+)?$")
_AND_WITH_BETWEEN = re.compile(r"^\s*,?\s*and\s+(?:(?:with|by|from)\s+)?(?:the\s+)?$")
#: "CHRIS BOWEN: ..." turns at line starts.
#: An upper-case word of a label, "McGOWAN" and "MacKELLAR" included.
_CAPS_WORD = r"[A-Z](?:(?<=M)a?c(?=[A-Z]))?"
TURN = re.compile(
    rf"^[ \t]*((?:{_CAPS_WORD}[A-Z'’.&-]*,?[ \t]+){{0,12}}{_CAPS_WORD}[A-Z'’-]+)[ \t]*:\s*(?=\S)", re.MULTILINE
)
#: "Scott Morrison: ..." turns in mixed case (two to four capitalised words).
MIXED_TURN = re.compile(
    r"^[ \t]*((?:[A-Z][\w'’.-]*[ \t]+){1,3}[A-Z][\w'’-]+)[ \t]*:[ \t]*(?=\S)", re.MULTILINE
)
#: "JULIE BISHOP Good morning." turns without a colon: an upper-case name, then a sentence.
BARE_TURN = re.compile(
    rf"^[ \t]*({_CAPS_WORD}[A-Z'’-]+(?:[ \t]{_CAPS_WORD}[A-Z'’-]+){{1,2}})[ \t]+(?=[A-Z][a-z’']|[a-z])", re.MULTILINE)
#: Turn labels that are titles: "PM:", "PRIME MINISTER:", "TREASURER:".
_LABEL_TITLES = {"PM": "Prime Minister", "MINISTER": "Minister", "TREASURER": "Treasurer",
                 "PREMIER": "Premier", "SENATOR": "Senator"}


def _colon_turns(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """``list(pattern.finditer(text))`` for ``TURN`` or ``MIXED_TURN``, whose matches start at a line start
    and reach a colon on that line: the pattern is only tried at the starts of lines holding a colon."""
    matches: list[re.Match[str]] = []
    position = 0
    colon = text.find(":")
    while colon >= 0:
        line_start = text.rfind("\n", 0, colon) + 1
        if line_start >= position:
            match = pattern.match(text, line_start)
            if match:
                matches.append(match)
                position = match.end()
        line_end = text.find("\n", colon)
        colon = text.find(":", line_end) if line_end >= 0 else -1
    return matches


#: The start of a line that opens with two upper-case letters, as a ``BARE_TURN`` label does (after the
#: line break, which the engine finds fast).
_UPPER_LINE = re.compile(r"\n[ \t]*[A-Z][A-Z'’-]")


def _bare_turn_matches(text: str) -> list[re.Match[str]]:
    """``list(BARE_TURN.finditer(text))``, trying the pattern only at lines that open in upper case."""
    starts = [0] + [match.start() + 1 for match in _UPPER_LINE.finditer(text)]
    matches: list[re.Match[str]] = []
    position = 0
    for start in starts:
        if start >= position:
            match = BARE_TURN.match(text, start)
            if match:
                matches.append(match)
                position = match.end()
    return matches


def _title_holder(people: People, title: str, position: int, issuers: list[str]) -> str | None:
    """The person a title label names: the holder of that role, else the one issuer without another role."""
    key = people.resolve_title(title, position)
    if key is None:
        free = [k for k in issuers if not people.persons[k].role or title.lower() in people.persons[k].role.lower()]
        key = free[0] if len(free) == 1 else None
    return key


def _bare_turns(people: People, text: str) -> list[tuple[int, int, str | None]]:
    """Colon-less turns ("MARK PARTON It was..."), only for labels that open two lines or more."""
    matches = _bare_turn_matches(text)
    counts: dict[str, int] = {}
    for match in matches:
        counts[match.group(1)] = counts.get(match.group(1), 0) + 1
    if sum(1 for match in matches if counts[match.group(1)] >= 2) < 3:
        return []
    turns: list[tuple[int, int, str | None]] = []
    for match in matches:
        if counts[match.group(1)] < 2:
            continue
        key = None
        for mention in parse_run(text, *match.span(1)):
            if mention.kind == "full" and mention.name:
                key = people.resolve_name(mention.name, match.start()) or people.add_person(
                    mention.name, mention.role, match.start())
        turns.append((match.start(), match.end(), key))
    return turns


#: A name the interviewer addresses: "Mr Hawke, ...", "... Prime Minister Gillard?", "Senator Wong,".
_VOCATIVE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Senator|Minister|Prime Minister|Treasurer|Premier)\.?\s+([A-Z][\w'’-]+)(?=\s*[,?.!]|\s+thank)"
)


def _addressed(people: People, text: str, turns: list[tuple[int, int, str | None]],
               titled: dict[str, list[int]]) -> list[tuple[int, int, str | None]]:
    """Resolve title labels no one holds by name ("PM:") to the surname the other turns address most."""
    if not titled:
        return turns
    starts = [start for start, _, _ in turns]
    for positions in titled.values():
        if any(key for start, _, key in turns if start in positions):
            continue
        votes: dict[str, int] = {}
        for index, (start, content, _) in enumerate(turns):
            if start in positions:
                continue
            end = starts[index + 1] if index + 1 < len(starts) else min(len(text), content + 600)
            for match in _VOCATIVE.finditer(text, content, end):
                votes[match.group(1)] = votes.get(match.group(1), 0) + 1
        if not votes:
            continue
        surname = max(votes, key=lambda name: (votes[name], -text.find(name)))
        if surname.lower() in NOT_NAME:
            continue
        key = people.resolve_name(surname, positions[0]) or people.add_person(surname, None, positions[0])
        turns = [(start, content, key if start in positions else old) for start, content, old in turns]
    return turns


def _named_elsewhere(people: People, key: str, start: int, end: int) -> bool:
    """True when the person is mentioned outside ``text[start:end]`` (a turn label's own words)."""
    person = people.persons[key]
    return any(not start <= position < end for position in (person.mentions or [person.first]))


def transcript_turns(people: People, text: str, issuers: list[str] | None = None) -> list[tuple[int, int, str]]:
    """(start, end, key) of each turn by a named person: "CHRIS BOWEN: ...", "PRIME MINISTER: ...", "PM: ..."
    (a title resolves to its holder, else to the release's one issuer)."""
    issuers = issuers or []
    turns: list[tuple[int, int, str | None]] = _bare_turns(people, text)
    titled: dict[str, list[int]] = {}  # title labels ("PM") -> starts of their turns
    labels = _colon_turns(MIXED_TURN, text)
    if len(labels) < 2 or len({match.group(1) for match in labels}) < 2:
        labels = []  # one "Name: ..." line is a headline, not a transcript
    counts: dict[str, int] = {}
    for match in labels:
        counts[match.group(1)] = counts.get(match.group(1), 0) + 1
    for match in labels:  # "Scott Morrison: ..." in mixed case: a known person, or a label used twice
        if match.group(1).isupper():
            continue
        key = people.resolve_name(match.group(1), match.start())
        if key is not None and counts[match.group(1)] < 2 and not _named_elsewhere(people, key, *match.span(1)):
            key = None  # a label used once and named nowhere else: "Quick Find:", "Super Example Me: The Series"
        if key is None and counts[match.group(1)] >= 2:
            for mention in parse_run(text, *match.span(1)):
                if mention.kind == "full" and mention.name:
                    key = people.add_person(mention.name, mention.role, match.start())
        turns.append((match.start(), match.end(), key))
    for match in _colon_turns(TURN, text):
        label_start, label_end = match.span(1)
        key = None
        label = match.group(1).strip()
        name_part, comma, role_part = label.partition(",")
        if comma and 2 <= len(name_part.split()) <= 4:  # "TONY EASTLEY, HOST:", "BILL SHORTEN, LEADER OF ...:"
            name = display_name(name_part.strip())
            role = label_role(role_part)
            key = people.resolve_name(name, match.start()) or people.add_person(name, role, match.start())
            if role and not people.persons[key].role:
                people.persons[key].role = role
            turns.append((match.start(), match.end(), key))
            continue
        if " " not in label:  # "BOWEN:" refers to a person named in full elsewhere; "PM:" to a title
            key = people.resolve_name(display_name(label), match.start())
            if key is None and label in _LABEL_TITLES:
                key = _title_holder(people, _LABEL_TITLES[label], match.start(), issuers)
                titled.setdefault(label, []).append(match.start())
            turns.append((match.start(), match.end(), key))
            continue
        for mention in parse_run(text, label_start, label_end):
            if mention.kind == "title":
                key = _title_holder(people, mention.role or "", match.start(), issuers)
                titled.setdefault(label, []).append(match.start())
            elif mention.name and mention.kind == "full":
                key = people.resolve_name(mention.name, match.start()) or people.add_person(
                    mention.name, mention.role, match.start())
            elif mention.name:
                key = people.resolve_name(mention.name, match.start())
            role = label_role(mention.role) if key and mention.name and mention.role else None
            if role and len(role.split()) > 1 and not people.persons[key].role:
                people.persons[key].role = role  # "PRIME MINISTER EXAMPLE:" (not a bare "MINISTER X:")
        turns.append((match.start(), match.end(), key))
    turns.sort()
    turns = _addressed(people, text, turns, titled)
    result: list[tuple[int, int, str]] = []
    for index, (_, content_start, key) in enumerate(turns):
        end = turns[index + 1][0] if index + 1 < len(turns) else len(text)
        if key:
            result.append((content_start, end, key))
    return result


def attributed_speakers(people: People, text: str) -> list[tuple[int, str]]:
    """(position, key) for each mention that is the subject of a speech verb or follows '"...," said'."""
    found: list[tuple[int, str]] = []
    mentions = people.mentions
    attributed = [False] * len(mentions)
    by_before = [False] * len(mentions)
    for index, mention in enumerate(mentions):
        if not mention.person or mention.kind == "apposition":
            continue
        after = ATTRIBUTION_AFTER.match(text, mention.end, mention.end + 260)
        if after is None and index + 1 < len(mentions) and mentions[index + 1].kind == "apposition":
            after = ATTRIBUTION_AFTER.match(text, mentions[index + 1].end, mentions[index + 1].end + 200)
        if after and _PASSIVE.search(after.group()):
            after = None  # "Mr X was criticised / was welcomed by ...": X did not speak
        # (only whether a verb comes before matters, and only when none follows)
        before = None if after else attribution_before(text, max(0, mention.start - 40), mention.start)
        if before and _reported_subject(text, before):
            before = None  # "Senator Jones said Minister Smith has failed"
        if not after and before is None and index and mentions[index - 1].kind == "title":
            title = mentions[index - 1]  # 'speech by the Minister for Trade, Dr Neal Blewett'
            if _COMMA_ONLY.fullmatch(text, title.end, mention.start):
                before = attribution_before(text, max(0, title.start - 40), title.start)
        if after or before:
            attributed[index] = True
            by_before[index] = not after
            if after and after.group("appos") and not people.persons[mention.person].role:
                appos = after.group("appos")
                for sub in parse_run(appos, 0, len(appos)):
                    if sub.kind == "title":
                        people.persons[mention.person].role = sub.role
    for index in range(len(mentions) - 2, -1, -1):  # "X and Y made opening speeches"
        nxt = mentions[index + 1]
        if attributed[index + 1] and mentions[index].person and nxt.person:
            if _AND_BETWEEN.match(text[mentions[index].end: nxt.start]):
                attributed[index] = True
    for index in range(1, len(mentions)):  # "interviews with X and with Y", "a speech by X and Y"
        previous, mention = mentions[index - 1], mentions[index]
        if by_before[index - 1] and previous.person and mention.person and mention.kind != "apposition":
            if _AND_WITH_BETWEEN.match(text[previous.end: mention.start]):
                attributed[index] = by_before[index] = True
    for index, mention in enumerate(mentions):
        if attributed[index] and mention.person:
            found.append((mention.start, mention.person))
    return found
