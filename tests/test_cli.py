"""Every ``migsearch`` command through Flask's CLI runner, on real data directories."""

from __future__ import annotations

import csv
import io
import json

from web.cli import main


def _run(runner, *args: str):
    return runner.invoke(main, list(args), catch_exceptions=False)


def test_search_json_shape(runner):
    result = _run(runner, "search", "detention", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["total"] >= 1
    hit = data["hits"][0]
    assert set(hit) >= {"id", "title", "date", "speakers", "events", "score", "snippet"}
    assert set(data["facets"]) >= {"speaker", "event", "country", "source", "year"}


def test_search_filters_and_text_output(runner):
    result = _run(runner, "search", "--speaker", "Elena Marchetti", "--sort", "date")
    assert result.exit_code == 0
    assert result.output.startswith("2 results")
    assert "World Refugee Day" in result.output
    dated = _run(runner, "search", "refugees", "--from", "2024-06", "--to", "2024-06", "--json")
    assert all(h["date"].startswith("2024-06") for h in json.loads(dated.output)["hits"])


def test_search_usage_errors_exit_2(runner):
    assert runner.invoke(main, ["search", "x", "--from", "notadate"]).exit_code == 2
    assert runner.invoke(main, ["search", "x", "--limit", "100000"]).exit_code == 2
    assert runner.invoke(main, ["search", "x", "--sort", "random"]).exit_code == 2


def test_ingest_reports_and_exit_codes(runner, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("New release\n\nThe minister said asylum rules will change next year.", "utf-8")
    result = _run(runner, "ingest", str(good))
    assert result.exit_code == 0
    assert "added 1" in result.output
    again = _run(runner, "ingest", str(good), "--json")
    assert json.loads(again.output)["unchanged"] == 1
    (tmp_path / "bad.bin").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" * 20)
    mixed = runner.invoke(main, ["ingest", str(tmp_path / "bad.bin"), str(good)])
    assert mixed.exit_code == 1
    assert "binary" in mixed.output
    assert runner.invoke(main, ["ingest", "x.jsonl", "--map", "nonsense=field"]).exit_code == 2


def test_extract_prints_json_lines_and_stores_nothing(runner, tmp_path):
    from helpers import EXAMPLES

    before = json.loads(_run(runner, "stats", "--json").output)["documents"]
    result = _run(runner, "extract", str(EXAMPLES / "coastal-refugee-council"))
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert len(lines) == 2
    for line in lines:
        assert set(line) >= {
            "input",
            "id",
            "title",
            "date",
            "language",
            "body",
            "speakers",
            "events",
            "organisations",
            "countries",
        }
    assert any(s["name"] == "Amira Haddad" for line in lines for s in line["speakers"])
    assert json.loads(_run(runner, "stats", "--json").output)["documents"] == before


def test_stats_delete_export_and_reindex(runner, tmp_path):
    stats = json.loads(_run(runner, "stats", "--json").output)
    assert stats["documents"] == 9
    assert stats["index"]["documents"] == 9
    exported = _run(runner, "export")
    rows = [json.loads(line) for line in exported.output.splitlines() if line.startswith("{")]
    assert len(rows) == 9 and all("raw_base64" in row for row in rows)
    first = rows[0]["id"]
    assert "deleted 1 document" in _run(runner, "delete", first).output
    missing = runner.invoke(main, ["delete", "no-such-id"])
    assert missing.exit_code == 1
    deleted = _run(runner, "delete", "--source", "records")
    assert "deleted 2 documents" in deleted.output or "deleted 1 document" in deleted.output
    rebuilt = _run(runner, "reindex", "--full")
    assert "rebuilt index" in rebuilt.output
    after = json.loads(_run(runner, "stats", "--json").output)
    assert after["index"]["documents"] == after["documents"] < 9
    assert runner.invoke(main, ["delete"]).exit_code == 2


def test_search_text_and_csv_show_the_snippet_as_plain_text(runner):
    """The terminal list and the CSV read the snippet's spans: its words, never its HTML."""
    spans = json.loads(_run(runner, "search", "detention", "--json").output)["hits"][0]["snippet_spans"]
    plain = "".join(span["text"] for span in spans)
    assert any(span["match"] and span["text"].lower() == "detention" for span in spans)
    text = _run(runner, "search", "detention").output
    assert plain in text and "<mark" not in text and "&lt;" not in text
    rows = list(csv.DictReader(io.StringIO(_run(runner, "search", "detention", "--format", "csv").output)))
    assert rows[0]["snippet"] == plain
