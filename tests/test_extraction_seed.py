"""extract() on the founding example and on a similar release written for this test."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.extraction import extract
from index.extraction.names import canonical_person_key

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_2d8ed2f096a8f8af.txt"

# A release in the seed's style, written for this test: full name once with rank and honorific, then
# initial + surname, "Mr. Surname", "Chief of the Service" and "the Minister"; the ordinal written out.
SIMILAR_TITLE = "One hundred and twelfth session of the IOM Council closes"
SIMILAR_BODY = """\
At the one hundred and twelfth session of the International Organization for Migration (IOM) Council \
the Republic of Azerbaijan was represented by Chief of the State Migration Service, II rank state migration \
service counselor Mr. Vusal Huseynov and Minister of Labour Sahil Babayev.

V. Huseynov said that the Azerbaijani migration policy was based on digital services. "We have moved \
almost every migration procedure online during the pandemic," Mr. Huseynov said.

Chief of the Service stressed the cooperation with UNHCR. The Minister noted that labour migrants need \
protection. "Our labour market needs clear and fair rules for everyone," the Minister added.

Delegates from Colombia and the Philippines met with Maria Lopez of the Colombian delegation. The \
Director said nothing. Later the session discussed the presentation of the World Migration Report 2022.
"""


def _names(extraction) -> list[str]:
    return [speaker.name for speaker in extraction.speakers]


@pytest.fixture(scope="module")
def seed():
    if not SEED.exists():
        pytest.skip(f"seed release not found at {SEED} (the shared folder is absent)")
    text = SEED.read_text(encoding="utf-8")
    title, _, body = text.partition("\n")
    return extract(title, body)


def test_seed_speakers(seed):
    names = _names(seed)
    assert names[0] == "Vusal Huseynov"
    assert "Antonio Vitorino" in names
    assert "Tedros Adhanom Ghebreyesus" in names
    assert len(names) == 3
    roles = {speaker.name: speaker.role for speaker in seed.speakers}
    assert roles["Vusal Huseynov"] == "Chief of the State Migration Service"
    assert roles["Antonio Vitorino"] in {"IOM Director General", "Director General of IOM"}
    assert roles["Tedros Adhanom Ghebreyesus"] == "WHO Director General"
    assert not any("rank" in name.lower() or "counselor" in name.lower() for name in names)
    assert "V. Huseynov" not in names and "Huseynov" not in names


def test_seed_event_organisations_countries(seed):
    assert seed.events.count("112th Session of the IOM Council") == 1
    assert not any(e.lower() in {"the meeting", "the session", "session", "meeting"} for e in seed.events)
    assert "World Migration Report 2022 launch" in seed.events
    for organisation in ("IOM", "WHO", "State Migration Service"):
        assert organisation in seed.organisations
    assert "International Organization for Migration" not in seed.organisations
    assert seed.countries == ["Azerbaijan", "Colombia", "Philippines"]


def test_similar_release_resolves_initials_and_titles():
    extraction = extract(SIMILAR_TITLE, SIMILAR_BODY)
    names = _names(extraction)
    assert names[:2] == ["Vusal Huseynov", "Sahil Babayev"]
    assert "Maria Lopez" not in names  # met with: mentioned, not a speaker
    assert not any(name.startswith(("V.", "Mr", "Chief", "Director")) for name in names)
    assert extraction.events.count("112th Session of the IOM Council") == 1
    assert "World Migration Report 2022 launch" in extraction.events
    assert {"IOM", "UNHCR", "State Migration Service"} <= set(extraction.organisations)
    assert {"Azerbaijan", "Colombia", "Philippines"} <= set(extraction.countries)
    quotes = {(q.speaker, q.text) for q in extraction.quotes}
    moved = "We have moved almost every migration procedure online during the pandemic"
    assert ("Vusal Huseynov", moved) in quotes
    assert ("Sahil Babayev", "Our labour market needs clear and fair rules for everyone") in quotes


def test_person_key_folds_case_and_accents():
    assert canonical_person_key("Vusal Huseynov") == canonical_person_key("Vüsal Hüseynov")
    assert canonical_person_key("VUSAL HUSEYNOV") == "vusal huseynov"
    assert canonical_person_key("Mr. Vusal Huseynov") == "vusal huseynov"
    assert canonical_person_key("The Hon. Scott Morrison MP") == "scott morrison"
