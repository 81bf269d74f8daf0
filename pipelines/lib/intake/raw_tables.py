"""The raw layer's contract: one table per input kind, as loaded, plus the run's control tables.

Every raw table carries the audit columns, so each figure in a mart can be traced back to the
delivered file (by name and SHA-256) and its row. Tables exist even before a kind's first
delivery, so dbt's sources always resolve.
"""

from __future__ import annotations

from pipelines.lib.intake.kinds import KINDS, TABLE_SUFFIXES, FileKind

AUDIT_COLUMNS: dict[str, str] = {
    "source_file": "VARCHAR NOT NULL",
    "file_sha256": "VARCHAR NOT NULL",
    "source_row": "BIGINT NOT NULL",
    "load_id": "BIGINT NOT NULL",
}

MONEY = "DECIMAL(18,2)"

# The SQL type of each declared column type (pipelines/lib/intake/kinds.py).
SQL_TYPES: dict[str, str] = {
    "text": "VARCHAR",
    "fritext": "VARCHAR",
    "belopp": MONEY,
    "decimal": "DECIMAL(18,4)",
    "number": "DOUBLE",
    "integer": "INTEGER",
    "integer64": "BIGINT",
    "ar": "INTEGER",
    "period": "VARCHAR",
    "bokslutsperiod": "VARCHAR",
    "indikatorperiod": "VARCHAR",
    "date": "DATE",
    "kon": "VARCHAR",
    "riktning": "VARCHAR",
    "alder": "INTEGER",
    "val": "VARCHAR",
}


def declared_columns(kind: FileKind) -> dict[str, str]:
    """A table kind's raw columns, straight from its declaration: adding a kind is one
    FileKind (plus its staging model), not a second list of columns here."""
    return {column: SQL_TYPES[kind.type_of(column)] for column in kind.columns}


# What readers other than the generic table reader add or produce: SCB's json-stat2 population
# carries a month and an age band; Kolada's JSON and the YAML goal register have tables of
# their own shape.
READER_COLUMNS: dict[str, dict[str, str]] = {
    "befolkning": {"manad": "INTEGER", "aldersband": "VARCHAR"},
    "kolada": {
        "kpi": "VARCHAR",
        "kommun": "VARCHAR",
        "period": "INTEGER",
        "kon": "VARCHAR",
        "varde": "DOUBLE",
        "status": "VARCHAR",
    },
    "mal": {
        "id": "VARCHAR",
        "niva": "VARCHAR",
        "org": "VARCHAR",
        "ar": "INTEGER",
        "titel": "VARCHAR",
        "perspektiv": "VARCHAR",
        "foralder": "VARCHAR",
        "agenda2030": "VARCHAR",
    },
    "malindikator": {
        "mal": "VARCHAR",
        # The goal's year: a goal kept into the next year keeps its id, so (ar, mal) is the goal.
        "ar": "INTEGER",
        "indikator": "VARCHAR",
        "kalla": "VARCHAR",
        "riktning": "VARCHAR",
        "utgangsvarde": "DOUBLE",
        "malvarde": "DOUBLE",
    },
}

RAW_TABLES: dict[str, dict[str, str]] = {
    **{
        kind.tables[0]: {**declared_columns(kind), **READER_COLUMNS.get(kind.tables[0], {})}
        for kind in KINDS
        if kind.table_suffixes == TABLE_SUFFIXES
    },
    **{table: columns for table, columns in READER_COLUMNS.items() if table != "befolkning"},
}

# Control tables: what was delivered, which runs ran, the settings they ran with, closed periods.
CONTROL_TABLES: dict[str, dict[str, str]] = {
    "leveranser": {
        "load_id": "BIGINT NOT NULL",
        "run_id": "VARCHAR NOT NULL",
        "source_file": "VARCHAR NOT NULL",
        "file_sha256": "VARCHAR NOT NULL",
        "filtyp": "VARCHAR NOT NULL",
        "rader": "BIGINT NOT NULL",
        "teckenkodning": "VARCHAR",
        "inlast_tid": "TIMESTAMP NOT NULL",
    },
    "korningar": {
        "run_id": "VARCHAR NOT NULL",
        "period": "VARCHAR NOT NULL",
        "startad": "TIMESTAMP NOT NULL",
        "typ": "VARCHAR NOT NULL",
    },
    "installningar": {"parameter": "VARCHAR NOT NULL", "varde": "VARCHAR"},
    "periodstangningar": {
        "period": "VARCHAR NOT NULL",
        "stangd_tid": "TIMESTAMP NOT NULL",
        "run_id": "VARCHAR NOT NULL",
    },
}


def create_statements() -> list[str]:
    """DDL that brings a warehouse of any earlier version up to this contract.

    Tables are created if missing and columns added if missing (new columns are nullable), so
    a published warehouse keeps its history across an upgrade.
    """
    statements = ["create schema if not exists raw"]
    tables = {
        **{name: {**columns, **AUDIT_COLUMNS} for name, columns in RAW_TABLES.items()},
        **CONTROL_TABLES,
    }
    for name, columns in tables.items():
        body = ", ".join(f"{col} {typ}" for col, typ in columns.items())
        statements.append(f"create table if not exists raw.{name} ({body})")
        for col, typ in columns.items():
            nullable = typ.replace(" NOT NULL", "")
            statements.append(f"alter table raw.{name} add column if not exists {col} {nullable}")
    return statements
