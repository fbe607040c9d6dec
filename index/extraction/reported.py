"""Reported speech without quotation marks: people whose words a release reports on a particular occasion.

The attribution rules in ``speakers`` take a name right before a speech verb ("Jane Doe said that ...")
or after an inverted one ('"...," said Jane Doe'). This module adds the constructions they leave out:

- "According to Jane Doe, ..." opening a sentence (the lower-case form is in ``speakers``), also with
  a title before the name ("According to the Shadow Treasurer, Jane Doe, ...").
- A body between the name and the verb: "Jane Doe of the Refugee Council said ...", and unnamed others:
  "Jane Doe and others have argued ...".
- An occasion between the name and the verb: "Jane Doe in an article for the Herald wrote ...".
- "Jane Doe has written to the Minister ...", "Jane Doe is reported as saying ...", "Jane Doe gave
  evidence ...", "Jane Doe is calling on the Government ...", "Jane Doe made it clear ...", "Jane Doe
  accused / described / labelled / branded / dismissed the claims ...", "Jane Doe complained ...".
- The point or remarks someone made: "the point that Foreign Minister Doe made", "the comments Jane Doe
  made yesterday", "the remarks made by Jane Doe".
- A pronoun right after the name: "Jane Doe when she said ...".
- A questioner who names themselves in a transcript: "JOURNALIST: Jane Doe from the Herald. ...".

Each rule requires the person to be the subject of the reporting clause (a name after "to", "by" or
"with" is an addressee or an object, except in "made by"), a named person (not a bare title), and a verb
of a particular occasion (no "would say", "has long argued", "is expected to").
"""

from __future__ import annotations

import logging
import re

from .mentions import Mention
from .people import People

LOGGER = logging.getLogger(__name__)

_NAMED = frozenset({"full", "partial", "bare"})
#: Adverbs and times between a subject and its verb ("has today", "also", "last week").
_ADV = (r"(?:(?:has|had|have|also|once|today|yesterday|recently|earlier|then|later|again|this\s+(?:week|morning)|"
        r"last\s+(?:week|month|night)|on\s+\w+day)\s+){0,3}")
_VERBS = (r"said|says|told|tells|wrote|writes|stated|states|announced|announces|warned|warns|argued|argues|"
          r"claimed|claims|declared|explained|noted|insisted|stressed|added|confirmed|revealed|urged|"
          r"called\s+(?:on|for)|pointed\s+out|acknowledged|admitted|conceded|put\s+it")
