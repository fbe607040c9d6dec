"""Bad inputs and odd requests get a clear answer and lose nothing (issue 12, items 9 and 10)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
import whoosh.index as windex

from index.engine.lock import WriteLock
from index.ingest.pipeline import Ingester, ingest_paths
from index.settings import load_settings
from web import create_app
from web.cli import main


def _records(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _store_rows(settings: dict) -> dict[str, str]:
    with sqlite3.connect(Path(settings["DATA_DIR"]) / "store.sqlite3") as connection:
        return dict(connection.execute("SELECT title, body FROM documents"))


RELEASES = [
    {
        "id": f"x{n}",
        "title": f"Asylum statement {n} of the migration council on quotas and visas",
        "text": f"The council met on asylum quotas, item {n}. " * 8,
    }
    for n in range(3)
]


@pytest.fixture
def app(settings):
    return create_app({"DATA_DIR": settings["DATA_DIR"], "TESTING": True})


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def _invoke(runner, *args: str):
    return runner.invoke(main, list(args), catch_exceptions=False)


# -- 9. inputs ----------------------------------------------------------------------------------------


def test_map_naming_a_field_no_record_has_is_a_usage_error_before_anything_is_written(runner, settings, tmp_path):
    path = _records(tmp_path / "r.jsonl", RELEASES)
    result = _invoke(runner, "ingest", str(path), "--map", "body=txet")
    assert result.exit_code == 2
    assert "body=txet" in result.output and "nothing was ingested" in result.output
    assert not (Path(settings["DATA_DIR"]) / "store.sqlite3").exists() or not _store_rows(settings)


def test_reingest_never_replaces_a_stored_body_with_an_empty_one(settings, tmp_path):
    summary = ingest_paths(settings, [str(_records(tmp_path / "a.jsonl", RELEASES))])
    assert summary.counts["added"] == 3
    emptied = [dict(r, text="") for r in RELEASES]  # same ids and titles, the body gone
    summary = ingest_paths(settings, [str(_records(tmp_path / "b.jsonl", emptied))])
    assert summary.counts["failed"] == 3 and summary.counts["updated"] == 0
    assert all("no body text" in f.reason for f in summary.failures)
    assert all(len(body) > 100 for body in _store_rows(settings).values())


def test_a_missing_mapped_field_is_named_in_the_failure(settings, tmp_path):
    path = _records(tmp_path / "r.jsonl", [{"id": "a", "words": "x"}, {"id": "b", "body": "long text " * 20}])
    summary = ingest_paths(settings, [str(path)], mapping={"body": "body"})
    assert summary.counts["failed"] == 1
    assert "body=body" in summary.failures[0].reason


def test_documents_with_an_empty_body_render(app, settings, tmp_path):
    path = _records(tmp_path / "r.jsonl", [{"id": "t", "title": "A release with a title and no body text at all"}])
    ingest_paths(settings, [str(path)])
    with sqlite3.connect(Path(settings["DATA_DIR"]) / "store.sqlite3") as connection:
        (doc_id,) = connection.execute("SELECT id FROM documents").fetchone()
    client = app.test_client()
    assert client.get(f"/doc/{doc_id}").status_code == 200
    answer = client.get(f"/api/v1/docs/{doc_id}")
    assert answer.status_code == 200 and answer.get_json()["document"]["title"].startswith("A release")


# -- 10. smaller ---------------------------------------------------------------------------------------


def test_long_ingests_commit_in_steps(settings):
    settings = dict(settings, COMMIT_EVERY_SECONDS=0.0)
    from index.document import Document

    with Ingester(settings) as ingester:
        for n in range(3):
            doc = Document(
                id=f"d{n}", source="s", url=None, title=f"Title {n}", date=None, language="en",
                body=f"Body text about asylum number {n}.", raw=b"x", raw_kind="text",
            )
            ingester.add_document(doc, locator=f"d{n}")
        ix = windex.open_dir(str((Path(settings["DATA_DIR"]) / "index").resolve()))
        try:
            assert ix.doc_count() >= 2, "nothing was searchable before the ingest ended"
        finally:
            ix.close()


def test_distinct_exit_codes_for_failed_inputs_busy_writer_and_usage(runner, settings, tmp_path):
    good = _records(tmp_path / "good.jsonl", RELEASES)
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    assert _invoke(runner, "ingest", str(good)).exit_code == 0
    assert _invoke(runner, "ingest", str(bad)).exit_code == 1
    assert runner.invoke(main, ["ingest", str(good), "--no-such-option"]).exit_code == 2
    with WriteLock(Path(settings["DATA_DIR"])):
        result = runner.invoke(main, ["reindex"])
    assert result.exit_code == 3, result.output
    assert "another migsearch writer" in result.output


def _hostile_host(client, url: str) -> str:
    return client.get(url, headers={"Host": "evil.example"}).get_data(as_text=True)


def test_host_header_is_not_copied_into_feed_csv_and_json_links(app, settings, tmp_path):
    ingest_paths(settings, [str(_records(tmp_path / "r.jsonl", RELEASES))])
    client = app.test_client()
    for url in ("/feed.atom?q=asylum", "/api/v1/search.csv?q=asylum", "/api/v1/search?q=asylum"):
        body = _hostile_host(client, url)
        assert "asylum" in body.lower() or "Asylum" in body, url
        assert "evil.example" not in body, url
    app.config["PUBLIC_URL"] = "https://search.example.org"
    assert "https://search.example.org/doc/" in _hostile_host(client, "/api/v1/search.csv?q=asylum")


def test_allow_list_values_are_checked():
    from index.crawl.netsafety import parse_allow_list

    assert [str(n) for n in parse_allow_list("127.0.0.1, 10.1.0.0/16")] == ["127.0.0.1/32", "10.1.0.0/16"]
    with pytest.raises(ValueError, match="not an IP address or network"):
        parse_allow_list("garbage")
    with pytest.raises(ValueError, match="host bits set.*127.0.0.0/8.*127.0.0.2/32"):
        parse_allow_list("127.0.0.2/8")


def test_crawl_with_a_bad_allow_list_is_a_usage_error(settings):
    app = create_app({"DATA_DIR": settings["DATA_DIR"], "TESTING": True, "ALLOWED_ADDRESSES": "garbage"})
    result = app.test_cli_runner().invoke(main, ["crawl", "http://127.0.0.1:9/"])
    assert result.exit_code == 2, result.output
    assert "not an IP address or network" in result.output


@pytest.mark.parametrize(
    ("url", "needle"),
    [
        ("/api/v1/search?q=date:>notadate", "is not a date"),
        ("/api/v1/search?q=refugee+date:[soon+TO+2020]", "is not a date"),
        ("/api/v1/search?q=refugee&lang=xx", "ISO 639-1"),
    ],
)
def test_bad_dates_in_the_query_and_unknown_languages_are_a_400(app, examples_settings, url, needle):
    answer = app.test_client().get(url)
    assert answer.status_code == 400
    assert needle in answer.get_json()["error"]


def test_good_dates_and_languages_still_work(app, examples_settings):
    client = app.test_client()
    for url in ("/api/v1/search?q=date:>2019", "/api/v1/search?q=refugee&lang=ru", "/api/v1/search?q=date:[2001+TO]"):
        assert client.get(url).status_code == 200, url


def test_csv_formula_guard_leaves_negative_numbers_alone():
    from web.exports import csv_cell as _csv_cell

    assert _csv_cell(-3.5) == "-3.5"
    assert _csv_cell("-12") == "-12"
    assert _csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _csv_cell("-2+3") == "'-2+3"
    assert _csv_cell("@SUM(A1)") == "'@SUM(A1)"
    rows = list(csv.reader(io.StringIO('"-0.25"\n')))
    assert _csv_cell(rows[0][0]) == "-0.25"


def test_settings_have_defaults():
    settings = load_settings()
    assert settings["COMMIT_EVERY_SECONDS"] == 60.0 and settings["PUBLIC_URL"] == ""
