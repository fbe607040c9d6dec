"""The README tells the truth: every setting and every command is documented."""

from __future__ import annotations

from helpers import REPO

from index.settings import SETTINGS
from web.cli import main

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme():
    missing = [s.name for s in SETTINGS if f"MIGSEARCH_{s.name}" not in README]
    assert missing == []


def test_every_command_is_in_the_readme():
    missing = [name for name in main.commands if f"migsearch {name}" not in README]
    assert missing == []


def test_the_readme_names_the_two_quick_start_commands():
    assert "make run" in README and "make test" in README
