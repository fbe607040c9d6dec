"""The quick paths of text normalization give what the plain regexes give."""

from __future__ import annotations

import gzip
import json
import re
from itertools import islice

import pytest
from helpers import EXAMPLES, shared_path

from index.normalize import text as normalize_text

TRICKY = [
    "",
    "   \n\t\n",
    "refu-\ngees and high- quality, state-of-the-art--things -lead trail- _under_score_ x2y 3rd ½half",
    "İstanbul ſtraße Straße ÉCOLE naïve Kelvin\u212a Ⅻ² МОСКВА москва-река refugee's “quoted”",
    "zero\u200bwidth\u00adsoft\ufeffbom\u2060joiner\u200c\u200d and\u00a0no-break\u2003em\u3000ideo\t\ttabs  two",
    "mojibake: Ã© Â\u00a0 â€™ Ã\nÂ",
    "S t a t e m e n t  b y  t h e  M i n i s t e r\n a b c d e f",
    "THE HON. JOHN SMITH M.P.\nMinister For Immigration\nMEDIA RELEASE\nE & O E\nsmith@aph.gov.au\nPrime Minister\n"
    "A | B\nImportant news\nemail: x\nE-Mail x\nMHR\nM.H.R.\nmp\nSpokeswoman\nhttps://x.org\nDated: 1 May 1990\n",
    "Ends.\n\nends:\n\n(ends)\n»\n\n]\n.\n\n\nend\n\n…",
]


def _texts() -> list[str]:
    return list(TRICKY) + [path.read_text("utf-8") for path in sorted(EXAMPLES.rglob("*.txt"))]


def _check(texts: list[str]) -> int:
    for text in texts:
        for variant in (text, normalize_text.clean_whitespace(text)):
            assert normalize_text._vocabulary(variant) == {
                word.lower() for word in normalize_text._WORD_RE.findall(variant)
            }
            assert normalize_text.collapse_spaces(variant) == normalize_text._SPACES_RE.sub(" ", variant)
        for piece in [*text.split("\n\n"), *text.split("\n")]:
            for variant in (piece, piece + "\n", piece + "\n\n", piece.rstrip()):
                assert normalize_text._ends_sentence(variant) == bool(normalize_text._SENTENCE_END_RE.search(variant))
        for line in text.split("\n")[:40]:
            assert normalize_text._has_header_words(line) == bool(normalize_text._HEADER_LINE_RE.search(line))
        # fix_mojibake skips a text without the first character of any mojibake match
        skipped = text.isascii() or not any(lead in text for lead in normalize_text._MOJIBAKE_LEADS)
        assert not skipped or normalize_text._MOJIBAKE_RE.search(text) is None
    return len(texts)


def test_character_sets_are_what_the_classes_match() -> None:
    zero_width = [chr(code) for code in range(0x110000) if normalize_text._ZERO_WIDTH_RE.fullmatch(chr(code))]
    assert sorted(normalize_text._ZERO_WIDTH) == zero_width
    spaces = [chr(code) for code in range(0x110000) if normalize_text._SPACES_RE.fullmatch(chr(code))]
    assert sorted(normalize_text._OTHER_SPACES + " ") == spaces
    assert not any(char.isascii() for char in normalize_text._ZERO_WIDTH + normalize_text._OTHER_SPACES[1:])
    assert not re.search(r"\\[A-Z]", normalize_text._HEADER_LINE_RE.pattern)  # (lower-casing keeps its meaning)
    ends = {chr(code) for code in range(0x110000) if normalize_text._SENTENCE_END_RE.search(chr(code))}
    assert ends == normalize_text._SENTENCE_END_CHARS
    leads = {match.group()[0] for match in re.finditer(r"Ã.|Â.|â€", "Ãx Âx â€")}
    assert normalize_text._MOJIBAKE_RE.pattern == r"Ã.|Â.|â€" and leads == set(normalize_text._MOJIBAKE_LEADS)


def test_quick_paths_match_the_regexes_on_tricky_text_and_the_samples() -> None:
    assert _check(_texts()) > len(TRICKY)


def test_zero_width_characters_and_spaces_are_cleaned_as_before() -> None:
    text = TRICKY[4]
    expected = normalize_text._SPACES_RE.sub(" ", normalize_text._ZERO_WIDTH_RE.sub("", text)).strip()
    assert normalize_text.clean_whitespace(text) == expected


@pytest.mark.corpus
def test_quick_paths_match_the_regexes_on_trove_releases() -> None:
    corpus = shared_path("trove-refugee-releases/docs.jsonl.gz")
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in islice(handle, 300)]
    assert _check(texts) == 300


def _merge_by_concatenation(paragraphs: list[str]) -> list[str]:
    """``_merge_broken_paragraphs`` written plainly, adding to the merged string each time."""
    merged: list[str] = []
    for para in paragraphs:
        open_end = bool(merged) and normalize_text._SENTENCE_END_RE.search(merged[-1]) is None
        if merged and (merged[-1].endswith("-") or open_end and (
            normalize_text._STARTS_LOWER_RE.match(para) or merged[-1][-1:].isalpha() and para[:1].isupper()
            and merged[-1].split()[-1] in normalize_text._NEVER_LAST_WORDS
        )):
            merged[-1] = merged[-1] + ("\n" if merged[-1].endswith("-") else " ") + para
        else:
            merged.append(para)
    return merged


def test_broken_paragraphs_merge_as_by_concatenation() -> None:
    pieces = ["", "-", "a", "A", ".", "\n", " ", "x-", "ab", "(b", ":", "é", "»", "of", "the X", "Senator"]
    cases = [[a + b for a, b in zip(pieces, pieces[3:] + pieces[:3], strict=True)]]
    cases += [[a, b, c] for a in pieces for b in pieces for c in pieces]
    for text in _texts():
        cases.append([block.strip() for block in normalize_text._BLANK_LINES_RE.split(text) if block.strip()])
    for paragraphs in cases:
        assert normalize_text._merge_broken_paragraphs(paragraphs) == _merge_by_concatenation(paragraphs)