#: A body's name in the possessive before a title and name: "the Kokoda Foundation's Dr Jane Doe".
_BODY_OF = r"(?:[A-Z][\w&-]*\s+){0,5}[A-Z][\w&-]*(?:'s|’s)\s+"
#: Sentence-initial "According to (the)", right before a name or a title.
_ACCORDING = re.compile(rf"\bAccording\s+to\s+(?P<the>the\s+)?(?P<body>{_BODY_OF})?$")
#: A capitalised word of a body's name ("U.N." keeps its dots; a full stop before a space ends the sentence).
_BODY_WORD = r"[A-Z][\w'’&-]*(?:\.[\w'’&-]+)*(?:\.(?!\s))?"
#: "of the Refugee Council said": a capitalised body after the name, then the verb.
_OF_BODY_VERB = re.compile(
    rf"\s+(?:of|from|at)\s+(?:the\s+)?(?:{_BODY_WORD}(?:\s+(?:of|for|and|on|in|the|&))*\s+){{0,7}}"
    rf"{_BODY_WORD}(?:\s*\([A-Z]{{2,}}\))?\s*,?\s+{_ADV}(?:{_VERBS})\b"
)
#: "in an article for the Herald wrote": an occasion (a speech, article, letter) between the name and verb.
_OCCASION_VERB = re.compile(
    r"\s*,?\s+(?:in|at|during)\s+(?:a|an|his|her|their|the|this|today's|yesterday's)\s+(?:[\w'’-]+\s+){0,5}?"
    r"(?:speech|address|article|letter|interview|statement|op-ed|column|submission|lecture|message|"
    r"remarks|paper|essay|evidence|testimony|briefing|press\s+conference)\b[^.;!?\n\"“”]{0,80}?,?\s+"
    rf"{_ADV}(?:{_VERBS})\b"
)
#: "and others have argued": a person named with unnamed others as the subject.
_AND_OTHERS = re.compile(rf"\s+and\s+(?:others|colleagues|his\s+colleagues|her\s+colleagues)\s+{_ADV}(?:{_VERBS})\b")
#: "is reported as saying", "was quoted as saying", "is reported to have said", "gave evidence", "testified".
_QUOTED_AS = re.compile(
    r"\s*,?\s+(?:(?:was|is|has\s+been|had\s+been)\s+(?:\w+ly\s+|also\s+|today\s+|yesterday\s+)?(?:quoted|reported)\s+"
    r"(?:as\s+saying|as\s+telling|to\s+have\s+(?:said|told|written|declared))|"
    rf"{_ADV}(?:gave\s+evidence|testified)\b)"
)
#: "is calling on the Government", "has been saying this morning" (not "for months": a record).
_PROGRESSIVE = re.compile(
    r"\s*,?\s+(?:is|are|has\s+been|have\s+been)\s+(?:(?:today|now|also|again|this\s+morning)\s+)?"
    r"(?:saying|calling\s+(?:on|for)|urging|warning|claiming|arguing|demanding|telling)\b"
    r"(?![^.;!?\n]{0,60}\b(?:for\s+(?:months|years|weeks|decades|some\s+time|a\s+long\s+time)|since|always)\b)"
)
#: Speech acts named by what they said of something: "made it clear", "accused the Government of",
#: "described the plan as", "labelled", "branded", "dismissed the claims", "complained" (active voice only:
#: "guards accused of", "described as" and "described by" are passives; not a record "for months").
_SPEECH_ACT = re.compile(
    rf"\s*,?\s+{_ADV}(?:made\s+(?:it\s+)?(?:very\s+|quite\s+|abundantly\s+|perfectly\s+)?clear|accused(?!\s+of\b)|"
    r"described(?!\s+(?:as|by|in|on)\b)|labell?ed(?!\s+(?:as|by)\b)|branded(?!\s+(?:as|by)\b)|"
    r"dismissed(?=\s+(?:(?:the|these|those|his|her|their|such|any|all|this|that)\s+)?(?:claims?|suggestions?|"
    r"reports?|concerns?|criticism|calls?|fears?|speculation|comments?|idea|proposal|warnings?)\b|[^.;!?\n]{0,60}\bas\b)|"
    r"complained)\b"
    r"(?![^.;!?\n]{0,60}\b(?:throughout|for\s+(?:months|years|weeks|decades)|always|since)\b)"
)
#: "Jane Doe when she said": a pronoun right after the name that refers to it, then a speech verb.
_WHEN_PRONOUN = re.compile(
    rf"\s*,?\s+(?:when|as|after|where|because)\s+(?:he|she)\s+{_ADV}(?:{_VERBS}|reckons|reckoned|suggested|"
    r"told\s+\w+|tweeted|predicted)\b"
)
#: "has written to the Minister", "had recently written that".
_WRITTEN = re.compile(
    r"\s*,?\s+(?:has|had|have)\s+(?:(?:today|also|now|again|recently|already|just|personally|this\s+week)\s+)?"
    r"written\b(?!\s+off)(?=\s*[:,]|\s+(?:to|that|in|a|an|of|about|on|this)\b)"
)
#: "the point that ... made": a remark noun and a relative "that"/"which" before the name ...
_REMARK_BEFORE = re.compile(
    r"\b(?:point|points|comment|comments|remark|remarks|statement|statements|observation|observations|"
    r"argument|arguments|announcement|promise|pledge|commitment|claim|claims|undertaking|speech|address|"
    r"words)\s+(?:that\s+|which\s+)?(?:the\s+)?$"
)
#: ... and "made" after it.
#: (with no object of its own after the verb: "the claims that Jane Doe made a deal" is about a deal).
_MADE_AFTER = re.compile(
    r"\s*,?\s+(?:has\s+|had\s+|have\s+|just\s+|also\s+|only\s+|recently\s+)*(?:made|gave|delivered|put|raised)"
    r"(?![^.;!?\n]{0,60}\b(?:in\s+the\s+past|over\s+the\s+years|for\s+years|always)\b)"  # (a record, not an occasion)
    r"(?=\s*[,.;:!?)]|\s+(?:yesterday|today|tonight|last|earlier|this|in|at|on|during|when|to|about|recently|before|"
    r"after|over|here|there|then|while|is|was|are|were|has|had|and|but)\b)"
)
#: "the comments made by (the)": a remark noun, "made by", then the name.
_MADE_BY = re.compile(
    r"\b(?:(?:point|points|comments?|remarks?|statements?|observations?|arguments?|announcements?|claims?|"
    r"promises?|pledges?|commitments?|undertakings?)\s+(?:\w+\s+)?(?:made|given|offered|put)|"
    r"(?:was|were|has\s+been|had\s+been|[Aa]s)\s+(?:said|stated|announced|written|declared)|"
    r"(?:[Ww]hen|[Aa]s|[Ii]f|[Oo]nce|(?:was|were|being)(?:\s+\w+ly)?)\s+asked(?:\s+[a-z]+){0,3})\s+by\s+(?:the\s+)?$"
)
#: A questioner's label in a transcript, with an optional "Mr Doe, " addressing the answerer ...
_LABEL_BEFORE = re.compile(
    r"(?:^|\n)[ \t]*(?:JOURNALIST|QUESTION|REPORTER)\s*:\s*(?:(?:Mr|Mrs|Ms|Dr|Senator|Minister|Premier|Treasurer|"
    r"Prime\s+Minister)\.?(?:\s+[A-Z][\w'’-]+)?\s*,\s*)?$"
)
#: ... and the body the questioner names after their own name: "Jane Doe from the ABC", "Jane Doe, Example
#: News." (not another person: "Mr Roe, Mr Poe, ... all knew").
_BODY_AFTER = re.compile(r"(?:\s*,\s*(?:Mr|Mrs|Ms|Dr|Senator|Minister|Premier|Prime\s+Minister)\.?"
                         r"(?:\s+[A-Z][\w'’-]+)?)?(?:\s*,?\s+(?:from|with|of|at)\s+(?:the\s+)?[A-Z]|"
                         r"\s*,\s+(?!(?:Mr|Mrs|Ms|Dr|Senator)\b)(?:[A-Z][\w'’&-]*\s+){0,3}[A-Z][\w'’&-]*\s*[,.])")
