"""Choose the releases of the speaker annotation set, split them into halves, and show them for reading.

    .venv/bin/python benchmarks/speaker_sample.py --list                 # the chosen ids and their half
    .venv/bin/python benchmarks/speaker_sample.py --show trove-213588884 # a release's text, for annotating
    .venv/bin/python benchmarks/speaker_sample.py --fresh --list         # the fresh blind set (held-out-2)
    .venv/bin/python benchmarks/speaker_sample.py --fresh --show ID      # a fresh release, for annotating
    .venv/bin/python benchmarks/speaker_sample.py --tuning2 --list       # the second tuning set (tuning-2)
    .venv/bin/python benchmarks/speaker_sample.py --tuning3 --list       # the third tuning set (tuning-3)

The set is chosen by a hash of the document id alone (``sha1("speaker-annotation:" + id)``, lowest
first), never by looking at what the extractor makes of a release: 72 trove releases, 14 UN General
Debate speeches and 14 Russian news items. Each release's half is fixed once by another hash
(``sha1("speaker-split:" + id)`` even: tuning, odd: held-out). The overlap for the agreement check is the
20 chosen releases with the lowest ``sha1("speaker-overlap:" + id)``.

``--fresh`` chooses a second, later set (half "held-out-2", 50 releases) the same way with another salt:
the releases with the lowest ``sha1("speaker-annotation-2:" + id)`` that are not in the first set, 36 trove,
7 UN General Debate and 7 Russian (the first set's 72/14/14 mix).

``--tuning2`` chooses a third set (half "tuning-2", 72 releases: 52 trove, 10 UN, 10 Russian) with the salt
``speaker-annotation-3``, leaving out both earlier sets. It is for fitting rules on more examples; the two
held-out halves stay as they are. ``--tuning3`` chooses a fourth set the same way (half "tuning-3", the
same 52/10/10 mix, salt ``speaker-annotation-4``, the three earlier sets left out).

Nothing here reads the extractor; ``--show`` prints the text as ingest normalizes it, with line numbers,
so an annotator reads what the extractor reads (documents longer than ``--max-chars`` are shown as their
head, their tail and every paragraph with a quotation mark or a speech verb).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
from pathlib import Path

# Appended, not put first: PYTHONPATH can point at another checkout to score its code with this script.
sys.path.append(str(Path(__file__).resolve().parents[1]))

from index.inputs.records import normalize_record  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
CORPORA = {
    "trove": (SHARED / "trove-refugee-releases" / "docs.jsonl.gz", 72),
    "ungd": (SHARED / "un-general-debate" / "speeches_2015_2024.jsonl.gz", 14),
    "ru": (SHARED / "ru-migration-news" / "docs.jsonl.gz", 14),
}
OVERLAP = 20
#: The fresh blind set: per corpus count, same 72/14/14 % mix as the first set.
FRESH = {"trove": 36, "ungd": 7, "ru": 7}
FRESH_SALT = "speaker-annotation-2"
#: The second tuning set (half "tuning-2"), chosen after both earlier sets so rules have more examples
#: to be fitted on; the held-out halves stay untouched.
TUNING2 = {"trove": 52, "ungd": 10, "ru": 10}
TUNING2_SALT = "speaker-annotation-3"
#: The third tuning set: the same mix as the second, a fourth salt.
TUNING3 = TUNING2
TUNING3_SALT = "speaker-annotation-4"
_SPEECH = re.compile(
    r"[\"“”«»]|\b(?:said|says|told|stated|according to|asked|added|заявил|сказал|отметил|сообщил|"
    r"подчеркнул|по словам|пояснил|рассказал)",
    re.IGNORECASE,
)


def _hash(salt: str, doc_id: str) -> int:
    return int(hashlib.sha1(f"{salt}:{doc_id}".encode()).hexdigest(), 16)


def half_of(doc_id: str) -> str:
    """"tuning" or "held-out", fixed once by a hash of the id."""
    return "tuning" if _hash("speaker-split", doc_id) % 2 == 0 else "held-out"


def read(corpus: str) -> list[dict]:
    """Every record of one corpus."""
    path = CORPORA[corpus][0]
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def chosen() -> list[tuple[str, dict]]:
    """(corpus, record) for every release of the annotation set, in hash order within each corpus."""
    picked: list[tuple[str, dict]] = []
    for corpus, (path, count) in CORPORA.items():
        if not path.exists():
            continue
        records = sorted(read(corpus), key=lambda r: _hash("speaker-annotation", r["id"]))
        picked.extend((corpus, record) for record in records[:count])
    return picked


def chosen_fresh() -> list[tuple[str, dict]]:
    """(corpus, record) for every release of the fresh set: another salt, the first set's ids left out."""
    return _chosen_by_salt(FRESH, FRESH_SALT, {record["id"] for _, record in chosen()})


