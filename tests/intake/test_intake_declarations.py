"""Each input kind is declared once (pipelines/lib/intake/kinds.py) and its raw table follows
from that declaration (raw_tables.declared_columns). Adding a kind is: its FileKind, its source
entry and its staging model (with their tests); these tests name whichever is missing."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
import yaml

from pipelines.lib.intake.kinds import KINDS
from pipelines.lib.intake.raw_tables import MONEY, RAW_TABLES

DBT = Path(__file__).resolve().parents[2] / "dbt_project"


def test_a_new_kind_is_one_declaration(tmp_path, monkeypatch):
    """An example kind, declared once: the intake recognises and types its file, its raw table
    follows from the declaration, and its key makes two deliveries in one refresh ambiguous."""
    import duckdb

    from pipelines.lib.intake import crosscheck, kinds, parse_file
    from pipelines.lib.intake.raw_tables import AUDIT_COLUMNS, declared_columns

    exempel = kinds.FileKind(
        prefix="exempel_",
        name="exempel",
        tables=("exempel",),
        required=("ar", "namnd", "belopp"),
        optional=("kommentar",),
        types={"ar": "ar", "belopp": "belopp", "kommentar": "fritext"},
        description="ett exempel",
        replaces=("ar", "namnd"),
    )
    monkeypatch.setattr(kinds, "KINDS", (*kinds.KINDS, exempel))
    monkeypatch.setitem(kinds.KINDS_BY_NAME, "exempel", exempel)
    monkeypatch.setitem(kinds.KINDS_BY_PREFIX, "exempel_", exempel)

    assert declared_columns(exempel) == {
        "ar": "INTEGER", "namnd": "VARCHAR", "belopp": MONEY, "kommentar": "VARCHAR",
    }  # fmt: skip
    with duckdb.connect() as con:
        columns = {**declared_columns(exempel), **AUDIT_COLUMNS}
        con.execute(
            "create table exempel (" + ", ".join(f"{c} {t}" for c, t in columns.items()) + ")"
        )

    files = []
    for name in ("exempel_a.csv", "exempel_b.csv"):
        path = tmp_path / name
        path.write_text("År;Nämnd;Belopp\n2026;SOC;1 234,50\n", encoding="utf-8")
        files.append(path)
    parsed = parse_file(files[0], dt.date(2026, 11, 1))
    assert parsed.ok, parsed.problems
    assert parsed.kind is exempel
    assert parsed.tables["exempel"]["belopp"].to_list() == [Decimal("1234.50")]

    both = [(f.name, exempel, parse_file(f, dt.date(2026, 11, 1)).tables) for f in files]
    (ambiguity,) = crosscheck.ambiguities(both, pl.DataFrame())
    assert ambiguity.example == {"ar": 2026, "namnd": "SOC"}


def _source_tables() -> set[str]:
    sources = yaml.safe_load((DBT / "models" / "staging" / "_raw__sources.yml").read_text())
    raw = next(s for s in sources["sources"] if s["name"] == "raw")
    return {table["name"] for table in raw["tables"]}


@pytest.mark.parametrize("table", sorted(RAW_TABLES))
def test_every_raw_table_is_a_dbt_source_read_by_its_staging_model(table):
    assert table in _source_tables(), f"raw.{table} is missing from _raw__sources.yml"
    staging = DBT / "models" / "staging" / f"stg_inkorg__{table}.sql"
    assert staging.exists(), f"no staging model for raw.{table}"
    sql = staging.read_text(encoding="utf-8")
    assert f"source('raw', '{table}')" in sql
    unread = [c for c in RAW_TABLES[table] if not re.search(rf"\b{c}\b", sql)]
    assert not unread, f"stg_inkorg__{table} does not select {unread}"


def test_every_kind_loads_into_declared_raw_tables():
    for kind in KINDS:
        assert set(kind.tables) <= set(RAW_TABLES), kind.name


def test_the_non_table_readers_need_no_import_to_register():
    """parse_file finds the json-stat2, Kolada and goal-register readers from their one
    declaration (sources.READERS) without any module having registered them at import."""
    import subprocess
    import sys

    code = (
        "from pipelines.lib.intake.kinds import KINDS_BY_NAME, reader_for, supported_suffixes\n"
        "assert reader_for(KINDS_BY_NAME['kolada'], '.json') is not None\n"
        "assert reader_for(KINDS_BY_NAME['befolkning'], '.json') is not None\n"
        "assert '.yaml' in supported_suffixes(KINDS_BY_NAME['mal'])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
