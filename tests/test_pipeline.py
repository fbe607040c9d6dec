"""Ingest through the real pipeline: inputs of every kind, bad inputs reported, store and index in step."""

from __future__ import annotations

import gzip
import json

import whoosh.index as windex
from whoosh.qparser import QueryParser

from index.engine.indexer import index_path
from index.ingest.pipeline import ingest_paths
from index.settings import data_dir
from index.store.documents import DocumentStore

RELEASE = """Minister opens the Forum on Migration Data

3 May 2024

Minister Jonas Berg said that better data saves lives. "We cannot protect people we do not count," Mr Berg said.
"""


def _indexed_ids(settings) -> set[str]:
    ix = windex.open_dir(str(index_path(data_dir(settings))))
    with ix.searcher() as searcher:
        return {fields["id"] for fields in searcher.all_stored_fields()}


def test_ingest_text_html_and_gz_then_unchanged(settings, tmp_path):
    folder = tmp_path / "inputs" / "ministry"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text(RELEASE, encoding="utf-8")
    (folder / "b.html").write_text(
        "<html><head><title>Council meets</title></head><body><main><h1>Council meets</h1>"
        "<p>The council met to discuss asylum reception capacity and new arrivals this week.</p></main></body></html>",
        encoding="utf-8",
    )
    with gzip.open(folder / "c.txt.gz", "wt", encoding="utf-8") as handle:
        handle.write(RELEASE.replace("Forum", "Summit").replace("better data", "shared data"))
    first = ingest_paths(settings, [str(tmp_path / "inputs")])
    assert first.counts == {"added": 3}
    assert first.failures == []
    second = ingest_paths(settings, [str(tmp_path / "inputs")])
    assert second.counts == {"unchanged": 3}
    with DocumentStore(data_dir(settings)) as store:
        assert store.count() == 3
        assert store.unindexed_ids() == []
        ids = {doc.id for doc in store.iter_documents()}
        sources = {doc.source for doc in store.iter_documents()}
    assert _indexed_ids(settings) == ids
    assert sources == {"ministry"}


def test_changed_file_is_updated_in_store_and_index(settings, tmp_path):
    path = tmp_path / "release.txt"
    path.write_text(RELEASE, encoding="utf-8")
    ingest_paths(settings, [str(path)])
    path.write_text(RELEASE.replace("better data saves lives", "open data builds trust"), encoding="utf-8")
    summary = ingest_paths(settings, [str(path)])
    assert summary.counts == {"updated": 1}
    assert len(_indexed_ids(settings)) == 1
    with DocumentStore(data_dir(settings)) as store:
        (doc,) = list(store.iter_documents())
    assert "open data builds trust" in doc.body


def test_bad_inputs_are_reported_and_never_stop_the_batch(settings, tmp_path):
    (tmp_path / "good.txt").write_text(RELEASE, encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"%PDF-1.7\n\x00\x01\x02binary" * 50)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "broken.html").write_bytes(
        b"<html><body><p>Unclosed <b>asylum seekers wait at the border for days"
    )
    (tmp_path / "records.jsonl").write_text(
        json.dumps({"id": "r1", "title": "Record one", "text": "A statement on resettlement of refugees."})
        + "\n{not json\n[1, 2]\n",
        encoding="utf-8",
    )
    summary = ingest_paths(settings, [str(tmp_path), str(tmp_path / "missing.txt")])
    reasons = {f.locator.rsplit("/", 1)[-1]: f.reason for f in summary.failures}
    assert summary.counts["added"] == 3  # good.txt, broken.html, record r1
    assert "binary" in reasons["binary.txt"]
    assert "empty" in reasons["empty.txt"]
    assert "not valid JSON" in reasons["records.jsonl:2"]
    assert "not a JSON object" in reasons["records.jsonl:3"]
    assert "no such file" in reasons["missing.txt"]
    assert len(_indexed_ids(settings)) == 3


def test_huge_file_is_refused_with_its_size(settings, tmp_path):
    settings = {**settings, "MAX_DOCUMENT_BYTES": 1000}
    (tmp_path / "huge.txt").write_text("word " * 1000, encoding="utf-8")
    summary = ingest_paths(settings, [str(tmp_path / "huge.txt")])
    assert summary.counts == {"failed": 1}
    assert "over the limit" in summary.failures[0].reason


