"""Each input kind is declared once (pipelines/lib/intake/kinds.py); the raw DDL, the dbt source
and the staging model must agree with that declaration. Adding a kind is: its FileKind, its raw
table, its source entry and its staging model; these tests name whichever is missing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from pipelines.lib.intake.kinds import KINDS, TABLE_SUFFIXES
from pipelines.lib.intake.raw_tables import MONEY, RAW_TABLES

DBT = Path(__file__).resolve().parents[2] / "dbt_project"
SQL_TYPE = {
    "text": "VARCHAR",
    "fritext": "VARCHAR",
    "belopp": MONEY,
    "number": "DOUBLE",
    "integer": "INTEGER",
    "integer64": "BIGINT",
    "ar": "INTEGER",
    "period": "VARCHAR",
    "indikatorperiod": "VARCHAR",
    "date": "DATE",
    "kon": "VARCHAR",
    "riktning": "VARCHAR",
    "alder": "INTEGER",
    "val": "VARCHAR",
    "decimal": "DECIMAL(18,4)",
}
# Kinds read by the generic table reader: their raw table is exactly their declared columns,
# plus what another reader of the same kind adds (SCB's json-stat2 population: a month and an
# age band).
TABLE_KINDS = [kind for kind in KINDS if kind.table_suffixes == TABLE_SUFFIXES]
READER_COLUMNS = {"befolkning": {"manad", "aldersband"}}


@pytest.mark.parametrize("kind", TABLE_KINDS, ids=lambda k: k.name)
def test_raw_table_has_the_declared_columns_and_types(kind):
    raw = RAW_TABLES[kind.tables[0]]
    expected = set(kind.columns) | READER_COLUMNS.get(kind.name, set())
    assert set(raw) == expected, f"raw.{kind.tables[0]} and the {kind.name} declaration"
    for column in kind.columns:
        assert raw[column] == SQL_TYPE[kind.type_of(column)], column


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
