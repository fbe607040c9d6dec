"""Near-duplicate releases (a corrected copy, the same text on another site) are grouped and shown once."""

from __future__ import annotations

import hashlib
import re

from index.dedup import MAX_DISTANCE, distance, resemblance, shingles, simhash
from index.pipeline import ingest_paths
from search.request import SearchRequest
from search.service import SearchService

BODY = (
    "The Minister for Immigration today announced that the government will resettle an additional two "
    "thousand refugees from the region over the next financial year. The places will be offered to people "
    "referred by the United Nations refugee agency, with priority for women at risk and for families with "
    "young children. Settlement services in regional towns will receive new funding so that the new "
    "arrivals can find housing, schooling and work quickly. "
)


def test_an_edited_copy_is_near_and_another_release_is_far():
    original = simhash(BODY * 2)
    corrected = simhash((BODY * 2).replace("two thousand", "three thousand"))
    other = simhash(
        "Border officials intercepted a vessel carrying forty people off the northern coast on Sunday. "
        "The passengers were transferred to a processing centre where their claims will be assessed. " * 3
    )
    assert distance(original, corrected) <= MAX_DISTANCE
    assert distance(original, other) > 10
    assert simhash("Too short to judge.") is None


def test_simhash_is_the_majority_of_shingle_digest_bits():
    words = re.findall(r"\w+", BODY.lower())
    grams = [" ".join(words[i: i + 3]) for i in range(len(words) - 2)]
    values = [int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little") for g in grams]
    expected = sum(1 << bit for bit in range(64) if 2 * sum(v >> bit & 1 for v in values) > len(values))
    assert simhash(BODY) == expected
    assert shingles("One two three four") == {"one two three", "two three four"}
    assert resemblance(BODY, BODY) == 1.0 and resemblance(BODY, "two words") == 0.0


def test_near_duplicate_releases_are_shown_once(settings, tmp_path):
    site_a = tmp_path / "site-a"
    site_b = tmp_path / "site-b"
    site_a.mkdir()
    site_b.mkdir()
    (site_a / "release.txt").write_text("Two thousand new resettlement places\n\n" + BODY * 2, encoding="utf-8")
    corrected = (BODY * 2).replace("next financial year", "coming financial year")
    (site_b / "copy.txt").write_text("Two thousand new resettlement places\n\n" + corrected, encoding="utf-8")
    (site_b / "other.txt").write_text(
        "Resettlement program criticised\n\nAdvocates said the resettlement program is too small and too slow "
        "for the people waiting in camps, and called for the places to be doubled. " * 3,
        encoding="utf-8",
    )
    ingest_paths(settings, [str(tmp_path)])
    service = SearchService(settings)
    try:
        result = service.search(SearchRequest(q="resettlement places")).to_dict()
    finally:
        service.close()
    titles = [hit["title"] for hit in result["hits"]]
    assert titles.count("Two thousand new resettlement places") == 1
    assert "Resettlement program criticised" in titles
    assert result["total"] == 2
    shown = next(h for h in result["hits"] if h["title"] == "Two thousand new resettlement places")
    assert shown["duplicates"] == 1
