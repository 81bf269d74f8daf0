"""The CLI's promises that need no refresh: --help everywhere, exit codes, one-sentence errors."""

import pytest

from pipelines.cli import EXIT_FAILURE, build_parser, main

COMMANDS = ["demo", "refresh", "check", "status", "report", "close", "undo", "ui"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert "--home" in capsys.readouterr().out


def test_a_bad_period_is_a_usage_error_not_a_rejection(capsys):
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["refresh", "--period", "2026-13"])
    assert exit_info.value.code == EXIT_FAILURE  # 2 is reserved for rejected input
    assert "ingen period på formen ÅÅÅÅ-MM" in capsys.readouterr().err


def test_errors_are_one_sentence_with_the_traceback_behind_debug(workspace, capsys):
    assert main(["report", "--period", "2026-10", "--home", str(workspace.home)]) == EXIT_FAILURE
    err = capsys.readouterr().err
    assert err.startswith("Fel: Det finns inget publicerat lager") and "Traceback" not in err
    assert main(["report", "--period", "2026-10", "--home", str(workspace.home), "--debug"]) == 1
    assert "Traceback" in capsys.readouterr().err


def test_status_on_an_empty_workspace_says_what_to_do(workspace, capsys):
    assert main(["status", "--home", str(workspace.home)]) == 0
    assert "kör 'styrhjul demo' eller 'styrhjul refresh'" in capsys.readouterr().out


def test_close_refuses_a_period_that_was_never_published(workspace, capsys):
    assert main(["close", "--period", "2026-10", "--home", str(workspace.home)]) == EXIT_FAILURE
    assert "Fel:" in capsys.readouterr().err


def test_status_names_months_missing_from_the_ledger_history(tmp_path):
    import datetime as dt

    from pipelines.lib.run.status import Status, format_status

    text = format_status(
        Status(
            published=tmp_path / "styrhjul.duckdb",
            published_at=dt.datetime(2026, 11, 8, 6, 0),
            period="2026-10",
            gaps=["2024-03"],
        )
    )
    assert "Utfall saknas:    2024-03" in text


def test_status_shows_the_words_for_the_flag_codes(workspace, capsys):
    import duckdb

    workspace.ensure()
    workspace.warehouse_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(workspace.published_db)) as con:
        con.execute(
            """
            create schema marts; create schema raw;
            create table marts.rapportperiod as select '2026-10' as rapportperiod;
            create table raw.utfall as select '2026-10' as period;
            create table raw.periodstangningar (period varchar);
            create table raw.installningar (parameter varchar, varde varchar);
            create table raw.leveranser (source_file varchar, file_sha256 varchar);
            create table marts.atgardsplan as select * from (values
                ('AEN', 'Äldrenämnden', 'forsenad', -12300000.00, '2026-07', '2026-10', true),
                ('SOC', 'Socialnämnden', 'kraver_atgardsplan', -2000000.00, '2026-09',
                 '2026-10', true),
                ('BUN', 'Barn- och utbildningsnämnden', 'atgardad', 500000.00, null, '2026-10',
                 false)
            ) as t(namnd, namnd_namn, status, helarsavvikelse, forsta_flaggade_period, period,
                   flagga);
            """
        )
    assert main(["status", "--home", str(workspace.home)]) == 0
    out = capsys.readouterr().out
    # The mart holds codes; the controller reads the words, most negative first.
    assert (
        "  Äldrenämnden (AEN): försenad, helårsavvikelse −12,3 mnkr, flaggad sedan 2026-07\n"
        "  Socialnämnden (SOC): kräver åtgärdsplan, helårsavvikelse −2,0 mnkr, "
        "flaggad sedan 2026-09\n"
    ) in out
    assert "forsenad" not in out and "kraver_atgardsplan" not in out
    assert "Barn- och utbildningsnämnden" not in out  # åtgärdad is not an open flag
