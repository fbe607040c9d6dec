"""The quick scans in front of extraction's regexes find exactly what the regexes alone find."""

from __future__ import annotations

import gzip
import json
from itertools import islice

import pytest
from conftest import EXAMPLES, shared_path

from index.extraction import clean, organisations, speakers

TRICKY = [
    "",
    "no capitals here: at all",
    "The Refugee Review Tribunal and the Department of Immigration and Border Protection met.\n",
    "MINISTER: We will act.\nJOURNALIST: When?\n  PM:   Soon.\nMARK PARTON It was a long day.\n",
    "JOHN SMITH Tribunal\nAB CD ef\n\t\tSARAH HANSON-YOUNG The boats\n",
    "the council of the\n\nunited nations agency,\n\nsaid that\n \nthe\t\n\nworld ; \n\n and",
    "Mr O’Neill of the Asylum Seekers Resource Centre, the UN High Commissioner for Refugees and UNHCR.",
    "Agency Council Commission Organisation Organization Department of Foreign Affairs and Trade",
]


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
    return len(texts)


def test_quick_scans_match_the_full_scans_on_tricky_text_and_the_samples() -> None:
    assert _check(_texts()) > len(TRICKY)


@pytest.mark.corpus
def test_quick_scans_match_the_full_scans_on_trove_releases() -> None:
    corpus = shared_path("trove-refugee-releases/docs.jsonl.gz")
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in islice(handle, 300)]
    assert _check(texts) == 300
