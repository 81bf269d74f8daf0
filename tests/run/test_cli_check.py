"""`styrhjul check`: the refresh's intake checks without a refresh (issue 13). Nothing is
moved, loaded or published; exit 0 when everything would be accepted, 2 when something must
be fixed, with the same row-and-column reasons the refresh gives."""

from __future__ import annotations

import duckdb

from pipelines.cli import EXIT_OK, EXIT_REJECTED, main


def _ledger_rows(home, period: str, rows: int = 3) -> list[tuple]:
    con = duckdb.connect(str(home / "warehouse" / "styrhjul.duckdb"), read_only=True)
    try:
        return con.execute(
            "select ansvar, verksamhet, konto, belopp from raw.utfall where period = ? "
            "order by source_row limit ?",
            [period, rows],
        ).fetchall()
    finally:
        con.close()


def _write_utfall(path, period: str, rows: list[tuple], bad_amount_on: int | None = None):
    lines = ["period;ansvar;verksamhet;konto;belopp"]
    for i, (ansvar, verksamhet, konto, belopp) in enumerate(rows):
        amount = "12 kr" if i == bad_amount_on else f"{belopp}".replace(".", ",")
        lines.append(f"{period};{ansvar};{verksamhet};{konto};{amount}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _state(home) -> tuple:
    published = home / "warehouse" / "styrhjul.duckdb"
    return (
        published.stat().st_mtime_ns,
        sorted(p.name for p in (home / "quarantine").iterdir()),
        sorted(p.name for p in (home / "archive").iterdir()),
    )


def test_a_good_file_is_reported_accepted_and_nothing_changes(published_demo, tmp_path, capsys):
    home = published_demo["home"]
    before = _state(home)
    rows = _ledger_rows(home, "2026-10")
    good = _write_utfall(tmp_path / "utfall_2026_11.csv", "2026-11", rows)

    assert main(["check", str(good), "--home", str(home)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "utfall_2026_11.csv: godkänd (utfall, 3 rader)" in out
    assert "det publicerade lagret" in out
    assert good.exists() and _state(home) == before


def test_a_bad_file_gets_its_row_and_reason_and_stays_where_it_is(published_demo, tmp_path, capsys):
    home = published_demo["home"]
    before = _state(home)
    bad = _write_utfall(
        tmp_path / "utfall_2026_11.csv", "2026-11", _ledger_rows(home, "2026-10"), bad_amount_on=1
    )

    assert main(["check", str(bad), "--home", str(home)]) == EXIT_REJECTED
    err = capsys.readouterr().err
    # Row 3: the header is row 1, the second data row row 3.
    assert "utfall_2026_11.csv: 1 fel" in err
    assert "rad 3, kolumn belopp: Beloppet går inte att tolka som ett tal" in err, err
    assert "Inga filer flyttades" in err and "Traceback" not in err
    assert bad.exists() and _state(home) == before


def test_a_skipped_month_is_named_before_any_refresh(published_demo, tmp_path, capsys):
    """The demo is published up to 2026-10: a December ledger without November is refused as
    the refresh would refuse it, naming the month."""
    home = published_demo["home"]
    december = _write_utfall(
        tmp_path / "utfall_2026_12.csv", "2026-12", _ledger_rows(home, "2026-10")
    )
    assert main(["check", str(december), "--home", str(home)]) == EXIT_REJECTED
    err = capsys.readouterr().err
    assert "utfall_2026_12.csv: godkänd" in err
    assert "Utfall saknas för 2026-11 inför rapportperioden 2026-12" in err


def test_an_already_loaded_file_is_named_as_such(published_demo, capsys):
    home = published_demo["home"]
    archived = next(p for p in sorted((home / "archive").iterdir()) if p.suffix == ".csv")
    assert main(["check", str(archived), "--home", str(home)]) == EXIT_OK
    assert "redan inläst" in capsys.readouterr().out


def test_without_a_published_warehouse_the_inbox_is_checked_against_an_empty_one(workspace, capsys):
    bad = _write_utfall(
        workspace.inbox / "utfall_2026_01.csv",
        "2026-01",
        [("1000", "100", "4010", "-100.00")],
        bad_amount_on=0,
    )
    assert main(["check", "--home", str(workspace.home)]) == EXIT_REJECTED
    err = capsys.readouterr().err
    assert "ett tomt lager" in err and "kolumn belopp" in err
    assert bad.exists() and not any(workspace.quarantine.iterdir())
    assert not workspace.published_db.exists()


def test_a_file_that_does_not_exist_is_one_sentence(workspace, capsys):
    assert main(["check", "finns_inte.csv", "--home", str(workspace.home)]) == 1
    assert "Filen finns inte: finns_inte.csv" in capsys.readouterr().err
