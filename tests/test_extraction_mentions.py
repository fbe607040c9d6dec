"""Mentions: capitalised runs split into people and titles."""

from __future__ import annotations

from index.extraction.mentions import find_mentions, parse_run


def test_parse_run_after_a_word_character_reads_the_run_in_place():
    text = "xof Minister Huseynov"
    assert [m.name for m in parse_run(text, 1, len(text))] == ["Huseynov"]
    assert [m.name for m in parse_run(text, 4, len(text))] == ["Huseynov"]


def test_repeated_runs_give_fresh_mentions():
    later = "It was then that Vusal Huseynov spoke."
    first, second = find_mentions("Vusal Huseynov spoke."), find_mentions(later)
    assert (first[0].start, second[0].start) == (0, later.index("Vusal"))
    assert (second[0].name_end, second[0].name) == (later.index(" spoke"), "Vusal Huseynov")
    first[0].person = "vusal huseynov"
    assert second[0].person is None
    assert find_mentions("Vusal Huseynov spoke.")[0].person is None
