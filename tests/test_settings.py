"""One typed Settings from one loader: every text value read as its type, the same in the CLI, the app and
the crawler (regressions: ``MIGSEARCH_ALLOW_PRIVATE_ADDRESSES=no`` allowed private addresses in
``migsearch crawl``; ``INGEST_WORKERS`` meant 1 in the pipeline and "one per core" in the settings table)."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from index.crawl.netsafety import AddressPolicy
from index.ingest.pipeline import _worker_count
from index.settings import SETTINGS, Settings, SettingsError, load_settings
from web import create_app


def test_settings_declare_every_setting_once_typed_and_frozen() -> None:
    names = [f.name for f in dataclasses.fields(Settings) if f.name != "extra"]
    assert names == [setting.name.lower() for setting in SETTINGS]
    settings = load_settings({"DATA_DIR": "/tmp/x"}, environ={})
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.data_dir = "/elsewhere"  # type: ignore[misc]
    assert settings["DATA_DIR"] == settings.data_dir == "/tmp/x"
    assert {**settings}["WRITE_LOCK_TIMEOUT"] == 30.0


@pytest.mark.parametrize(("text", "value"), [("no", False), ("0", False), ("off", False), ("false", False),
                                              ("yes", True), ("1", True), ("On", True)])
def test_booleans_from_the_environment(text: str, value: bool) -> None:
    settings = load_settings(environ={"MIGSEARCH_ALLOW_PRIVATE_ADDRESSES": text})
    assert settings.allow_private_addresses is value


def test_unreadable_values_are_refused_with_the_variable_named() -> None:
    with pytest.raises(SettingsError, match="MIGSEARCH_ALLOW_PRIVATE_ADDRESSES must be true or false"):
        load_settings(environ={"MIGSEARCH_ALLOW_PRIVATE_ADDRESSES": "maybe"})
    with pytest.raises(SettingsError, match="MIGSEARCH_INGEST_WORKERS must be a whole number"):
        load_settings(environ={"MIGSEARCH_INGEST_WORKERS": "many"})


def test_overrides_win_over_the_environment_and_keep_unknown_keys() -> None:
    settings = load_settings({"CRAWL_DELAY": "0.5", "TESTING": True}, environ={"MIGSEARCH_CRAWL_DELAY": "3"})
    assert settings.crawl_delay == 0.5 and settings["TESTING"] is True


def test_crawl_cli_reads_no_as_no(monkeypatch, tmp_path: Path) -> None:
    """The crawl command's address policy refuses private addresses when the variable says ``no``."""
    from web.crawl_cli import _settings

    monkeypatch.setenv("MIGSEARCH_ALLOW_PRIVATE_ADDRESSES", "no")
    app = create_app({"DATA_DIR": str(tmp_path / "data")})
    with app.app_context():
        settings = _settings()
    policy = AddressPolicy.from_settings(settings)
    assert not policy.allow_private
    assert settings["ALLOW_PRIVATE_ADDRESSES"] is False
    assert app.config["ALLOW_PRIVATE_ADDRESSES"] is False


def test_ingest_workers_default_is_one_per_core_everywhere(tmp_path: Path) -> None:
    assert load_settings(environ={}).ingest_workers == 0
    cores = os.cpu_count() or 1
    assert _worker_count({"DATA_DIR": str(tmp_path)}) == cores  # a partial mapping gets the same default
    assert _worker_count(load_settings({"DATA_DIR": str(tmp_path), "INGEST_WORKERS": 1})) == 1
