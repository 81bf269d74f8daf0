"""Shared fixtures. Tests never touch ./data: each gets its own workspace under tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    from pipelines.lib.workspace import Workspace

    monkeypatch.setenv("STYRHJUL_HOME", str(tmp_path / "ws"))
    return Workspace.resolve(tmp_path / "ws").ensure()
