"""The quick scans in front of extraction's regexes find exactly what the regexes alone find."""

from __future__ import annotations

import gzip
import json
import re
from itertools import islice

import pytest
from helpers import EXAMPLES, shared_path

from index.extraction import (
    clean,
    countries,
    header_roles,
    organisations,
    pronouns,
    quotes,
    release_facts,
    russian_entities,
    speaker_rules,
    speakers,
)
from index.extraction.alternation import capitalised_alternation
from index.extraction.keywords import any_within, find_word

TRICKY = [
    "",
    "no capitals here: at all",
    "The Refugee Review Tribunal and the Department of Immigration and Border Protection met.\n",
    "MINISTER: We will act.\nJOURNALIST: When?\n  PM:   Soon.\nMARK PARTON It was a long day.\n",
    "JOHN SMITH Tribunal\nAB CD ef\n\t\tSARAH HANSON-YOUNG The boats\n",
    "the council of the\n\nunited nations agency,\n\nsaid that\n \nthe\t\n\nworld ; \n\n and",
    "Mr O’Neill of the Asylum Seekers Resource Centre, the UN High Commissioner for Refugees and UNHCR.",
    "Agency Council Commission Organisation Organization Department of Foreign Affairs and Trade",
    '"We will," said Mr Smith. "Yes," he added, the Minister. A speech by the Prime Minister, Mr Hawke.',
    "Statement issued today by\nthe Hon John Doe. according to  Jane Roe; according to\tthe UN; wıth Kim",
    "a talk wİth Mr Lee, an address From the Treasurer, said\nthe Premier,saidthe Senator, BY Dr Who",
    "the Philippines, The Gambia, THE US, the\nNetherlands, tHE UK, The Netherlands-based, the Jordan Smith",
    "He said ''two single quotes here'' and «guillemets here too» and “curly quotes here” and ‘single’.",
    "Chad, Jordan Hill, Georgia. The Indian Ocean, US$5, Niger, U.S.A. and the U.K., Britain's Turkey.",
    "İn London, ın Paris,\tAT  Rome;sat in Kew. Throughout\nNew South Wales, (near Ayr) across-the-board",
    "ſenator for Kent, MEMBER FOR the Y, mp for Z-Town, spokesperson for aged care, Minister for, "
    "ex-minister for Trade; andrew.broad.mp@aph.gov.au don't re-open a.b e-mail 'quoted' x’s co-op.",
    "MEDIA Contact: Jo Bloggs 0400 000 000\n  contact Kim\nFor more\tINFORMATION, enquırıes to Jo; Authorized by"
    " Jo\nPress Secretary Ann, spokeswoman : Lee, Adviser: Sam, media liaison Tom, ſpokesman: X\ncontacts - Y",
    "ПМЭФ и аПМЭФ, Петербургского международного экономического форума; ВЭФ-2024, Восточном экономическом "
    "форуме, Генассамблеи ООН, сессия Генассамблеи ООН\n",
    "Jane Roe MP, Minister for Roads\n  Jane Roe\tM.P. | Leader\nJane Roe\nJane Roes x\n\tJane Roe, Chair"
    " Jane Roe Jane Roe\n Roe Roe Roe\nThe, she said. He told us; sHe said, she-said he also said ahe said\n",
    "Mr O'Neill MP, m.p. AO Minister\nO’NEILL, MHR\nBowen_x Bowen MP,, QC. Bowen\nDanİel Daniel ıan Ian\n",
]
#: The country pattern before its lower-case "the" branch was dropped (the name is group 1 or 2).
_NAMES = capitalised_alternation(countries._tables()[0], not_after=r"[\w.]", space=r"\s+")
_FULL_COUNTRY_PATTERN = re.compile(
    rf"(?:t(?<![\w.]t)(?i:he)\s+({_NAMES})|T(?<![\w.]T)(?i:he)\s+({_NAMES})|{_NAMES})(?![\w-])"
)


#: The speaker rules' scans before the engine was let jump between their first letters.
_FULL_LOCATIVE_RUN = re.compile(
    r"(?i:\b(?:in|at|near|around|across|throughout))\s+((?-i:[A-Z])[\w'’-]*(?:[ \t]+(?-i:[A-Z])[\w'’-]*){0,3})"
)
_FULL_PORTFOLIO_RUN = re.compile(
    r"(?i)\b(?:minister|(?P<seat>member|senator|mp)|spokes\w+|secretary)\s+for\s+(?:the\s+)?"
    r"(?=(?P<run>(?:[\w'’]+[ \t-]+){0,3}[\w'’]+))"
)
_FULL_PRONOUN = re.compile(rf"\b(?:He|She|he|she)\s+{pronouns._ADVERBS}(?:{pronouns._REPORT_VERBS})\b")
_FULL_LOWER_WORDS = re.compile(r"(?<![\w'’.@/-])[a-z][a-z'’-]+(?![\w'’.@/-]|\.\w)")