#: A chair giving the floor: "the first question today is from Jane Doe", "The next question is from".
_QUESTION_FROM = re.compile(
    r"\b(?:[Ff]irst|[Nn]ext|[Ll]ast|[Ff]inal|[Tt]he|[Oo]ur|[Aa])\s+(?:\w+\s+){0,2}question\s+(?:\w+\s+){0,3}from\s+$")
#: Words before a subject that keep it a subject ("that Jane Doe told", "and Jane Doe wrote").
_SUBJECT_WORDS = frozenset("that and but when while as because where today yesterday also then now so".split())
#: Words that take the name after them as their object: prepositions and verbs ("a letter to Jane Doe",
#: "met Jane Doe"; verbs in -ed, -ing and -s are caught by their ending).
_OBJECT_WORDS = frozenset(
    "to by with from for of about on at against into onto over under than like unlike via per towards toward "
    "between among including include includes met meet meets told tell tells asked ask thank thanks congratulate "
    "appoint elect sue name call let made make see saw hear invite urge if unless whether"
    .split()
)
#: Nouns in -s before a subject ("In his address Jane Doe wrote").
_NOUN_S = frozenset("address interviews news remarks comments this".split())
#: Where "According to (the)" ends (the rule checks its own window there).
_ACCORDING_ANY = re.compile(r"\bAccording\s+to\s+(?:the\s+)?")
_ACCORDING_BODY = re.compile(rf"\bAccording\s+to\s+(?:the\s+)?{_BODY_OF}")
#: The first word after a name that one of the rules after the name can start with (a cheap gate).
_AFTER_FIRST = frozenset(
    "has had have also today yesterday recently earlier then later again this last on is are was of from at in "
    "during and made gave delivered put raised just only accused described labelled labeled branded dismissed "
    "complained testified when as after where because come out saying who's who’s who who, the a an his her their our"
    .split()
)
_HONOURABLE = re.compile(r"[Tt]he\s+(?:Hon|Rt|Right|Most|Reverend|Rev)\b")
#: A year or page in brackets after a name: an academic citation, not an occasion of speech.
_CITATION = re.compile(r"\s*\((?:\d{4}|[a-z]+\.?\s+\d)")
#: "has come out saying", "is out there saying", "on the radio this morning saying that", ", who ..., saying
#: that": the words a person is heard or seen saying (also as the object of "heard", "saw", "got").
_SAYING = re.compile(
    r"(?:\s*,?\s+(?:(?:has|had|is|was|were|are|have)\s+(?:(?:also|today|now|again|just)\s+)?)?"
    r"(?:come\s+out\s+|gone\s+out\s+|out\s+there\s+|(?:on|in)\s+(?:the\s+)?(?:radio|television|TV|news|media|"
    r"record)\b[^.;!?\n\"“”]{0,40}?\s+)?|\s*,[^.;!?\n\"“”]{3,80}?,\s*)saying\b(?=\s*,?\s*(?:that\b|[\"“‘']|[a-z]))"
)
#: "the Prime Minister of Nepal, who, in addressing the Assembly in 1960, said": a relative clause whose
#: subject is the person ("who" right after the name or its apposition; not "who was told").
_WHO_SAID = re.compile(
    r"\s*,\s*(?:(?:the|a|an|his|her|their|our)\s+[^,.;!?\n\"“”]{1,80},\s*)?who\b(?!\s+(?:was|were|is|had\s+been|has\s+been)\s+(?:told|asked|quoted))"
    r"(?:(?!\b(?:when|while|after|before|because|since|where|whereas|although|though|and|but|that|which|whom|if)\b)"
    r"[^.;!?\n\"“”]){0,120}?"
    rf"(?<![Tt]o\s)\b(?:{_VERBS})\b(?!\s+(?:by|to\s+have)\b)"
)
#: "Jane Doe's comments that ...": a remark of the person's, by its noun, on an occasion.
_POSSESSIVE_REMARK = re.compile(
    r"['’]s?\s+(?:(?:recent|latest|earlier|reported|public|own)\s+)?(?:comments?|remarks?|statements?|claims?|"
    r"words|assertions?|warnings?|suggestions?|announcement|call|speech|address)\s+"
    r"(?:that|about|on|to|at|yesterday|today|this|last|in\s+which)\b"
)
#: "to quote Jane Doe", "If I may quote Nobel laureate Jane Doe on this:": words given as the person's.
_QUOTE_BEFORE = re.compile(
    r"\b(?:[Tt]o|[Mm]ay|[Ll]et\s+me|I\s+will|I'll|I\s+would|I)\s+quote\s+(?:the\s+(?:[a-z]+\s+){0,2})?"
    r"(?:[A-Z][\w'’.-]*\s+){0,6}$")
