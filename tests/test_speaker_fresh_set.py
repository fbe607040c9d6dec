"""The fresh blind speaker set is a separate sample: well formed, its own half, no release of the first set."""

from __future__ import annotations

import json
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from speaker_set import score_release, summarize  # noqa: E402


def _read(name: str) -> list[dict]:
    with (BENCHMARKS / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def test_fresh_set_is_fifty_held_out_releases_outside_the_first_set():
    fresh = _read("speaker_annotations_fresh.jsonl")
    first_ids = {item["id"] for item in _read("speaker_annotations.jsonl")}
    assert len(fresh) == 50
    assert len({item["id"] for item in fresh}) == 50
    assert not {item["id"] for item in fresh} & first_ids
    assert {item["half"] for item in fresh} == {"held-out-2"}
    counts = {corpus: sum(item["corpus"] == corpus for item in fresh) for corpus in ("trove", "ungd", "ru")}
    assert counts == {"trove": 36, "ungd": 7, "ru": 7}
    for item in fresh:
        for speaker in item["speakers"]:
            assert set(speaker) == {"name", "role"} and speaker["name"].strip()
            assert speaker["role"] is None or speaker["role"].strip()


def test_a_fresh_release_scores_like_any_other():
    """Scoring the annotations against themselves (one stated role each) is perfect: the file is in the
    scorer's format, and no two annotated people of a release collide in the matching."""
    rows = [
        score_release(
            item["id"],
            [(s["name"], s["role"] and s["role"].split(" | ")[0]) for s in item["speakers"]],
            item["speakers"],
        )
        for item in _read("speaker_annotations_fresh.jsonl")
    ]
    assert summarize(rows) == {"precision": 1.0, "recall": 1.0, "role_right": 1.0}


def test_scorer_matches_people_as_an_annotator_would():
    """The scorer's name matching: a two-word surname with or without the given name, short forms and
    initials match; a different given name or surname does not."""
    from speaker_set import same_person

    assert same_person("Stott Despoja", "Natasha Stott Despoja")
    assert same_person("Natasha Stott Despoja", "Stott Despoja")
    assert same_person("Senator Jane Example", "Jane Example")
    assert same_person("Tony Example", "Anthony Example")
    assert same_person("J. Example", "Jane Example")
    assert not same_person("Mary Example", "Jane Example")
    assert not same_person("Jane Sample", "Jane Example")
    assert not same_person("Mary Stott Despoja", "Natasha Stott Despoja")
