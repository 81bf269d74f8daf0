"""The report types' registry and `styrhjul report`'s refusals (each one Swedish sentence, exit
1, nothing written), checked before any warehouse is read."""

import pytest

from pipelines.cli import EXIT_FAILURE, main
from pipelines.lib.report import write_reports
from pipelines.lib.report.types import REPORT_TYPES, report_type


def _report(workspace, capsys, *args):
    code = main(["report", *args, "--home", str(workspace.home)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def test_the_month_report_keeps_its_name_and_scope():
    kind = report_type("manadsrapport")
    assert (kind.scope, kind.per_namnd, kind.file_stem(None)) == ("period", False, "manadsrapport")


def test_an_unknown_type_names_the_known_ones(workspace, capsys):
    code, err = _report(workspace, capsys, "--type", "kvartalsrapport", "--period", "2026-03")
    assert code == EXIT_FAILURE
    assert err.startswith("Fel: Okänd rapporttyp 'kvartalsrapport'; finns: manadsrapport")
    assert not workspace.reports.exists() or not any(workspace.reports.iterdir())


def test_a_period_type_refuses_a_year(workspace, capsys):
    code, err = _report(workspace, capsys, "--type", "manadsrapport", "--year", "2025")
    assert code == EXIT_FAILURE
    assert "Rapporttypen manadsrapport gäller en period: ange --period ÅÅÅÅ-MM." in err


def test_a_kommun_type_refuses_a_namnd(workspace):
    with pytest.raises(ValueError, match="gäller hela kommunen, inte en nämnd"):
        write_reports(workspace, "manadsrapport", "2026-03", "BUN")


def test_the_key_must_match_the_scope(workspace):
    with pytest.raises(ValueError, match=r"gäller en period ÅÅÅÅ-MM \(--period\), inte '2025'"):
        write_reports(workspace, "manadsrapport", "2025")


def test_the_default_type_is_the_month_report(workspace, capsys):
    # Without --type the month report is written: with nothing published, its own refusal.
    code, err = _report(workspace, capsys, "--period", "2026-03")
    assert code == EXIT_FAILURE and "Det finns inget publicerat lager" in err


def test_help_is_swedish_and_lists_the_types(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    out = capsys.readouterr().out
    assert "rapporttyp:" in out and "--namnd" in out
    for code in REPORT_TYPES:
        assert code in out