def _check_speaker_rule_scans(text: str) -> None:
    assert _spans(release_facts.LOCATIVE_RUN.finditer(text)) == _spans(_FULL_LOCATIVE_RUN.finditer(text))
    assert _spans(release_facts.locative_runs(text)) == _spans(_FULL_LOCATIVE_RUN.finditer(text))
    assert _spans(release_facts.portfolio_runs(text)) == _spans(release_facts.PORTFOLIO_RUN.finditer(text))
    assert [(m.span(), m.group("run"), bool(m.group("seat") or m.group("senator")))
            for m in release_facts.PORTFOLIO_RUN.finditer(text)] == [
        (m.span(), m.group("run"), bool(m.group("seat"))) for m in _FULL_PORTFOLIO_RUN.finditer(text)]
    words = set(_FULL_LOWER_WORDS.findall(text))
    asked = release_facts.LowerWords(text)
    tokens = re.findall(r"\S+", text)
    for word in words | {t.lower() for t in tokens} | {t.strip(".,;:()'’\"") for t in tokens}:
        assert (word in asked) == (word in words), word
    _check_word_searches(text)
    for (_, patterns), variants in zip(russian_entities._event_patterns(), russian_entities.EVENTS.values(),
                                       strict=True):
        for pattern, variant in zip(patterns, variants, strict=True):
            full = re.compile(rf"(?<![\wЁё]){russian_entities._inflected(variant)}(?![\wЁё])")
            assert _spans(pattern.finditer(text)) == _spans(full.finditer(text))
    for pattern, each in (russian_entities._country_table(), russian_entities._organisation_table()):
        # (each name's own regex is "(?:{inflected})$", longest name first, as the alternation was)
        names = "|".join(regex.pattern[3:-2] for regex, _ in each)
        full = re.compile(rf"(?<![\wЁё])({names})(?![\wЁё])")
        assert _spans(pattern.finditer(text)) == _spans(full.finditer(text))
    for name in {*re.findall(r"^[ \t]*([A-Z]\w+ [A-Z]\w+)", text, re.M)[:20], "Jane Roe", "Roe"}:
        footer = rf"(?m)^[ \t]*{re.escape(name)}\b[ \t,]*(?:(?:MP|MHR|M\.P\.)\b[ \t,]*)?(?=\S)"
        assert header_roles._name_line_starts(text, name) == [m.end() for m in re.finditer(footer, text)]
    assert _spans(pronouns._PRONOUN.finditer(text)) == _spans(_FULL_PRONOUN.finditer(text))
    # a stretch the contact words rule out holds no contact keyword
    step = 1 if len(text) < 400 else 40
    cuts = sorted({0, len(text), *range(0, len(text), step)} | {m.start() for m in re.finditer(r"\n", text)})
    for start, end in zip(cuts, cuts[3:], strict=False):
        for first, last in ((start, end), (start - 120, start), (0, end)):
            assert any_within(text, speaker_rules._CONTACT_WORDS, first, last) or not (
                speaker_rules._CONTACT_LINE.search(text, max(0, first), last))


def _check_word_searches(text: str) -> None:
    """``find_word`` and the letterhead's surname search find what a regex built for the word finds."""
    names = set(re.findall(r"[A-Z][\w'’-]*", text)[:60]) | {"", "mp", "o'neill", "O’Neill", "x’s"}
    for line in [text[:300], *text.split("\n")[:20]]:
        for name in names:
            found = re.search(rf"(?i)\b{re.escape(name)}\b", line)
            assert find_word(line, name) == (found.start() if found else -1), (line, name)
            pattern = re.escape(name).replace("'", "['’]")
            found = re.search(rf"(?i){pattern}\b[\s,]*(?:(?:MP|M\.P\.|MHR|QC|AO)\b[\s,.]*)*", line)
            assert header_roles._after_surname(line, name) == (
                found.end() if found and found.start() < 40 else None), (line, name)


def _texts() -> list[str]:
    texts = list(TRICKY)
    texts += [path.read_text("utf-8") for path in sorted(EXAMPLES.rglob("*.txt"))]
    return texts


def _spans(matches) -> list[tuple[int, int, tuple]]:
    return [(m.start(), m.end(), m.groups()) for m in matches]


def _check(texts: list[str]) -> int:
    for text in texts:
        assert _spans(organisations._pattern_matches(text)) == _spans(organisations.PATTERN.finditer(text))
        for pattern in (speakers.TURN, speakers.MIXED_TURN):
            assert _spans(speakers._colon_turns(pattern, text)) == _spans(pattern.finditer(text))
        assert _spans(speakers._bare_turn_matches(text)) == _spans(speakers.BARE_TURN.finditer(text))
        assert clean._count_run_ons(text) == len(clean._RUN_ON.findall(text))
        assert _spans(header_roles._label_lines(text)) == _spans(header_roles._LABEL_LINE.finditer(text))
        assert [countries._name_span(m) for m in countries._tables()[2].finditer(text)] == [
            m.span(1) if m.start(1) >= 0 else m.span(2) if m.start(2) >= 0 else m.span()
            for m in _FULL_COUNTRY_PATTERN.finditer(text)
        ]
        _check_attribution_before(text)
        _check_speaker_rule_scans(text)
        for pattern, openers in quotes._QUOTE_PATTERNS:  # (a text without any opener is not scanned)
            assert all(text[match.start()] in openers for match in pattern.finditer(text))
    return len(texts)


def _check_attribution_before(text: str) -> None:
    """The quick test finds what ``ATTRIBUTION_BEFORE.search`` finds before every word (and, in short
    texts, before every position)."""
    ends = range(len(text) + 1) if len(text) < 400 else [m.start() for m in re.finditer(r"\b\w", text)]
    for end in ends:
        start = max(0, end - 40)
        quick = speakers.attribution_before(text, start, end)
        full = speakers.ATTRIBUTION_BEFORE.search(text, start, end)
        assert (quick and quick.span()) == (full and full.span()), text[start:end]


def test_quick_scans_match_the_full_scans_on_tricky_text_and_the_samples() -> None:
    assert _check(_texts()) > len(TRICKY)


@pytest.mark.corpus
def test_quick_scans_match_the_full_scans_on_trove_releases() -> None:
    corpus = shared_path("trove-refugee-releases/docs.jsonl.gz")
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in islice(handle, 300)]
    assert _check(texts) == 300