def chosen_tuning2() -> list[tuple[str, dict]]:
    """(corpus, record) for the second tuning set: a third salt, both earlier sets left out."""
    earlier = {record["id"] for _, record in chosen()} | {record["id"] for _, record in chosen_fresh()}
    return _chosen_by_salt(TUNING2, TUNING2_SALT, earlier)


def chosen_tuning3() -> list[tuple[str, dict]]:
    """(corpus, record) for the third tuning set: a fourth salt, the three earlier sets left out."""
    earlier = {record["id"] for _, record in chosen() + chosen_fresh() + chosen_tuning2()}
    return _chosen_by_salt(TUNING3, TUNING3_SALT, earlier)


def _chosen_by_salt(counts: dict[str, int], salt: str, earlier: set[str]) -> list[tuple[str, dict]]:
    """The ``counts[corpus]`` records of each corpus with the lowest hash under ``salt``, not in ``earlier``."""
    picked: list[tuple[str, dict]] = []
    for corpus, count in counts.items():
        if not CORPORA[corpus][0].exists():
            continue
        records = [r for r in read(corpus) if r["id"] not in earlier]
        records.sort(key=lambda r: _hash(salt, r["id"]))
        picked.extend((corpus, record) for record in records[:count])
    return picked


def overlap_ids(ids: list[str]) -> list[str]:
    """The ids of the agreement overlap, chosen by hash."""
    return sorted(ids, key=lambda i: _hash("speaker-overlap", i))[:OVERLAP]


def render(record: dict, max_chars: int) -> str:
    """The normalized text with line numbers; long texts cut to head, tail and speech paragraphs."""
    normalized = normalize_record(record)
    text = f"{normalized.title}\n\n{normalized.body}"
    lines = text.splitlines()
    if len(text) <= max_chars:
        keep = set(range(len(lines)))
    else:
        keep = set(range(min(40, len(lines)))) | set(range(max(0, len(lines) - 15), len(lines)))
        keep |= {i for i, line in enumerate(lines) if _SPEECH.search(line)}
    out, last = [], -1
    for i in sorted(keep):
        if i != last + 1:
            out.append("    [...]")
        out.append(f"{i:4d} {lines[i]}")
        last = i
    meta = {k: v for k, v in record.items() if k in ("speaker", "post", "contributor_slug", "date", "year")}
    return f"{record['id']} {meta}\n" + "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """List the annotation set or show one of its releases."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print corpus, id, half and overlap flag")
    parser.add_argument("--show", nargs="*", default=[], help="ids to print for reading")
    parser.add_argument("--max-chars", type=int, default=9000)
    parser.add_argument("--fresh", action="store_true", help="the fresh blind set (held-out-2) instead")
    parser.add_argument("--tuning2", action="store_true", help="the second tuning set (tuning-2) instead")
    parser.add_argument("--tuning3", action="store_true", help="the third tuning set (tuning-3) instead")
    args = parser.parse_args(argv)
    fixed_half = "held-out-2" if args.fresh else "tuning-2" if args.tuning2 else "tuning-3" if args.tuning3 else None
    picked = (chosen_fresh() if args.fresh else chosen_tuning2() if args.tuning2
              else chosen_tuning3() if args.tuning3 else chosen())
    overlap = set() if fixed_half else set(overlap_ids([r["id"] for _, r in picked]))
    if args.list:
        for corpus, record in picked:
            half = fixed_half or half_of(record["id"])
            print(corpus, record["id"], half, "overlap" if record["id"] in overlap else "")
    by_id = {record["id"]: record for _, record in picked}
    for doc_id in args.show:
        print(render(by_id[doc_id], args.max_chars))
        print("=" * 100)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