#: Verbs of perceiving whose object can be the one heard saying something.
_PERCEIVERS = frozenset("heard hear hears saw see sees seen watched watch got have has had".split())


def _subject_place(text: str, start: int) -> bool:
    """True when the words before ``start`` leave a name there the subject of a clause: a sentence or
    clause start, a conjunction, a capitalised word (the end of a role: "Greens Senator") or a noun ("In the
    speech Jane Doe ..."); not a preposition or a verb that would take the name as its object."""
    before = text[max(0, start - 30): start].rstrip()
    if not before:
        return True
    if not before[-1].isalpha():
        return before[-1] not in "-–"
    word = before.rsplit(None, 1)[-1]
    low = word.lower()
    if low in ("the", "a", "an"):
        return False  # "The Master Builders are saying": a person's name takes no article
    return low in _SUBJECT_WORDS or word[0].isupper() or not (
        low in _OBJECT_WORDS or low.endswith(("ed", "ing")) or low.endswith("s") and low not in _NOUN_S)


def _perceiver_before(text: str, start: int) -> bool:
    """True when the word before ``start`` is a verb of perceiving ("heard Jane Doe saying", "you've got
    Jane Doe saying")."""
    before = text[max(0, start - 20): start].split()
    return bool(before) and before[-1].lower() in _PERCEIVERS


