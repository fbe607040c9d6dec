"""The founding example: the SMS release on the 112th Session of the IOM Council, end to end."""

from __future__ import annotations

from index.ingest.pipeline import ingest_paths
from search.request import parse_search_request
from search.service import SearchService

EVENT = "112th Session of the IOM Council"


def test_seed_is_found_first_by_words_speaker_and_event(settings, seed_path):
    ingest_paths(settings, [str(seed_path)])
    from helpers import EXAMPLES

    ingest_paths(settings, [str(EXAMPLES)])
    service = SearchService(settings)
    try:
        for args in (
            {"q": "Huseynov COVID"},
            {"q": 'speaker:"Vusal Huseynov"'},
            {"speaker": "Vusal Huseynov"},
            {"event": EVENT},
            {"q": "Huseynov"},
        ):
            result = service.search(parse_search_request(args)).to_dict()
            assert result["total"] >= 1, args
            top = result["hits"][0]
            assert top["title"].startswith("112th Session of the International Organization for Migration"), (
                args
            )
        top = service.search(parse_search_request({"q": "Huseynov COVID"})).to_dict()["hits"][0]
        names = [s["name"] for s in top["speakers"]]
        assert names[0] == "Vusal Huseynov"
        assert {"Antonio Vitorino", "Tedros Adhanom Ghebreyesus"} <= set(names)
        assert "V.Huseynov" not in names and "Chief of the Service" not in names
        assert top["events"] == [EVENT] or EVENT in top["events"]
        assert {"IOM", "WHO"} <= set(top["organisations"])
        assert {"Azerbaijan", "Colombia", "Philippines"} <= set(top["countries"])
        assert top["date"] is None
        assert any(span["match"] for span in top["snippet_spans"])
        doc = service.get_document(top["id"])
        assert "All rights reserved" not in doc["body"]
        assert "©" not in doc["body"]
    finally:
        service.close()
