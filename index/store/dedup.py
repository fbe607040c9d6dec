"""Near-duplicate releases: a 64-bit SimHash of word shingles, found again through four 16-bit bands.

A shingle's 64-bit hash mixes the BLAKE2b digests of its three words (each word is digested once and
remembered), so a release costs a few numpy operations rather than one digest per shingle. The
version of this recipe is kept in the store: a store fingerprinted by an older one is fingerprinted
again when a writer opens it (``ensure_current``).

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

#: Changes whenever ``simhash`` would give other values for the same text.
SIMHASH_VERSION = "2"
#: Remembered word digests (cleared when full): most words of a release were seen in earlier ones.
WORD_MEMORY = 500_000
# Odd 64-bit multipliers giving each word place in a shingle its own weight, and splitmix64's finaliser.
_PLACE_MULTIPLIERS = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9)
_MIX_MULTIPLIERS = (0xBF58476D1CE4E5B9, 0x94D049BB133111EB)

SCHEMA = """
CREATE TABLE IF NOT EXISTS dedup_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
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


_word_digests: dict[bytes, int] = {}
#: Bytes to themselves where they can belong to a ``\w`` word (ASCII letters, digits, "_" and every byte of a
#: multi-byte UTF-8 character), to a space elsewhere: splitting a translated text gives its words quickly.
_WORD_BYTES = bytes(byte if byte >= 0x80 or chr(byte).isalnum() or byte == 0x5F else 0x20 for byte in range(256))


def words_of(text: str) -> list[bytes]:
    r"""The text's ``\w+`` words, lower case, UTF-8 encoded (ASCII runs split by bytes, the rare chunks
    holding other characters by the regex)."""
    lowered = text.lower()
    chunks = lowered.encode("utf-8").translate(_WORD_BYTES).split()
    if lowered.isascii():
        return chunks
    words: list[bytes] = []
    for chunk in chunks:
        if chunk.isascii():
            words.append(chunk)
        else:  # ASCII separators never split a character, so the chunk decodes on its own
            words.extend(word.encode("utf-8") for word in _WORD_RE.findall(chunk.decode("utf-8")))
    return words


def _word_digest(word: bytes) -> int:
    """The 64-bit BLAKE2b digest of a UTF-8 word (little-endian), remembered."""
    digest = _word_digests.get(word)
    if digest is None:
        if len(_word_digests) >= WORD_MEMORY:
            _word_digests.clear()
        digest = _word_digests[word] = int.from_bytes(hashlib.blake2b(word, digest_size=8).digest(), "little")
    return digest


def shingle_hashes(words: list[bytes]) -> np.ndarray:
    """A 64-bit hash of each word shingle (``SHINGLE_WORDS`` UTF-8 words), in order."""
    get = _word_digests.get
    digests = np.array([get(word) or _word_digest(word) for word in words], dtype=np.uint64)
    count = len(words) - SHINGLE_WORDS + 1
    mixed = np.zeros(count, dtype=np.uint64)
    for place, multiplier in enumerate(_PLACE_MULTIPLIERS[:SHINGLE_WORDS]):
        mixed += digests[place: place + count] * np.uint64(multiplier)  # uint64 arrays wrap around
    mixed ^= mixed >> np.uint64(30)
    mixed *= np.uint64(_MIX_MULTIPLIERS[0])
    mixed ^= mixed >> np.uint64(27)
    mixed *= np.uint64(_MIX_MULTIPLIERS[1])
    mixed ^= mixed >> np.uint64(31)
    return mixed


def simhash(text: str) -> int | None:
    """The SimHash of a text's word 3-shingles (lower case), or None for texts under ``MIN_WORDS``."""
    words = words_of(text)
    if len(words) < MIN_WORDS:
        return None
    hashes = shingle_hashes(words).astype("<u8")
    bits = np.unpackbits(hashes.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
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


#: The documents sharing at least one band with a SimHash (one query; each band is looked up in the index).
_CANDIDATES = "SELECT doc_id, simhash FROM simhash_bands WHERE doc_id != ? AND (" + " OR ".join(
    ["(band = ? AND value = ?)"] * BANDS
) + ")"


def near_duplicate(connection: sqlite3.Connection, doc_id: str, value: int, text: str) -> str | None:
    """The id of a stored document whose SimHash is within ``MAX_DISTANCE`` bits of ``value`` and whose
    text really resembles ``text`` (shingle Jaccard >= ``MIN_RESEMBLANCE``: pages that share a large
    site boilerplate can have close SimHashes); ``doc_id`` itself excluded."""
    best: tuple[int, str] | None = None
    mine: set[str] | None = None  # the text's shingles, made for the first candidate that needs them
    parts = bands(value)
    rows = connection.execute(_CANDIDATES, (doc_id, *(item for pair in enumerate(parts) for item in pair)))
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


def ensure_current(connection: sqlite3.Connection) -> int:
    """Fingerprint every stored document again if the store's SimHashes were made by an older
    recipe (``SIMHASH_VERSION``); returns how many were redone. Duplicate groups stay as they are."""
    row = connection.execute("SELECT value FROM dedup_meta WHERE key = 'simhash_version'").fetchone()
    if row is not None and row[0] == SIMHASH_VERSION:
        return 0
    redone = 0
    if connection.execute("SELECT 1 FROM simhash_bands LIMIT 1").fetchone():
        LOGGER.info("fingerprinting stored documents again for near-duplicate detection (SimHash v%s)",
                    SIMHASH_VERSION)
        for doc_id, body in connection.execute("SELECT id, body FROM documents").fetchall():
            remember(connection, doc_id, simhash(body))
            redone += 1
    connection.execute(
        "INSERT INTO dedup_meta (key, value) VALUES ('simhash_version', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (SIMHASH_VERSION,),
    )
    connection.commit()
    return redone


def remember(connection: sqlite3.Connection, doc_id: str, value: int | None) -> None:
    """Store (or clear) the bands of a document's SimHash."""
    connection.execute("DELETE FROM simhash_bands WHERE doc_id = ?", (doc_id,))
    if value is None:
        return
    connection.executemany(
        "INSERT INTO simhash_bands (band, value, doc_id, simhash) VALUES (?, ?, ?, ?)",
        [(band, part, doc_id, _signed(value)) for band, part in enumerate(bands(value))],
    )