def _head(mentions: list[Mention], index: int, text: str) -> int:
    """Start of a name's clause subject: the name, or the title right before it ("the Minister, Jane Doe")."""
    mention = mentions[index]
    if index:
        previous = mentions[index - 1]
        if previous.kind == "title" and not text[previous.end: mention.start].strip(" ,\t"):
            return previous.start
    return mention.start


def _after_word(text: str, end: int) -> str:
    """The first word after ``end`` (after a comma), in lower case: "has" in "Jane Doe, has written"."""
    return text[end: end + 24].lstrip(" ,\t\n").partition(" ")[0].lower()


def reported_speakers(people: People, text: str) -> list[tuple[int, str]]:
    """(position, key) of people whose words the release reports without quotation marks, in the
    constructions the attribution rules of ``speakers`` leave out (see the module's docstring)."""
    # (one scan of the text at most: the other rules are gated by cheap checks around each name)
    according = {match.end() for pattern in (_ACCORDING_ANY, _ACCORDING_BODY) for match in pattern.finditer(text)
                 } if "According to" in text else set()
    found: list[tuple[int, str]] = []
    mentions = people.mentions
    for index, mention in enumerate(mentions):
        key = mention.person
        if not key or mention.kind not in _NAMED:
            continue
        end = mention.end
        if index + 1 < len(mentions) and mentions[index + 1].kind == "apposition":
            end = mentions[index + 1].end
        head = _head(mentions, index, text)
        near = text[max(0, head - 9): head]
        after = _after_word(text, end) in _AFTER_FIRST
        if "quote" in text[max(0, head - 90): head] and _QUOTE_BEFORE.search(text, max(0, head - 90), head):
            found.append((mention.start, key))
            continue
        if text.startswith(("'s ", "’s ", "' ", "’ "), mention.end) and _POSSESSIVE_REMARK.match(
                text, mention.end, mention.end + 60):
            found.append((mention.start, key))
            continue
        if "from " in near and _QUESTION_FROM.search(text, max(0, head - 60), head):
            found.append((mention.start, key))
            continue
        if not after and head not in according and "by " not in near and ":" not in text[max(0, head - 40): head]:
            continue
        if text.startswith(("The ", "the "), mention.start) and not _HONOURABLE.match(text, mention.start):
            continue  # "The Master Builders are saying": a person's name takes no article
        if head in according:
            match = _ACCORDING.search(text, max(0, head - 90), head)
            # ("according to the Australian War Memorial": "the" goes with a title, never with a name)
            if match and (head < mention.start or not match.group("the") or match.group("body")) \
                    and not _CITATION.match(text, end):
                found.append((mention.start, key))
                continue
        if ":" in text[max(0, head - 40): head] and _LABEL_BEFORE.search(
                text, max(0, head - 40), head) and _BODY_AFTER.match(text, end):
            found.append((mention.start, key))  # "JOURNALIST: Jane Doe from the ABC. You said ..."
            continue
        if "by " in near and _MADE_BY.search(text, max(0, head - 60), head):
            found.append((mention.start, key))
            continue
        if "saying" in text[end: end + 130] and _SAYING.match(text, end, end + 130) and (
                _subject_place(text, head) or _perceiver_before(text, head)):
            found.append((mention.start, key))
            continue
        if text.startswith(",", end) and "who" in text[end: end + 100] and _WHO_SAID.match(text, end, end + 300):
            found.append((mention.start, key))
            continue
        if not after:
            continue
        if _MADE_AFTER.match(text, end, end + 60) and _REMARK_BEFORE.search(text, max(0, head - 40), head):
            found.append((mention.start, key))
            continue
        if (_WRITTEN.match(text, end, end + 60) or _QUOTED_AS.match(text, end, end + 80)
                or _SPEECH_ACT.match(text, end, end + 160)
                or (text.startswith((" is ", " are ", " has been ", " have been ", ", is "), end)
                    and _PROGRESSIVE.match(text, end, end + 140))
                or (text.startswith(" and ", end) and _AND_OTHERS.match(text, end, end + 80))
                or (text.startswith((" when ", " as ", " after ", " where ", " because ", ", when ", ", as "), end)
                    and _WHEN_PRONOUN.match(text, end, end + 80))
                or (text.startswith((" of ", " from ", " at "), end) and _OF_BODY_VERB.match(text, end, end + 160))
                or (text.startswith((" in ", " at ", " during ", ", in ", ", at ", ", during "), end)
                    and _OCCASION_VERB.match(text, end, end + 220))) and _subject_place(text, head):
            found.append((mention.start, key))
    return found


