"""The empty-inbox shortcut (pipelines/lib/warehouse/current.py): a refresh is skipped only when
the published warehouse is exactly what it would rebuild."""

from __future__ import annotations

import os

import pytest
import yaml

from pipelines.lib import settings
from pipelines.lib.warehouse import current


@pytest.fixture
def published(workspace):
    """A workspace whose last CLI refresh published 2026-10 with its reports."""
    settings.load_settings(workspace.config_file)  # writes the defaults
    workspace.published_db.write_bytes(b"lager")
    (workspace.reports / "2026-10").mkdir(parents=True)
    (workspace.reports / "2026-10" / "manadsrapport.html").write_text("rapport")
    current.record(workspace, None, "2026-10")
    return workspace


def test_nothing_new_is_current(published):
    assert current.is_current(published, None) == "2026-10"


def test_a_file_in_the_inbox_runs_the_refresh(published):
    (published.inbox / "utfall_2026-11.csv").write_text("period;ansvar\n")
    assert current.is_current(published, None) is None


def test_another_period_runs_the_refresh(published):
    assert current.is_current(published, "2026-09") is None


def test_changed_settings_run_the_refresh(published):
    conf = yaml.safe_load(published.config_file.read_text(encoding="utf-8"))
    conf["atgardsplan"]["tolerans_kr"] = 1000
    published.config_file.write_text(yaml.safe_dump(conf), encoding="utf-8")
    assert current.is_current(published, None) is None


def test_kolada_online_always_runs_the_refresh(published):
    conf = yaml.safe_load(published.config_file.read_text(encoding="utf-8"))
    conf["kolada"]["online"] = True
    published.config_file.write_text(yaml.safe_dump(conf), encoding="utf-8")
    current.record(published, None, "2026-10")
    assert current.is_current(published, None) is None


def test_a_warehouse_published_by_another_run_runs_the_refresh(published):
    stat = published.published_db.stat()
    os.utime(published.published_db, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert current.is_current(published, None) is None


def test_missing_reports_run_the_refresh(published):
    (published.reports / "2026-10" / "manadsrapport.html").unlink()
    assert current.is_current(published, None) is None


def test_another_code_version_runs_the_refresh(published, monkeypatch):
    monkeypatch.setattr(current, "code_version", lambda: "en annan version")
    assert current.is_current(published, None) is None
