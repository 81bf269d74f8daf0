"""The warning for real files published under the demo municipality's settings."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.lib.run import demo_files
from pipelines.lib.workspace import Workspace


def _warehouse(demo: str | None, files: list[tuple[str, str]]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create schema raw")
    con.execute("create table raw.installningar (parameter varchar, varde varchar)")
    if demo is not None:
        con.execute("insert into raw.installningar values ('kommun.demo', ?)", [demo])
    con.execute("create table raw.leveranser (source_file varchar, file_sha256 varchar)")
    con.executemany("insert into raw.leveranser values (?, ?)", files)
    return con


@pytest.fixture
def register(tmp_path):
    first, second = tmp_path / "utfall_2026.csv", tmp_path / "budget_2026.csv"
    first.write_bytes(b"demo utfall")
    second.write_bytes(b"demo budget")
    path = tmp_path / "config" / demo_files.REGISTER_NAME
    demo_files.record(path, [first])
    demo_files.record(path, [second])  # a second run of the demo adds to the register
    return path


def _sha(text: bytes) -> str:
    import hashlib

    return hashlib.sha256(text).hexdigest()


def test_only_demo_files_under_demo_settings_give_no_warning(register):
    con = _warehouse(
        "True", [("utfall_2026.csv", _sha(b"demo utfall")), ("b", _sha(b"demo budget"))]
    )
    assert demo_files.warning(con, register) is None


def test_a_real_file_under_demo_settings_is_named_with_what_to_do(register):
    con = _warehouse(
        "True",
        [("utfall_2026.csv", _sha(b"demo utfall")), ("utfall_202611.csv", _sha(b"real ledger"))],
    )
    text = demo_files.warning(con, register)
    assert "utfall_202611.csv" in text and "utfall_2026.csv," not in text
    assert "kommun.demo: false" in text and "styrhjul refresh --full" in text


def test_more_than_three_real_files_are_named_three_and_counted(register):
    real = [(f"fil_{i}.csv", _sha(f"real {i}".encode())) for i in range(5)]
    text = demo_files.warning(_warehouse("True", real), register)
    assert "fil_0.csv, fil_1.csv, fil_2.csv och 2 till" in text


def test_confirmed_settings_or_a_warehouse_from_before_the_setting_give_no_warning(register):
    real = [("utfall_202611.csv", _sha(b"real ledger"))]
    assert demo_files.warning(_warehouse("False", real), register) is None
    assert demo_files.warning(_warehouse(None, real), register) is None


def test_without_a_register_every_loaded_file_is_real(tmp_path):
    con = _warehouse("True", [("utfall_2026.csv", _sha(b"demo utfall"))])
    assert "utfall_2026.csv" in demo_files.warning(con, tmp_path / "saknas.sha256")


def test_the_demo_registers_every_file_it_delivered_including_the_correction(published_demo):
    """`styrhjul demo` publishes only its own files, the held-back correction included, so its
    warehouse has no warning; with the register gone, every loaded file would be named."""
    ws = Workspace.resolve(published_demo["home"])
    con = duckdb.connect(str(ws.published_db), read_only=True)
    try:
        assert demo_files.warning(con, ws.demo_register) is None
        loaded = con.execute("select count(distinct file_sha256) from raw.leveranser").fetchone()[0]
        assert len(demo_files.demo_hashes(ws.demo_register)) >= loaded > 0
        assert demo_files.warning(con, ws.home / "saknas.sha256") is not None
    finally:
        con.close()


def test_the_report_says_so_first_in_html_and_excel(published_demo, tmp_path):
    """Real files under the demo's settings (here: a workspace whose register is lost)."""
    import shutil

    import openpyxl

    from pipelines.lib.report import write_reports

    home = tmp_path / "ws"
    shutil.copytree(published_demo["home"], home, ignore=shutil.ignore_patterns("bygge", "*.lock"))
    ws = Workspace.resolve(home)
    ws.demo_register.unlink()
    period = (
        duckdb.connect(str(ws.published_db), read_only=True)
        .execute("select rapportperiod from marts.rapportperiod")
        .fetchone()[0]
    )
    html, xlsx = write_reports(ws, "manadsrapport", period)[:2]
    text = html.read_text(encoding="utf-8")
    assert 'class="varning"' in text and "kommun.demo: false" in text
    assert text.index('class="varning"') < text.index('id="sammanfattning"')
    sheet = openpyxl.load_workbook(xlsx)["Sammanfattning"]
    labels = [row[0] for row in sheet.iter_rows(values_only=True) if row[0]]
    assert "Varning" in labels


def test_the_demos_own_report_has_no_warning(published_demo):
    html = sorted(Path(published_demo["home"]).glob("reports/*/manadsrapport.html"))[-1]
    assert 'class="varning"' not in html.read_text(encoding="utf-8")