def reported_russian(people: People, text: str) -> list[tuple[int, str]]:
    """(position, key) of people a Russian release reports with a circumstance between the name and the
    verb: "Иван Петров в беседе с журналистами рассказал", "Иван Петров во вторник заявил"."""
    from .russian import _person, _role_at_sentence_start, _role_right_before, _set_role

    found: list[tuple[int, str]] = []
    for match in _RU_NAME_CIRCUMSTANCE_VERB.finditer(text):
        previous = text[max(0, match.start() - 12): match.start()].split()
        if previous and previous[-1].lower() in _RU_PREPOSITIONS:
            continue  # "встретился с Иваном Петровым в Кремле": an object, not the subject
        key = _person(people, match.group("name"), match.start("name"))
        if key:
            found.append((match.start("name"), key))
            if not people.persons[key].role:  # "Министр труда Иван Петров в ..." (as ``russian`` does)
                _set_role(people, key, _role_at_sentence_start(people, key, text))
            if not people.persons[key].role:
                _set_role(people, key, _role_right_before(people, key, text), names_end=False)
    return found


def _ru_pattern() -> re.Pattern[str]:
    from .russian import _NAME_WORD, RU_VERBS

    return re.compile(
        rf"(?P<name>{_NAME_WORD}\s+{_NAME_WORD})\s+(?:в|во|на)\s+[^.,;:!?«»\"“”\n—–]{{2,60}}?"
        rf"\s+{RU_VERBS}\b"
    )


#: Иван Петров (в беседе с журналистами | во вторник | на брифинге) заявил: a name in the nominative
#: (``_person`` rejects oblique forms), not after a preposition.
_RU_NAME_CIRCUMSTANCE_VERB = _ru_pattern()
_RU_PREPOSITIONS = frozenset("с со к ко у о об обо от для по при за перед между над под про через без и".split())
