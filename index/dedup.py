"""Near-duplicate releases: a 64-bit SimHash of word shingles, found again through four 16-bit bands.

Two releases whose SimHashes differ in at most ``MAX_DISTANCE`` bits are the same release (the same
text on two sites, or a corrected copy under a new URL): the store gives them one duplicate group,
so a search shows them once. Any two such hashes share at least one band exactly, so candidates are
looked up by band in SQLite instead of compared with every stored document.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3

import numpy as np

LOGGER = logging.getLogger(__name__)

SHINGLE_WORDS = 3
MIN_WORDS = 40  # shorter texts are too small to call near-duplicates safely
MAX_DISTANCE = 5  # four 16-bit bands guarantee a shared band up to 3 bits; 4-5 are usually found too
MIN_RESEMBLANCE = 0.8
BANDS = 4
BAND_BITS = 16
_WORD_RE = re.compile(r"\w+")

SCHEMA = """
CREATE TABLE IF NOT EXISTS simhash_bands (
    band INTEGER NOT NULL,
    value INTEGER NOT NULL,
    doc_id TEXT NOT NULL,
    simhash INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS simhash_bands_lookup ON simhash_bands(band, value);
CREATE INDEX IF NOT EXISTS simhash_bands_doc ON simhash_bands(doc_id);
"""


def _grams(words: list[str]) -> list[str]:
    """The word shingles (``SHINGLE_WORDS`` words each) of a list of words, in order."""
    return list(map(" ".join, zip(*(words[i:] for i in range(SHINGLE_WORDS)), strict=False)))


def simhash(text: str) -> int | None:
    """The SimHash of a text's word 3-shingles (lower case), or None for texts under ``MIN_WORDS``."""
    words = _WORD_RE.findall(text.lower())
    if len(words) < MIN_WORDS:
        return None
    # one 8-byte BLAKE2b digest per shingle; copying a prepared hasher is cheaper than making one each time
    base = hashlib.blake2b(digest_size=8)
    digests = []
    for gram in _grams(words):
        hasher = base.copy()
        hasher.update(gram.encode("utf-8"))
        digests.append(hasher.digest())
    bits = np.unpackbits(
        np.frombuffer(b"".join(digests), dtype=np.uint8).reshape(-1, 8), axis=1, bitorder="little"
    )
    # bit b of byte k is bit 8k+b of the little-endian 64-bit value
    majority = bits.sum(axis=0) * 2 > bits.shape[0]
    return int.from_bytes(np.packbits(majority, bitorder="little").tobytes(), "little")


def shingles(text: str) -> set[str]:
    """The text's word 3-shingles, lower case."""
    return set(_grams(_WORD_RE.findall(text.lower())))


def resemblance(a: str, b: str) -> float:
    """Jaccard similarity of two texts' shingle sets (1.0 = the same shingles)."""
    return _jaccard(shingles(a), shingles(b))


def _jaccard(first: set[str], second: set[str]) -> float:
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def bands(value: int) -> list[int]:
    """The four 16-bit slices of a SimHash."""
    mask = (1 << BAND_BITS) - 1
    return [value >> (band * BAND_BITS) & mask for band in range(BANDS)]


def distance(a: int, b: int) -> int:
    """The number of bits in which two SimHashes differ."""
    return (a ^ b).bit_count()


def _signed(value: int) -> int:
    """SQLite integers are signed 64-bit."""
    return value - (1 << 64) if value >= 1 << 63 else value


def near_duplicate(connection: sqlite3.Connection, doc_id: str, value: int, text: str) -> str | None:
    """The id of a stored document whose SimHash is within ``MAX_DISTANCE`` bits of ``value`` and whose
    text really resembles ``text`` (shingle Jaccard >= ``MIN_RESEMBLANCE``: pages that share a large
    site boilerplate can have close SimHashes); ``doc_id`` itself excluded."""
    best: tuple[int, str] | None = None
    mine: set[str] | None = None  # the text's shingles, made for the first candidate that needs them
    for band, part in enumerate(bands(value)):
        rows = connection.execute(
            "SELECT doc_id, simhash FROM simhash_bands WHERE band = ? AND value = ? AND doc_id != ?",
            (band, part, doc_id),
        )
        for other_id, other in rows:
            gap = distance(value, other % (1 << 64))
            if gap > MAX_DISTANCE or (best is not None and (gap, other_id) >= best):
                continue
            if mine is None:
                mine = shingles(text)
            if _resembles(connection, other_id, mine):
                best = (gap, other_id)
    return best[1] if best else None


def _resembles(connection: sqlite3.Connection, other_id: str, mine: set[str]) -> bool:
    row = connection.execute("SELECT body FROM documents WHERE id = ?", (other_id,)).fetchone()
    return bool(row) and _jaccard(mine, shingles(row[0])) >= MIN_RESEMBLANCE


def remember(connection: sqlite3.Connection, doc_id: str, value: int | None) -> None:
    """Store (or clear) the bands of a document's SimHash."""
    connection.execute("DELETE FROM simhash_bands WHERE doc_id = ?", (doc_id,))
    if value is None:
        return
    connection.executemany(
        "INSERT INTO simhash_bands (band, value, doc_id, simhash) VALUES (?, ?, ?, ?)",
        [(band, part, doc_id, _signed(value)) for band, part in enumerate(bands(value))],
    )
