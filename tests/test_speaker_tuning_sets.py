"""The second and third tuning sets of the speaker annotations: well formed, one half each, no release in
two sets, and exactly the releases ``speaker_sample.py`` chooses for them (chosen by hash, not by hand)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

SETS = {
    "speaker_annotations.jsonl": {"tuning", "held-out"},
    "speaker_annotations_fresh.jsonl": {"held-out-2"},
    "speaker_annotations_tuning2.jsonl": {"tuning-2"},
    "speaker_annotations_tuning3.jsonl": {"tuning-3"},
}


def _read(name: str) -> list[dict]:
    with (BENCHMARKS / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.mark.parametrize("name", ["speaker_annotations_tuning2.jsonl", "speaker_annotations_tuning3.jsonl"])
def test_a_tuning_set_is_72_well_formed_releases_of_its_own_half(name: str) -> None:
    items = _read(name)
    assert len(items) == 72 and len({item["id"] for item in items}) == 72
    assert {item["half"] for item in items} == SETS[name]
    counts = {corpus: sum(item["corpus"] == corpus for item in items) for corpus in ("trove", "ungd", "ru")}
    assert counts == {"trove": 52, "ungd": 10, "ru": 10}
    for item in items:
        for speaker in item["speakers"]:
            assert set(speaker) == {"name", "role"} and speaker["name"].strip()
            assert speaker["role"] is None or speaker["role"].strip()


def test_no_release_is_in_two_sets() -> None:
    seen: dict[str, str] = {}
    for name in SETS:
        for item in _read(name):
            assert item["id"] not in seen, f"{item['id']} is in {seen.get(item['id'])} and {name}"
            seen[item["id"]] = name


def test_the_third_tuning_set_is_what_the_sampler_chooses() -> None:
    import speaker_sample

    if not all(path.exists() for path, *_ in speaker_sample.CORPORA.values()):
        pytest.skip("the shared corpora (../shared/data) are not here: the choice cannot be replayed")
    chosen = [record["id"] for _, record in speaker_sample.chosen_tuning3()]
    assert chosen == [item["id"] for item in _read("speaker_annotations_tuning3.jsonl")]
