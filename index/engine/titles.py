"""Whether a release's title looks like a title, so that ranking can trust it.

Titles of releases saved from PDFs are often not titles at all: a classification stamp
("UNCLASSIFIED"), a letterhead address ("44 Outram Street ... ACT 2600"), an empty form
("DATE: VENUE: TITLE:"), a line of a transcript ("JOURNALIST: Minister, ..."), a quote or a
sentence from the middle, or OCR debris. Matching the query there is weak evidence, so the title
boost is scaled by ``title_trust`` (1 for a title, 0 for none of the above, 0.5 when unsure).
"""

from __future__ import annotations

import re

_STAMPS = {
    "unclassified", "media release", "press release", "news release", "transcript", "media statement",
    "statement", "e&oe", "e & oe", "media alert", "speech", "interview", "doorstop", "joint media release",
    "check against delivery", "embargoed", "proof only", "for immediate release",
}
_FORM_LABEL_RE = re.compile(r"\b(?:DATE|VENUE|TITLE|TIME|PROGRAM|STATION|PRODUCER|TRANSCRIPTION)\s*:", re.I)
# a transcript line: an upper-case speaker label ("GILBERT:", "JOURNALIST:") or a name asking a question
_SPEAKER_LINE_RE = re.compile(
    r"^(?!(?:TOPICS?|SUBJECTS?|ISSUES?|SUBJECT\s*/\s*S)\b)[A-Z][A-Z.'’ -]{1,40}:\s(?=.*[a-z])"
    r"|^[A-Z]\w+ [A-Z]\w+: .*\?$"
)
_LETTERHEAD = {
    "minister", "ministers", "prime", "parliament", "parliamentary", "australia", "australian", "commonwealth",
    "senator", "senate", "house", "representatives", "member", "for", "of", "the", "and", "shadow", "affairs",
    "hon", "mp", "m.p", "secretary", "leader", "opposition", "government", "office", "department", "media",
    "release", "news", "statement", "from", "immigration", "ethnic", "multicultural", "foreign", "deputy",
    "assistant", "assisting", "party", "federal", "labor", "liberal", "greens", "democrats", "national",
    "justice", "customs", "citizenship", "border", "protection", "to", "by", "in",
}
_ADDRESS_RE = re.compile(
    r"\b(?:Street|St|Road|Rd|Avenue|Ave|Parade|Terrace|Highway|Place|Lane)\b.*\b\d{4}\b"
    r"|\b(?:PO|GPO|P\.O\.)\s*Box\b|\b(?:ACT|NSW|VIC|QLD|WA|SA|TAS|NT)\s+\d{4}\b"
    r"|^\d+[A-Za-z]?\s+[A-Z][a-z]+\s+(?:Street|St|Road|Rd|Avenue|Ave|Parade|Terrace|Place)\b",
)
_CONTACT_RE = re.compile(r"@|https?://|www\.|\(0\d\)|\b\d{2,4}\s?\d{3,4}\s?\d{3,4}\b")
_TRAILING_FRAGMENT_RE = re.compile(r"\b(?:a|an|the|and|or|of|to|with|for|in|on|by|as|that)$", re.I)
MAX_WORDS = 30


def title_trust(title: str) -> float:
    """1.0 when ``title`` reads like a title, 0.0 when it is a stamp, form, address, transcript line,
    quote, fragment or debris, 0.5 when it is only doubtful (a long line, an unfinished one)."""
    text = " ".join(title.split())
    words = re.findall(r"[^\W\d_]{2,}", text)
    if len(words) < 2 and (not words or len(words[0]) < 4 or text.lower().strip(" .:") in _STAMPS):
        return 0.0
    letters = sum(map(str.isalpha, text))
    if letters < 0.6 * len(text.replace(" ", "")):
        return 0.0  # OCR debris, numbers, symbols
    lowered = text.lower().strip(" .:-")
    if lowered in _STAMPS:
        return 0.0
    if len(_FORM_LABEL_RE.findall(text)) >= 1 and len(words) <= 8:
        return 0.0
    if _SPEAKER_LINE_RE.match(text) or text[:1] in "“\"'‘":
        return 0.0
    if _ADDRESS_RE.search(text) or _CONTACT_RE.search(text):
        return 0.0
    tokens = [token.strip(".,:;'’").lower() for token in text.split()]
    if sum(token in _LETTERHEAD for token in tokens) >= 0.8 * len(tokens):
        return 0.0  # a letterhead line ("Minister for Immigration and Ethnic Affairs")
    if text[:1].islower():
        return 0.0  # a sentence from the middle
    single = sum(1 for token in text.split() if len(token) == 1 and token.isalpha())
    if single >= 3 and single > len(text.split()) / 3:
        return 0.0  # letter-spaced or broken OCR ("P R E S S  S T A T E M E N T")
    # (the fragment is a word of at most 4 letters at the very end: only the tail is searched)
    if len(words) > MAX_WORDS or _TRAILING_FRAGMENT_RE.search(text, max(0, len(text) - 5)):
        return 0.5
    return 1.0
