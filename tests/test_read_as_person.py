"""``read_as_person`` answers as the per-name regex it replaced (kept here as the oracle)."""

from __future__ import annotations

import re

import pytest

from index.extraction.person_or_place import read_as_person


def _oracle(name: str, text: str) -> bool:
    escaped = re.escape(name)
    return bool(re.search(
        rf"(?:\b(?:Mr|Mrs|Ms|Dr|Senator|Minister)\.?\s+|\b[A-Z][a-z]+\s+){escaped}\b|"
        rf"\b{escaped},?\s+(?:said|says|told)\b|"
        rf"\b{escaped}\b[^.,\n]{{0,30}},\s+(?:he|she)\s+(?:\w+\s+)?(?:said|says|told)\b", text))


@pytest.mark.parametrize(("name", "text"), [
    ("Dale Ridge", "Mr. Dale Ridge spoke"), ("Dale Ridge", "Mr.  Dale Ridge,"), ("Dale Ridge", "_Mr Dale Ridge"),
    ("Dale Ridge", "X.Mr Dale Ridge"), ("Dale Ridge", "Dale Ridge, said"), ("Dale Ridge", "Dale Ridgex said"),
    ("Dale Ridge", "aDale Ridge said"), ("Dale Ridge", "Dale Ridge in Perth, she really said"),
    ("Dale Ridge", "MrDale Ridge"), ("Dale Ridge", "Ab.\nDale Ridge"), ("Dale Ridge", "Ábc Dale Ridge"),
    ("Dale Ridge", "Dr.Dale Ridge"), ("J.", "Mr J. said"), ("Ridge", "the Ridge Ridge said"),
    ("Dale Ridge", "people in Dale Ridge were told"), ("Dale Ridge", "the move to Dale Ridge. She said"),
    ("Dale Ridge", "Mayor Dale Ridge"), ("Dale Ridge", "MAYOR Dale Ridge"), ("Dale Ridge", "Senator. Dale Ridge"),
    ("Dale Ridge", "Dale Ridge told"), ("Dale Ridge", "Dale Ridge toldx"), ("Dale Ridge", ""),
])
def test_read_as_person_answers_as_the_regex(name: str, text: str) -> None:
    assert read_as_person(name, text) == _oracle(name, text)