def test_jsonl_mapping_keeps_speaker_event_and_date(settings, tmp_path):
    path = tmp_path / "speeches.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for number in range(3):
            handle.write(
                json.dumps(
                    {
                        "rid": f"s{number}",
                        "headline": f"Speech {number}",
                        "speech": "We welcome refugees. " * 10,
                        "who": "Ana Beltrán",
                        "meeting": "General Debate of the 79th session",
                        "day": f"2024-09-2{number}",
                    }
                )
                + "\n"
            )
    mapping = {
        "id": "rid",
        "title": "headline",
        "body": "speech",
        "speaker": "who",
        "event": "meeting",
        "date": "day",
    }
    summary = ingest_paths(settings, [str(path)], mapping=mapping, source="un")
    assert summary.counts == {"added": 3}
    with DocumentStore(data_dir(settings)) as store:
        docs = sorted(store.iter_documents(), key=lambda d: d.title)
    assert [d.title for d in docs] == ["Speech 0", "Speech 1", "Speech 2"]
    assert docs[0].speakers[0].name == "Ana Beltrán"
    assert "General Debate of the 79th session" in docs[0].events[0] or docs[0].events
    assert docs[2].date.isoformat() == "2024-09-22"
    assert {d.source for d in docs} == {"un"}


def test_utf16_and_cp1251_text_files(settings, tmp_path):
    (tmp_path / "utf16.txt").write_bytes(RELEASE.encode("utf-16"))
    russian = (
        "Совещание о трудовой миграции\n\nНачальник службы сказал, что мигрантам выдано больше патентов."
    )
    (tmp_path / "cp1251.txt").write_bytes(russian.encode("cp1251"))
    summary = ingest_paths(settings, [str(tmp_path)])
    assert summary.counts == {"added": 2}
    with DocumentStore(data_dir(settings)) as store:
        docs = {d.language: d for d in store.iter_documents()}
    assert docs["ru"].title == "Совещание о трудовой миграции"
    assert "Jonas Berg" in docs["en"].body


def test_known_inputs_are_skipped_until_deleted_or_changed(settings, tmp_path):
    from index.ingest.pipeline import Ingester

    path = tmp_path / "release.txt"
    path.write_text(RELEASE, encoding="utf-8")
    assert ingest_paths(settings, [str(path)]).counts == {"added": 1}
    assert ingest_paths(settings, [str(path)]).counts == {"unchanged": 1}
    # the same bytes under another source name are another input
    assert ingest_paths(settings, [str(path)], source="elsewhere").counts == {"added": 1}
    with Ingester(settings) as ingester:
        ingester.delete([d.id for d in ingester.store.iter_documents() if d.source != "elsewhere"])
    assert ingest_paths(settings, [str(path)]).counts == {"added": 1}


def _record(number: int, topic: str) -> str:
    body = (
        f"Release {number}\n\nThe Minister for Immigration spoke about {topic} at the regional forum. "
        f"Officials said {topic} would be reviewed with partner countries before the next session."
    )
    return json.dumps({"id": f"r{number}", "text": body}) + "\n"


def test_large_batch_is_indexed_by_several_processes_and_updated_in_place(settings, tmp_path):
    settings = {**settings, "INGEST_WORKERS": 2}
    mapping = {"body": "text", "id": "id"}
    records = tmp_path / "records.jsonl"
    records.write_text("".join(_record(n, "resettlement") for n in range(260)), encoding="utf-8")
    first = ingest_paths(settings, [str(records)], mapping=mapping)
    assert first.counts == {"added": 260}
    ix = windex.open_dir(str(index_path(data_dir(settings))))
    assert len(ix._segments()) >= 2  # one segment per indexing process  # noqa: SLF001
    ix.close()
    # change a third of the records: they are updated, never indexed twice
    changed = "".join(_record(n, "border screening" if n % 3 == 0 else "resettlement") for n in range(260))
    records.write_text(changed, encoding="utf-8")
    second = ingest_paths(settings, [str(records)], mapping=mapping)
    assert second.counts == {"updated": 87, "unchanged": 173}
    ix = windex.open_dir(str(index_path(data_dir(settings))))
    with ix.searcher() as searcher:
        assert searcher.doc_count() == 260
        ids = [fields["id"] for fields in searcher.all_stored_fields()]
        assert len(ids) == len(set(ids)) == 260
        parser = QueryParser("body", ix.schema)
        screening = {hit["id"] for hit in searcher.search(parser.parse("screening"), limit=None)}
        resettlement = {hit["id"] for hit in searcher.search(parser.parse("resettlement"), limit=None)}
        assert (len(screening), len(resettlement)) == (87, 173)
        assert not screening & resettlement
    ix.close()
