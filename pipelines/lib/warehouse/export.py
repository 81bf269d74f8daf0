"""`styrhjul export`: the public marts as files for Power BI, Excel and R users.

Parquet: one file per mart, written by DuckDB from the published warehouse (read-only).
xlsx: one workbook per mart, the rows on the first sheet and each column's Swedish description
on a second, so a reader of the file knows what every column means."""

from __future__ import annotations

from pathlib import Path

import duckdb
import xlsxwriter

from pipelines.lib.warehouse.build_db import open_published
from pipelines.lib.workspace import Workspace

FORMATS = ("parquet", "xlsx")
EXCEL_MAX_ROWS = 1_048_575  # one header row


def public_marts(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        name
        for (name,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
        ).fetchall()
    ]


def _write_xlsx(con: duckdb.DuckDBPyConnection, mart: str, path: Path) -> int:
    relation = con.table(f"marts.{mart}")
    rows = relation.aggregate("count(*)").fetchall()[0][0]
    if rows > EXCEL_MAX_ROWS:
        raise ValueError(
            f"marts.{mart} har {rows} rader, fler än ett Excel-blad rymmer; exportera den som "
            "parquet (--format parquet) eller välj en annan mart."
        )
    frame = relation.pl()
    described = con.execute(
        "select column_name, coalesce(comment, '') from duckdb_columns() "
        "where schema_name = 'marts' and table_name = ? order by column_index",
        [mart],
    ).fetchall()
    with xlsxwriter.Workbook(str(path)) as workbook:
        frame.write_excel(workbook, worksheet=mart[:31], autofit=True, freeze_panes=(1, 0))
        sheet = workbook.add_worksheet("kolumner")
        bold = workbook.add_format({"bold": True})
        sheet.write_row(0, 0, ["kolumn", "beskrivning"], bold)
        for row, (column, comment) in enumerate(described, start=1):
            sheet.write_row(row, 0, [column, comment])
        sheet.set_column(0, 0, 32)
        sheet.set_column(1, 1, 100)
    return rows


def export_marts(
    ws: Workspace, fmt: str, output: Path, marts: list[str] | None = None
) -> list[tuple[Path, int]]:
    """Write the chosen marts (default: every public mart) to `output`; (file, rows) each."""
    if fmt not in FORMATS:
        raise ValueError(f"Okänt format '{fmt}'; välj {' eller '.join(FORMATS)}.")
    con = open_published(ws)
    try:
        available = public_marts(con)
        chosen = marts or available
        unknown = [m for m in chosen if m not in available]
        if unknown:
            raise ValueError(
                f"Det finns ingen mart som heter {', '.join(unknown)}. Martar: "
                + ", ".join(available)
                + "."
            )
        output.mkdir(parents=True, exist_ok=True)
        written = []
        for mart in chosen:
            path = output / f"{mart}.{fmt}"
            if fmt == "parquet":
                relation = con.table(f"marts.{mart}")
                relation.write_parquet(str(path))  # the path never enters SQL text
                rows = relation.aggregate("count(*)").fetchall()[0][0]
            else:
                rows = _write_xlsx(con, mart, path)
            written.append((path, rows))
        return written
    finally:
        con.close()
