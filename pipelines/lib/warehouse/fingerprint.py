"""A fingerprint of the marts' contents: equal when two warehouses publish the same figures.

Used to prove that a rerun after a crash, a delivery split over several refreshes, a refresh
with nothing new and `styrhjul refresh --full` all give the same marts as the plain run. What
differs between two such runs by design is left out: run and load identifiers and timestamps
(when a run started or a period was closed). Rows are compared as a multiset (order-free, a
duplicated row counts twice), and doubles are rounded to 9 decimals so a parallel sum's last
bit does not count as a difference.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

SCHEMA = "marts"

# Identifiers of a run or a load: new ones in every run, whatever the figures.
RUN_ID_COLUMNS = frozenset({"run_id", "load_id", "publicerad_av_korning", "stangd_av_korning"})
TIMESTAMP_TYPES = ("TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_NS", "TIMESTAMP_MS")
DOUBLE_TYPES = ("DOUBLE", "FLOAT", "REAL")
DOUBLE_DECIMALS = 9


def _ignored(column: str, data_type: str) -> bool:
    return (
        column in RUN_ID_COLUMNS
        or column.endswith(("_run_id", "_load_id"))
        or data_type.upper().startswith(TIMESTAMP_TYPES)
    )


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _compared_columns(con: duckdb.DuckDBPyConnection, mart: str) -> list[str]:
    rows = con.execute(
        """
        select column_name, data_type from information_schema.columns
        where table_catalog = current_database() and table_schema = ? and table_name = ?
        order by ordinal_position
        """,
        [SCHEMA, mart],
    ).fetchall()
    columns = []
    for name, data_type in rows:
        if _ignored(name, data_type):
            continue
        # Identifiers come from the catalog and are quoted; nothing here is input.
        expression = _quote(name)
        if data_type.upper() in DOUBLE_TYPES:
            expression = f"round({expression}, {DOUBLE_DECIMALS})"
        columns.append(f"{_quote(name)} := {expression}")
    return columns


def mart_fingerprints(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """{mart: "<rows>:<order-free hash of its rows>"} for every table and view in marts."""
    marts = [
        r[0]
        for r in con.execute(
            """
            select table_name from information_schema.tables
            where table_catalog = current_database() and table_schema = ?
            order by table_name
            """,
            [SCHEMA],
        ).fetchall()
    ]
    result = {}
    for mart in marts:
        columns = _compared_columns(con, mart)
        if not columns:
            result[mart] = "0:"
            continue
        # A sum of row hashes (as HUGEINT) is order-free, counts duplicates, and needs no
        # sort or string of the whole mart (it stays cheap on a ledger-sized mart).
        rows, total = con.execute(
            f"select count(*), coalesce(sum(hash(cast(r as varchar))::hugeint), 0)::varchar "
            f"from (select struct_pack({', '.join(columns)}) as r "
            f"from {_quote(SCHEMA)}.{_quote(mart)})"
        ).fetchall()[0]
        result[mart] = f"{rows}:{total}"
    return result


def warehouse_fingerprints(path: Path) -> dict[str, str]:
    """mart_fingerprints of a warehouse file, opened read-only."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return mart_fingerprints(con)
    finally:
        con.close()


def fingerprint(path: Path) -> str:
    """One SHA-256 over every mart's fingerprint (for a log line or a benchmark's JSON)."""
    text = "\n".join(f"{mart}={value}" for mart, value in warehouse_fingerprints(path).items())
    return hashlib.sha256(text.encode()).hexdigest()


def differing_marts(left: dict[str, str], right: dict[str, str]) -> list[str]:
    """The marts whose fingerprints differ, or that only one side has (for a test's message)."""
    return sorted(m for m in left.keys() | right.keys() if left.get(m) != right.get(m))
