"""Speakers: attribution verbs, release headers, transcript turns; mentions are not speakers."""

from __future__ import annotations

from index.extraction import extract


def _names(title: str, body: str) -> list[str]:
    return [s.name for s in extract(title, body).speakers]


def test_header_issuer_with_senator():
    body = "Media Release - Senator Sarah Hanson-Young\n\nGreens call for an inquiry\n\nThe Greens ask..."
    assert _names("", body) == ["Sarah Hanson-Young"]


def test_joint_media_release_issuer_with_role_and_post_nominal():
    body = (
        "Joint media release: The Hon. Scott Morrison MP, Minister for Immigration and Border Protection\n\n"
        "Boats stopped\n\nThe Government has stopped the boats, the Minister said today."
    )
    speakers = extract("", body).speakers
    assert [s.name for s in speakers] == ["Scott Morrison"]
    assert speakers[0].role == "Minister for Immigration and Border Protection"


def test_transcript_turns_are_speakers_and_quotes():
    body = (
        "TRANSCRIPT OF DOORSTOP INTERVIEW\n\n"
        "JOURNALIST: Minister, will the centre close this year?\n\n"
        "CHRIS BOWEN: We have been very clear that the centre will close when the work is done.\n\n"
        "JOURNALIST: When will that be?\n\n"
        "BOWEN: When the processing is complete and not before then.\n"
    )
    extraction = extract("", body)
    assert [s.name for s in extraction.speakers] == ["Chris Bowen"]
    assert len([q for q in extraction.quotes if q.speaker == "Chris Bowen"]) == 2


def test_mentioned_people_are_not_speakers():
    body = (
        "The Minister for Immigration, Philip Ruddock, said the visa rules would change. "
        "Mr Ruddock met with John Smith of the Refugee Council and sent a letter to Mr Jones."
    )
    assert _names("", body) == ["Philip Ruddock"]


def test_title_without_a_named_holder_is_not_a_person():
    body = "The Minister said the policy would not change. The Director noted that numbers fell."
    assert _names("", body) == []


def test_rank_is_not_part_of_the_name():
    body = "The delegation was led by II rank state migration service counselor Mr. Vusal Huseynov, who said"
    assert _names("", body) == ["Vusal Huseynov"]


def test_coordinated_subjects_both_speak():
    body = (
        "IOM Director General Antonio Vitorino and WHO Director General Tedros Adhanom Ghebreyesus "
        "made opening speeches."
    )
    assert _names("", body) == ["Antonio Vitorino", "Tedros Adhanom Ghebreyesus"]


def test_metadata_speakers_are_merged_without_duplicates():
    body = "Vusal Huseynov said that the migration policy was based on digital services."
    metadata = {
        "speakers": [
            {"name": "VÜSAL HÜSEYNOV", "role": "Chief of the State Migration Service"},
            {"name": "Jane Roe"},
        ],
        "events": ["the 112th session of the International Organization for Migration Council"],
        "countries": ["AZ", "Azerbaijan"],
        "author": "State Migration Service",
    }
    extraction = extract("Title", body, metadata=metadata)
    assert [s.name for s in extraction.speakers] == ["Vusal Huseynov", "Jane Roe"]
    assert extraction.speakers[0].role == "Chief of the State Migration Service"
    assert extraction.events == ["112th Session of the IOM Council"]
    assert extraction.countries == ["Azerbaijan"]
    assert "State Migration Service" in extraction.organisations
