"""The command line does what was asked: a global option before the subcommand is honoured, and
the UI listens on this machine only unless `--host` says otherwise (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines import cli


@pytest.mark.parametrize(
    "argv",
    [
        ["--home", "/x/ws", "--debug", "refresh"],
        ["refresh", "--home", "/x/ws", "--debug"],
        ["--debug", "refresh", "--home", "/x/ws"],
        ["--home", "/x/ws", "refresh", "--debug"],
    ],
)
def test_global_options_hold_in_either_order(argv):
    args = cli.build_parser().parse_args(argv)
    assert args.home == Path("/x/ws")
    assert args.debug is True
    assert args.command == "refresh"


def test_without_global_options_the_defaults_apply():
    args = cli.build_parser().parse_args(["status"])
    assert args.home is None and args.debug is False


def test_the_option_after_the_subcommand_wins_over_the_one_before():
    args = cli.build_parser().parse_args(["--home", "/a", "status", "--home", "/b"])
    assert args.home == Path("/b")


def test_home_before_the_subcommand_is_the_workspace_used(tmp_path, monkeypatch):
    """Not just parsed: `styrhjul --home X status` reads X, never ./data."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STYRHJUL_HOME", raising=False)
    home = tmp_path / "annan"
    used = []
    resolve = cli.Workspace.resolve
    monkeypatch.setattr(
        cli.Workspace, "resolve", classmethod(lambda c, h=None: used.append(h) or resolve(h))
    )
    assert cli.main(["--home", str(home), "--debug", "status"]) == 0
    assert used == [home]
    assert not (tmp_path / "data").exists()


def test_ui_binds_localhost_by_default(tmp_path):
    args = cli.build_parser().parse_args(["ui", "--home", str(tmp_path)])
    assert args.host == "127.0.0.1"
    from pipelines.lib.workspace import Workspace

    command = cli.ui_command(Workspace.resolve(tmp_path).ensure(), args.host, args.port)
    assert command[command.index("-h") + 1] == "127.0.0.1"
    assert command[0] == __import__("sys").executable


def test_ui_host_option_is_passed_on(tmp_path):
    args = cli.build_parser().parse_args(["--home", str(tmp_path), "ui", "--host", "0.0.0.0"])
    from pipelines.lib.workspace import Workspace

    command = cli.ui_command(Workspace.resolve(tmp_path).ensure(), args.host, args.port)
    assert command[command.index("-h") + 1] == "0.0.0.0"
