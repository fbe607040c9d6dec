"""Helpers for the fault-injection tests: a synthetic corpus we write, the CLI in a subprocess, kills
at named moments, and the check that the store and the index agree."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import whoosh.index as windex

REPO = Path(__file__).resolve().parents[1]
WORDS = (
    "asylum refugee border visa migrant council session minister detention resettlement quota family "
    "reunion smuggling protection humanitarian arrival return labour integration citizenship camp "
    "processing island agreement cooperation statement report policy"
).split()

# Runs the migsearch CLI after arming a kill: ``KILL_AT=module:Class.method[#n]`` sends SIGKILL to the
# process when that function is called the n-th time (as the OOM killer would end it). It works on any
# version of the code, so the same test shows the failure on old code and its absence now.
_RUNNER = r"""
import importlib, os, signal, sys
spec = os.environ.get("KILL_AT")
if spec:
    target, _, nth = spec.partition("#")
    for alternative in target.split("|"):  # the same place under the old and the new module layout
        module_name, _, attr = alternative.partition(":")
        try:
            owner = importlib.import_module(module_name)
            parts = attr.split(".")
            for part in parts[:-1]:
                owner = getattr(owner, part)
            original = getattr(owner, parts[-1])
        except (ImportError, AttributeError):
            continue
        break
    else:
        raise SystemExit(f"KILL_AT: none of {target} exists")
    calls = [0]
    def killer(*args, **kwargs):
        calls[0] += 1
        if calls[0] >= int(nth or 1):
            os.kill(os.getpid(), signal.SIGKILL)
        return original(*args, **kwargs)
    setattr(owner, parts[-1], killer)
from web.cli import main
sys.argv = ["migsearch", *sys.argv[1:]]
main()
"""


def write_corpus(path: Path, count: int, *, seed: int = 7, prefix: str = "r") -> Path:
    """``count`` JSON Lines releases of made-up words (written by us), ids ``<prefix>0001``..."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as handle:
        for number in range(1, count + 1):
            body = " ".join(rng.choice(WORDS) for _ in range(120)) + "."
            record = {
                "id": f"{prefix}{number:04d}",
                "title": f"Release {number} on {rng.choice(WORDS)} and {rng.choice(WORDS)}",
                "text": f"The ministry said on the {number}th: {body}",
                "date": f"20{10 + number % 10}-0{1 + number % 9}-1{number % 9}",
            }
            handle.write(json.dumps(record) + "\n")
    return path


def cli_env(data_dir: Path, **extra: str) -> dict:
    """The environment for a CLI subprocess on ``data_dir``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MIGSEARCH_")}
    env.update(
        {
            "MIGSEARCH_DATA_DIR": str(data_dir),
            "MIGSEARCH_WRITE_LOCK_TIMEOUT": "5",
            "MIGSEARCH_INGEST_WORKERS": "2",
            "PYTHONPATH": str(REPO),
        }
    )
    env.update(extra)
    return env


def start_cli(data_dir: Path, *args: str, kill_at: str | None = None, preexec=None, **env: str) -> subprocess.Popen:
    """Start ``migsearch ARGS`` in a subprocess (its own process group), optionally with a kill armed."""
    extra = dict(env)
    if kill_at:
        extra["KILL_AT"] = kill_at
    return subprocess.Popen(
        [sys.executable, "-c", _RUNNER, *args],
        env=cli_env(data_dir, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=preexec,
    )


def run_cli(
    data_dir: Path, *args: str, kill_at: str | None = None, timeout: float = 240, preexec=None, **env: str
) -> subprocess.CompletedProcess:
    """Run ``migsearch ARGS`` to its end (or kill its whole group after ``timeout`` seconds and fail)."""
    proc = start_cli(data_dir, *args, kill_at=kill_at, preexec=preexec, **env)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        out, err = proc.communicate()
        message = f"migsearch {' '.join(args)} did not end within {timeout} s (hung)\n{err[-2000:]}"
        raise AssertionError(message) from None
    finally:
        reap_group(proc)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL every process of ``proc``'s group (the test's own children only)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def group_members(pgid: int) -> list[int]:
    """Pids of live (not zombie) processes in process group ``pgid``."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(entry.name))
    return members


def reap_group(proc: subprocess.Popen) -> None:
    """Make sure nothing of ``proc``'s process group is left running (after a test's kill)."""
    deadline = time.monotonic() + 10
    while group_members(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    kill_group(proc)


def children_of(pid: int) -> list[int]:
    """Pids whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def index_ids(data_dir: Path) -> Counter:
    """Live document ids in the index, with how often each occurs."""
    ix = windex.open_dir(str((data_dir / "index").resolve()))
    try:
        with ix.reader() as reader:
            return Counter(fields["id"] for _, fields in reader.iter_docs())
    finally:
        ix.close()


def store_ids(data_dir: Path) -> set[str]:
    """Every id in the store (read directly with sqlite3)."""
    with sqlite3.connect(data_dir / "store.sqlite3") as connection:
        return {row[0] for row in connection.execute("SELECT id FROM documents")}


def assert_agree(data_dir: Path) -> None:
    """The store and the index hold the same documents, each once in the index."""
    in_index = index_ids(data_dir)
    stored = store_ids(data_dir)
    doubled = sorted(doc_id for doc_id, n in in_index.items() if n > 1)
    assert not doubled, f"ids indexed more than once: {doubled[:5]}"
    assert set(in_index) - stored == set(), f"ghosts in the index: {sorted(set(in_index) - stored)[:5]}"
    assert stored - set(in_index) == set(), f"stored but not indexed: {sorted(stored - set(in_index))[:5]}"


def doc_id(data_dir: Path, number: int) -> str:
    """The stored id of the corpus release numbered ``number`` (ids are derived from source and id)."""
    with sqlite3.connect(data_dir / "store.sqlite3") as connection:
        row = connection.execute(
            "SELECT id FROM documents WHERE title LIKE ? ORDER BY id LIMIT 1", (f"Release {number} on %",)
        ).fetchone()
    assert row, f"release {number} is not stored"
    return row[0]
