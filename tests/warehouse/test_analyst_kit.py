"""What analysts get beside the warehouse: every mart column described, the documentation site,
and exports. Run against the shared published demo."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from pipelines.cli import main


@pytest.fixture(scope="module")
def published(published_demo):
    return published_demo["home"] / "warehouse" / "styrhjul.duckdb"


def test_every_column_of_every_mart_has_a_description(published):
    with duckdb.connect(str(published), read_only=True) as con:
        columns = con.execute(
            "select table_name, column_name, comment from duckdb_columns() "
            "where schema_name = 'marts'"
        ).fetchall()
        tables = con.execute(
            "select table_name, comment from duckdb_tables() where schema_name = 'marts'"
        ).fetchall()
    assert len(tables) > 20
    undescribed = [f"{t}.{c}" for t, c, comment in columns if not (comment or "").strip()]
    assert undescribed == []
    assert [t for t, comment in tables if not (comment or "").strip()] == []
    # A description says more than the name (it is written for a reader, in Swedish).
    assert [f"{t}.{c}" for t, c, comment in columns if comment.strip() == c] == []


def test_the_documentation_site_is_one_offline_file(published_demo, tmp_path, capsys):
    import shutil

    home = tmp_path / "ws"
    shutil.copytree(published_demo["home"], home, ignore=shutil.ignore_patterns("*.lock"))
    assert main(["docs", "--home", str(home)]) == 0
    site = home / "docs" / "index.html"
    html = site.read_text(encoding="utf-8")
    assert "budgetavvikelse" in html and "manadsrapport" in html  # a mart and an exposure
    assert '<script src="http' not in html and '<link rel="stylesheet" href="http' not in html
    assert str(site) in capsys.readouterr().out


def test_export_writes_parquet_and_xlsx_with_the_marts_rows(published_demo, published, tmp_path):
    home = published_demo["home"]
    out = tmp_path / "export"
    assert main(["export", "--home", str(home), "--mart", "atgardsplan", "--output", str(out)]) == 0
    assert (
        main(["export", "--home", str(home), "--format", "xlsx", "--mart", "atgardsplan"]
             + ["--output", str(out)])
        == 0
    )  # fmt: skip
    with duckdb.connect(str(published), read_only=True) as con:
        expected = con.sql("select * from marts.atgardsplan").pl()
    assert pl.read_parquet(out / "atgardsplan.parquet").equals(expected)
    sheet = pl.read_excel(out / "atgardsplan.xlsx", sheet_name="atgardsplan")
    assert sheet.height == expected.height and sheet.columns == expected.columns
    described = pl.read_excel(out / "atgardsplan.xlsx", sheet_name="kolumner")
    assert described["kolumn"].to_list() == expected.columns
    assert described["beskrivning"].str.len_chars().min() > 0


def test_export_of_an_unknown_mart_names_the_marts(published_demo, tmp_path, capsys):
    home = published_demo["home"]
    assert main(["export", "--home", str(home), "--mart", "budget", "--output", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "Det finns ingen mart som heter budget" in err and "budgetavvikelse" in err
