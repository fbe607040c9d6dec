"""Facet counts ordered with numpy equal the plain rule: most frequent first, ties by value; dates newest first."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np

from index.engine.facets import CHRONOLOGICAL
from search.facets import PUBLIC_FACETS
from search.service import SearchService


def _plain(facets, name: str, mask: np.ndarray, limit: int) -> list[tuple[str, int]]:
    facet = facets.field(name)
    counts = Counter(facet.values[v] for d, v in zip(facet.docs, facet.value_ids, strict=True) if mask[d])
    if name in CHRONOLOGICAL:
        return sorted(counts.items(), reverse=True)[:limit]
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


def test_facet_counts_follow_the_plain_rule(examples_settings):
    service = SearchService(examples_settings)
    try:
        facets = service.reader.current().facets
        rng = np.random.default_rng(7)
        masks = [np.ones(facets.doc_count_all + 1, dtype=bool)]
        masks += [rng.random(facets.doc_count_all + 1) < 0.5 for _ in range(20)]
        for mask in masks:
            for name in (*PUBLIC_FACETS, "month"):
                for limit in (1, 3, 20):
                    got = [(f.value, f.count) for f in facets.count(name, mask, limit=limit)]
                    assert got == _plain(facets, name, mask, limit), name
    finally:
        service.close()


def test_facet_postings_decoded_from_blocks_are_what_whoosh_matchers_read(settings, tmp_path):
    """``field_postings`` reads W3 blocks directly; long lists (several blocks, compressed), short ones,
    inlined ones and deleted documents give what Whoosh's matchers give."""
    import json

    from index.engine.accel.postings import read_postings
    from index.engine.facet_cache import field_postings
    from index.ingest.pipeline import Ingester, ingest_paths

    path = tmp_path / "many.jsonl"
    records = [
        {"id": f"m{n}", "title": f"Release {n}", "text": f"Release {n} on migration and asylum.",
         "source": "big" if n % 7 else f"small-{n % 3}"}
        for n in range(400)
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    mapping = {"id": "id", "title": "title", "body": "text", "source": "source"}
    assert ingest_paths(settings, [str(path)], mapping=mapping).counts["failed"] == 0
    with Ingester(settings) as ingester:
        doomed = ingester.store.ids_for_source("big")[:3] + ingester.store.ids_for_source("small-0")
        assert ingester.delete(doomed) == 3 + 20
    service = SearchService(settings)
    try:
        reader = service.reader.current().searcher.reader()
        found = field_postings(reader, "source")
        expected: dict[bytes, list[int]] = {}
        for leaf, offset in reader.leaf_readers():
            for term in leaf.lexicon("source"):
                ids = [int(i) for i in read_postings(leaf, "source", term).ids if not leaf.is_deleted(int(i))]
                expected.setdefault(term, []).extend(i + offset for i in ids)
        assert {term: sorted(ids) for term, ids in expected.items() if ids} == {
            term: sorted(ids.tolist()) for term, ids in found.items()
        }
        assert len(found[b"big"]) == 400 - 400 // 7 - 1 - 3  # several blocks; three deleted
        assert b"small-0" not in found  # every document of it deleted
    finally:
        service.close()


def _as_lists(postings: dict) -> dict:
    return {term: ids.tolist() for term, ids in postings.items()}


def test_facet_postings_cached_beside_each_segment_follow_deletions_damage_and_merges(settings, tmp_path):
    """Each segment's facet postings are saved beside it on first use and read back on the next open;
    the segment's later deletions still apply, a damaged cache file is decoded again (the index is not
    reported corrupt for it), and the files go with their segment when Whoosh merges it away."""
    import json

    import whoosh.index as windex

    from index.engine.facet_cache import SUFFIX, field_postings
    from index.engine.generations import index_path
    from index.engine.integrity import check_index
    from index.ingest.pipeline import Ingester, ingest_paths

    mapping = {"id": "id", "title": "title", "body": "text", "source": "source"}
    for batch in range(2):  # two ingests: two segments
        path = tmp_path / f"batch{batch}.jsonl"
        records = [{"id": f"b{batch}-{n}", "title": f"Release {n}", "text": f"Release {n} on asylum.",
                    "source": f"office-{n % 4}"} for n in range(30)]
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        assert ingest_paths(settings, [str(path)], mapping=mapping).counts["failed"] == 0
    data = Path(settings["DATA_DIR"])
    folder = index_path(data)

    def postings(cached: bool) -> dict:
        ix = windex.open_dir(str(folder))
        try:
            with ix.reader() as reader:
                return _as_lists(field_postings(reader, "source", folder if cached else None))
        finally:
            ix.close()

    truth = postings(False)
    assert sum(map(len, truth.values())) == 60
    assert postings(True) == truth
    files = sorted(folder.glob(f"*.source{SUFFIX}"))
    assert len(files) == 2  # one per segment
    stamps = [f.stat().st_mtime_ns for f in files]
    assert postings(True) == truth and [f.stat().st_mtime_ns for f in files] == stamps  # read, not rewritten

    with Ingester(settings) as ingester:
        assert ingester.delete(ingester.store.ids_for_source("office-1")) == 16
    assert postings(True) == postings(False)
    assert b"office-1" not in postings(True)

    files[0].write_bytes(b"not a cache file")
    assert postings(True) == postings(False)
    assert check_index(data).state == "ok"

    ix = windex.open_dir(str(folder))
    ix.writer().commit(optimize=True)  # Whoosh merges both segments into one and cleans up the old files
    ix.close()
    assert postings(True) == postings(False)
    ix = windex.open_dir(str(folder))
    with ix.reader() as reader:
        live = {leaf.segment().segment_id() for leaf, _ in reader.leaf_readers()}
    ix.close()
    assert {f.name.split(".")[0] for f in folder.glob(f"*{SUFFIX}")} == live
