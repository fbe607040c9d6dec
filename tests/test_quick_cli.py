"""``migsearch search`` and ``stats`` start quickly: the executable runs them without Flask or the ingest
pipeline, and they answer exactly as through the Flask command group."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from web.cli import main
from web.launch import quick_command

PROBE = """
import json, sys
from web.launch import launch
sys.argv = ["migsearch"] + sys.argv[1:]
try:
    launch()
except SystemExit as exit:
    code = exit.code
else:
    code = 0
heavy = sorted({m.split(".")[0] + "." + m.split(".")[1] if m.startswith("index.") and "." in m else m.split(".")[0]
                for m in sys.modules} & {"flask", "werkzeug", "jinja2", "bs4", "lxml", "pycountry", "index.ingest",
                                         "index.crawl", "index.normalize", "index.inputs"})
print(json.dumps({"code": code, "heavy": heavy, "whoosh": "whoosh" in sys.modules}), file=sys.stderr)
"""


def _launch(*args: str) -> tuple[str, dict]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120, check=False
    )
    return done.stdout, json.loads(done.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["search", "x"], "search"),
        (["--data-dir", "/d", "search", "x"], "search"),
        (["--data-dir=/d", "stats", "--json"], "stats"),
        (["--data-dir", "/d", "ingest", "x"], None),
        (["--help"], None),
        (["serve"], None),
        ([], None),
        (["--app", "x", "search"], None),
    ],
)
def test_only_search_and_stats_take_the_quick_way(argv, expected):
    assert quick_command(argv) == expected


def test_quick_search_and_stats_match_the_flask_group_without_loading_flask(examples_settings, runner):
    data_dir = examples_settings["DATA_DIR"]
    output, probe = _launch("--data-dir", data_dir, "search", "refugees", "--json")
    assert probe["code"] == 0 and probe["heavy"] == []
    quick = json.loads(output)
    through_flask = json.loads(runner.invoke(main, ["search", "refugees", "--json"]).output)
    assert quick["total"] == through_flask["total"] > 0
    assert [hit["id"] for hit in quick["hits"]] == [hit["id"] for hit in through_flask["hits"]]
    assert quick["facets"] == through_flask["facets"]

    output, probe = _launch("--data-dir", data_dir, "stats", "--json")
    assert probe == {"code": 0, "heavy": [], "whoosh": False}  # the index's manifest is enough
    stats = json.loads(output)
    assert stats["documents"] == stats["index"]["documents"] == 9
    assert stats["index"]["index_state"] == "ok"

    output, probe = _launch("--data-dir", data_dir, "search", "x", "--sort", "random")
    assert probe["code"] == 2  # usage errors keep their exit code


def test_stats_from_the_manifest_follow_each_commit_and_fall_back_without_one(examples_settings, tmp_path):
    """``stats`` reads the index's count from the manifest written at each commit (no Whoosh loaded);
    after a delete it shows the new count, and an index without a current manifest is read by Whoosh."""
    import shutil
    from pathlib import Path

    from index.engine.generations import index_health
    from index.engine.integrity import MANIFEST

    data = tmp_path / "copy"
    shutil.copytree(examples_settings["DATA_DIR"], data, symlinks=True)
    found, probe = _launch("--data-dir", str(data), "search", "refugees", "--format", "jsonl", "--all")
    doc_id = json.loads(found.splitlines()[0])["id"]
    _, probe = _launch("--data-dir", str(data), "delete", doc_id)
    assert probe["code"] == 0
    output, probe = _launch("--data-dir", str(data), "stats", "--json")
    assert probe == {"code": 0, "heavy": [], "whoosh": False}
    stats = json.loads(output)
    assert stats["index"]["documents"] == index_health(data)["documents"] == 8

    (Path(data / "index").resolve() / MANIFEST).unlink()  # as an index written before the manifest
    output, probe = _launch("--data-dir", str(data), "stats", "--json")
    assert probe["code"] == 0 and probe["whoosh"] is True
    assert json.loads(output)["index"]["documents"] == 8
