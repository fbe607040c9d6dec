"""A new user's first hour: the CLI's help, what ``ingest FOLDER`` takes, progress, whole-search
exports from the CLI, readable labels, and ``make run`` not reinstalling when nothing changed."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import time
import tomllib

import pytest
from helpers import EXAMPLES, REPO

from web import labels, progress
from web.cli import main


def test_help_shows_our_options_not_flasks(runner):
    text = runner.invoke(main, ["--help"]).output
    assert "--data-dir" in text and "ingest" in text and "search" in text
    for flask_option in ("--env-file", "--app", "--debug"):
        assert flask_option not in text


def test_ingest_folder_takes_release_like_files_and_says_which_it_skipped(runner, tmp_path):
    folder = tmp_path / "agency"
    folder.mkdir()
    shutil.copy(EXAMPLES / "northland-migration-agency" / "2023-11-08-council-session.txt", folder)
    (folder / "README.md").write_text("# About these files\n\nDownloaded for a test.\n", encoding="utf-8")
    (folder / "SOURCE.txt").write_text("Where these came from.\n", encoding="utf-8")
    (folder / "notes.csv").write_text("a,b\n", encoding="utf-8")
    result = runner.invoke(main, ["ingest", str(folder)])
    assert result.exit_code == 0, result.output
    assert "added 1," in result.output
    assert "skipped 2 files that do not look like releases (README.md, SOURCE.txt)" in result.output
    assert "--include" in result.output
    again = runner.invoke(main, ["ingest", str(folder), "--include", "README*"])
    assert "skipped 1 file that does not look like a release (SOURCE.txt)" in again.output
    named = runner.invoke(main, ["ingest", str(folder / "SOURCE.txt"), "--json"])
    assert json.loads(named.stdout)["skipped"] == 0  # a file named directly is always read


def test_ingest_prints_progress_lines_when_not_a_terminal_and_quiet_stops_them(runner, monkeypatch, tmp_path):
    monkeypatch.setattr(progress, "EVERY_ITEMS", 2)
    folder = tmp_path / "releases"
    shutil.copytree(EXAMPLES / "northland-migration-agency", folder)
    result = runner.invoke(main, ["ingest", str(folder)])
    lines = [line for line in result.stderr.splitlines() if "inputs," in line]
    assert lines and lines[0].startswith("  2 inputs, 0 failed (") and "\r" not in result.stderr
    quiet = runner.invoke(main, ["ingest", "--quiet", str(folder)])
    assert "inputs," not in quiet.stderr and quiet.exit_code == 0


def test_progress_line_is_timed_rewritten_on_a_terminal_and_silent_when_quiet():
    now = [0.0]
    out = io.StringIO()
    line = progress.ProgressLine(stream=out, interval=5, every=1000, clock=lambda: now[0])
    for done in range(1, 11):
        now[0] = done * 1.0  # one item a second: a line after 5 s and 10 s
        line.update(done, f"{done} inputs")
    assert out.getvalue().splitlines() == ["  5 inputs (1/s, 5 s)", "  10 inputs (1/s, 10 s)"]

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    term = Terminal()
    live = progress.ProgressLine(stream=term, every=1, clock=lambda: 1.0)
    live.update(1, "1 inputs")
    live.finish()
    assert term.getvalue().startswith("\r  1 inputs") and term.getvalue().endswith("\n")
    silent = io.StringIO()
    progress.ProgressLine(stream=silent, quiet=True, every=1).update(5, "x")
    assert silent.getvalue() == ""


def test_search_all_writes_every_match_as_csv_or_jsonl(runner, tmp_path):
    result = runner.invoke(main, ["search", "migration", "--all", "--format", "csv", "--limit", "2"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    total = json.loads(runner.invoke(main, ["search", "migration", "--json"]).stdout)["total"]
    assert result.exit_code == 0 and len(rows) == total > 2
    assert rows[0]["doc_url"] == f"/doc/{rows[0]['id']}"
    out = tmp_path / "quotes.jsonl"
    written = runner.invoke(main, ["search", "quote:migration", "--all", "--format", "jsonl", "-o", str(out)])
    hits = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert written.exit_code == 0 and hits and all(hit["quote"]["speaker"] for hit in hits)
    assert runner.invoke(main, ["search", "migration", "--all"]).exit_code == 2


def test_search_all_past_the_cap_warns(examples_settings):
    from web import create_app
    from web.services import get_service

    app = create_app({"TESTING": True, **examples_settings, "EXPORT_MAX_ROWS": 2})
    result = app.test_cli_runner().invoke(main, ["search", "migration", "--all", "--format", "jsonl"])
    get_service(app).close()
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and json.loads(lines[-1])["truncated"] is True
    assert "export stopped at 2 of" in result.stderr and "MIGSEARCH_EXPORT_MAX_ROWS" in result.stderr


def test_labels_people_read():
    assert labels.language_name("en") == "English" and labels.language_name("ru") == "Russian"
    assert labels.language_name("zz") == "zz"
    assert labels.plural(1, "release") == "1 release" and labels.plural(1234, "release") == "1,234 releases"
    assert labels.quoted('"offshore processing"') == "“offshore processing”"
    assert labels.quoted('quote:"offshore processing"') == 'quote:"offshore processing"'
    assert labels.quoted("refugees") == "“refugees”"
    years = [{"value": str(y), "count": 1} for y in range(2024, 1994, -1)]
    decades = labels.by_decade(years)
    assert [d["decade"] for d in decades] == ["2020s", "2010s", "2000s", "1990s"]
    assert decades[-1]["count"] == 5 and len(labels.by_decade(years[:5])) == 1


def test_pages_show_language_names_plurals_and_one_level_of_quotes(web_client):
    page = web_client.get('/search?q="regular pathways"').get_data(as_text=True)
    assert "Results for “regular pathways”" in page and "“\"" not in page
    languages = web_client.get("/search?q=migration").get_data(as_text=True).split('id="facet-lang"')[1]
    assert ">English</a>" in languages.split("</section>")[0]
    assert re.search(r">1<span class=\"visually-hidden\"> release</span>", page)
    assert "1 releases" not in page


def test_every_year_is_reachable_from_the_home_page_grouped_by_decade(service_for, settings):
    releases = {
        f"release-{year}.txt": f"Statement on asylum {year}\n\n3 March {year}\n\nThe agency published its asylum "
        f"figures for {year}.\n"
        for year in range(1990, 2025, 2)
    }
    service_for(releases)
    from web import create_app
    from web.services import get_service

    app = create_app({"TESTING": True, **settings})
    home = app.test_client().get("/").get_data(as_text=True)
    get_service(app).close()
    assert 'class="decades"' in home and ">1990s<" in home and ">2020s<" in home
    for year in range(1990, 2025, 2):
        assert f"from={year}-01-01&amp;to={year}-12-31" in home


def test_a_single_month_is_drawn_among_its_neighbours():
    from web import chart

    svg = str(chart.render_histogram([{"period": "2024-03", "count": 4, "from": "2024-03-01", "to": "2024-03-31"}],
                                      lambda lo, hi: "/x"))
    assert svg.count('class="bar"') == chart.MIN_PERIODS and svg.count("<a ") == 1
    assert "Jan 2024" in svg or "Feb 2024" in svg


def test_packaging_declares_its_licence_and_data_without_deprecated_forms():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"  # an SPDX string, not the deprecated table
    data = project["tool"]["setuptools"]["package-data"]
    assert data["web.templates"] == ["*.html"] and data["web.static"] == ["*"]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_skips_pip_when_nothing_changed(tmp_path):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text("#!/bin/sh\n", encoding="utf-8")
    (venv / "bin" / "python").chmod(0o755)
    stamp = venv / ".installed-run"
    stamp.touch()
    later = time.time() + 60
    os.utime(stamp, (later, later))
    dry = subprocess.run(
        ["make", "-n", f"VENV={venv}", f"DATA_DIR={tmp_path / 'data'}", "run"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout
    assert "pip install" not in dry and "serve" in dry and f"{venv}/bin/migsearch" in dry
    os.utime(stamp, (0, 0))  # older than pyproject.toml: install again
    dry = subprocess.run(
        ["make", "-n", f"VENV={venv}", f"DATA_DIR={tmp_path / 'data'}", "run"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout
    assert "pip install" in dry

