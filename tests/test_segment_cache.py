"""After a commit the writer saves each new segment's facet postings and title trust beside it; searches
read them instead of working them out, and answer exactly as without them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import whoosh.index as windex

from index.engine.facet_cache import SUFFIX
from index.engine.generations import index_path
from index.engine.titles import title_trust
from index.engine.trust import TRUST_SUFFIX, TitleTrust
from index.store.documents import DocumentStore
from search.request import parse_search_request
from search.service import SearchService

QUERIES = ["refugees", "council session", "speaker:Huseynov", "asylum OR forum", '"world refugee day"']


def _answers(settings: dict) -> list[tuple[int, list[str], dict]]:
    service = SearchService({**settings, "SEARCH_CACHE_SIZE": 0})
    try:
        answers = []
        for q in QUERIES:
            result = service.search(parse_search_request({"q": q}))
            facets = {name: [(f.value, f.count) for f in counts] for name, counts in result.facets.items()}
            answers.append((result.total, [hit.id for hit in result.hits], facets))
        return answers
    finally:
        service.close()


def test_commits_save_segment_caches_that_searches_read_with_the_same_answers(examples_settings):
    data = Path(examples_settings["DATA_DIR"])
    folder = index_path(data)
    ix = windex.open_dir(str(folder))
    try:
        with ix.reader() as reader:
            leaves = list(reader.leaf_readers())
            segments = {leaf.segment().segment_id() for leaf, _ in leaves}
            assert {p.name.split(".")[0] for p in folder.glob(f"*{TRUST_SUFFIX}")} == segments
            assert {p.name.split(".")[0] for p in folder.glob(f"*{SUFFIX}")} == segments
            with DocumentStore(data, readonly=True) as store:
                rows = store.get_many(sorted(store.all_ids()), columns="id, title")
            titles = {doc_id: row["title"] for doc_id, row in rows.items()}
            cached = TitleTrust(reader, data, cache_dir=folder)
            fresh = TitleTrust(reader, data)
            docnums = np.arange(reader.doc_count_all())
            assert cached.known() == reader.doc_count_all()  # every document's trust read from the files
            assert fresh.known() == 0
            assert np.allclose(cached[docnums], fresh[docnums])
            for docnum in docnums.tolist():
                doc_id = reader.stored_fields(docnum)["id"]
                assert cached[docnum] == title_trust(titles[doc_id])
    finally:
        ix.close()

    with_caches = _answers(examples_settings)
    for path in [*folder.glob(f"*{SUFFIX}"), *folder.glob(f"*{TRUST_SUFFIX}")]:
        path.unlink()
    assert _answers(examples_settings) == with_caches
    assert any(total for total, _, _ in with_caches)
