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


def simhash(text: str) -> int | None:
    """The SimHash of a text's word 3-shingles (lower case), or None for texts under ``MIN_WORDS``."""
    words = _WORD_RE.findall(text.lower())
    if len(words) < MIN_WORDS:
        return None
    digests = b"".join(
        hashlib.blake2b(" ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8"), digest_size=8).digest()
        for i in range(len(words) - SHINGLE_WORDS + 1)
    )
    bits = np.unpackbits(np.frombuffer(digests, dtype=np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    # bit b of byte k is bit 8k+b of the little-endian 64-bit value
    majority = bits.sum(axis=0) * 2 > bits.shape[0]
    return int.from_bytes(np.packbits(majority, bitorder="little").tobytes(), "little")


def shingles(text: str) -> set[str]:
    """The text's word 3-shingles, lower case."""
    words = _WORD_RE.findall(text.lower())
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def resemblance(a: str, b: str) -> float:
    """Jaccard similarity of two texts' shingle sets (1.0 = the same shingles)."""
    first, second = shingles(a), shingles(b)
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
    for band, part in enumerate(bands(value)):
        rows = connection.execute(
            "SELECT doc_id, simhash FROM simhash_bands WHERE band = ? AND value = ? AND doc_id != ?",
            (band, part, doc_id),
        )
        for other_id, other in rows:
            gap = distance(value, other % (1 << 64))
            if (
                gap <= MAX_DISTANCE
                and (best is None or (gap, other_id) < best)
                and _resembles(connection, other_id, text)
            ):
                best = (gap, other_id)
    return best[1] if best else None


def _resembles(connection: sqlite3.Connection, other_id: str, text: str) -> bool:
    row = connection.execute("SELECT body FROM documents WHERE id = ?", (other_id,)).fetchone()
    return bool(row) and resemblance(text, row[0]) >= MIN_RESEMBLANCE


def remember(connection: sqlite3.Connection, doc_id: str, value: int | None) -> None:
    """Store (or clear) the bands of a document's SimHash."""
    connection.execute("DELETE FROM simhash_bands WHERE doc_id = ?", (doc_id,))
    if value is None:
        return
    connection.executemany(
        "INSERT INTO simhash_bands (band, value, doc_id, simhash) VALUES (?, ?, ?, ?)",
        [(band, part, doc_id, _signed(value)) for band, part in enumerate(bands(value))],
    )
