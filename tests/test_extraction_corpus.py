"""Extraction on slices of the shared development corpora (skipped when ../shared/data is absent).

The bars are the figures measured when this test was written, less a margin; a drop below one means a
rule change made things worse on real releases. Full figures: ``benchmarks/evaluate_extraction.py``.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from index.extraction import extract
from index.extraction.names import canonical_person_key

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
TROVE = DATA / "trove-refugee-releases" / "docs.jsonl.gz"
PARTY_WORDS = {"party", "greens", "democrats", "labor", "liberal", "national", "nationals", "coalition",
               "association", "council", "network", "union", "society", "committee", "department", "office"}

pytestmark = pytest.mark.corpus


def _issuer(slug: str) -> tuple[str, str] | None:
    words = [w for w in slug.split("-") if not w.isdigit()]
    if len(words) < 2 or PARTY_WORDS & set(words):
        return None
    return "".join(words[:-1]), words[-1]


def _matches(name: str, surname: str, given: str) -> bool:
    words = canonical_person_key(name).split()
    if len(words) < 2:
        return False
    return "".join(words).endswith(surname) and (words[0] == given or words[0][:1] == given[:1] == words[0])


def _trove_slice(count: int) -> list[dict]:
    if not TROVE.exists():
        pytest.skip(f"trove corpus not found at {TROVE}")
    docs: list[dict] = []
    with gzip.open(TROVE, "rt", encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            if doc["date"] >= "2000":  # born-digital releases; older ones are OCR of typescripts
                docs.append(doc)
                if len(docs) == count:
                    break
    return docs


def test_trove_issuer_is_among_speakers():
    docs = _trove_slice(200)
    hits = judged = speakers = 0
    for doc in docs:
        extraction = extract("", doc["text"])
        speakers += len(extraction.speakers)
        issuer = _issuer(doc["contributor_slug"])
        if issuer is None:
            continue
        judged += 1
        names = [s.name for s in extraction.speakers]
        if any(_matches(n, *issuer) or _matches(n, issuer[1], issuer[0]) for n in names):
            hits += 1
    assert judged > 80
    assert hits / judged >= 0.62  # measured 0.69 on this slice
    assert speakers / len(docs) <= 3.0  # measured 1.6


def test_trove_quotes_name_a_speaker():
    for doc in _trove_slice(60):
        extraction = extract("", doc["text"])
        names = {s.name for s in extraction.speakers}
        for quote in extraction.quotes:
            assert quote.speaker
            assert len(quote.text.split()) >= 4
        assert len(names) == len({canonical_person_key(n) for n in names})
