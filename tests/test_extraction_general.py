"""Who spoke, by general rules rather than examples: names in running sentences are not letterheads,
passive subjects do not speak, organisations and headline words are not people, roles sit beside the
name. Every text here is written for the test."""

from __future__ import annotations

from index.extraction import extract


def _speakers(text: str, title: str = "") -> dict[str, str | None]:
    return {s.name: s.role for s in extract(title, text).speakers}


def test_a_name_in_a_running_sentence_near_the_top_is_not_an_issuer() -> None:
    text = """MEDIA RELEASE

Tuesday 4 March

RIVAL PLAN A RISK FOR SMALL TOWNS

Senator Gregory Sample has shown voters how little the Coalition cares for small towns, Greens Leader
Senator Maria Writer said.

"Nobody in the bush will be better off," Senator Writer said.
"""
    speakers = _speakers(text)
    assert "Maria Writer" in speakers
    assert "Gregory Sample" not in speakers


def test_a_name_inside_a_quote_or_after_with_is_not_an_issuer() -> None:
    text = """Young artists to exhibit their work

The exhibition will be opened by Senator Paul Visitor, who will represent the Minister, Jane Cobbett.

'I would like to thank Senator Visitor for opening the exhibition in my place,' Minister Cobbett said.
"""
    speakers = _speakers(text)
    assert "Jane Cobbett" in speakers
    assert "Paul Visitor" not in speakers


def test_a_letterhead_line_that_runs_into_the_text_still_names_the_issuer() -> None:
    text = """SENATOR THE HON CHRIS EXAMPLE Minister for Immigration The Government today released figures.

More visas were granted this year than last.
"""
    assert "Chris Example" in _speakers(text)
