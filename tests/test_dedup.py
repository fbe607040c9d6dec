"""Near-duplicate releases (a corrected copy, the same text on another site) are grouped and shown once."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from pathlib import Path

from index.ingest.pipeline import ingest_paths
from index.store.dedup import MAX_DISTANCE, SIMHASH_VERSION, distance, resemblance, shingles, simhash, words_of
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


def _shingle_hash(first: int, second: int, third: int) -> int:
    """The shingle hash of three word digests, with Python integers (numpy does it in the code)."""
    mask = (1 << 64) - 1
    value = (first * 0x9E3779B97F4A7C15 + second * 0xC2B2AE3D27D4EB4F + third * 0x165667B19E3779F9) & mask
    value ^= value >> 30
    value = value * 0xBF58476D1CE4E5B9 & mask
    value ^= value >> 27
    value = value * 0x94D049BB133111EB & mask
    return value ^ value >> 31


def test_simhash_is_the_majority_of_shingle_hash_bits():
    words = re.findall(r"\w+", BODY.lower())
    digests = [int.from_bytes(hashlib.blake2b(w.encode(), digest_size=8).digest(), "little") for w in words]
    values = [_shingle_hash(*digests[i: i + 3]) for i in range(len(words) - 2)]
    expected = sum(1 << bit for bit in range(64) if 2 * sum(v >> bit & 1 for v in values) > len(values))
    assert simhash(BODY) == expected
    assert shingles("One two three four") == {"one two three", "two three four"}
    assert resemblance(BODY, BODY) == 1.0 and resemblance(BODY, "two words") == 0.0


def test_a_store_fingerprinted_by_an_older_recipe_is_fingerprinted_again(settings, tmp_path):
    (tmp_path / "release.txt").write_text("Two thousand new resettlement places\n\n" + BODY * 2, encoding="utf-8")
    ingest_paths(settings, [str(tmp_path / "release.txt")])
    store_file = Path(settings["DATA_DIR"]) / "store.sqlite3"
    with sqlite3.connect(store_file) as connection:  # as a store written by an older version looks
        connection.execute("UPDATE simhash_bands SET value = value + 1, simhash = 12345")
        connection.execute("DELETE FROM dedup_meta")
    copy = tmp_path / "copy"
    copy.mkdir()
    corrected = (BODY * 2).replace("next financial year", "coming financial year")
    (copy / "copy.txt").write_text("Two thousand new resettlement places\n\n" + corrected, encoding="utf-8")
    ingest_paths(settings, [str(copy)])
    with sqlite3.connect(store_file) as connection:
        groups = {row[0] for row in connection.execute("SELECT dup_group FROM documents")}
        version = connection.execute("SELECT value FROM dedup_meta WHERE key = 'simhash_version'").fetchone()
        stored = {row[0] for row in connection.execute("SELECT DISTINCT simhash FROM simhash_bands")}
    assert len(groups) == 1, "the copy joins the original's group: its fingerprint was made again"
    assert version == (SIMHASH_VERSION,)
    assert 12345 not in stored


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


def test_words_are_the_lower_case_word_runs_the_regex_finds():
    texts = [BODY, "İstanbul Straße naïve", "a_b c-d ’s “x” Ünïcödé—dash 3.5%", "ÀÉÎ õ ü ß ǅ", "² x ½", "x\x00y\x7fz"]
    for text in texts:
        assert words_of(text) == [word.encode("utf-8") for word in re.findall(r"\w+", text.lower())]
