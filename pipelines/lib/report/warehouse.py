"""Reading the published warehouse (read-only) for the report, and the unit each amount column
is shown in.

Every public mart exists after any refresh with the columns its dbt contract enforces, so the
report queries them as declared; a mart without rows is a mart whose input was never delivered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import duckdb

from pipelines.lib.report.model import ANDEL, KR, MNKR
from pipelines.lib.warehouse import units

# How an amount column is shown, by the unit its mart declares (pipelines/lib/warehouse/units.py).
UNIT_KIND = {"kr": KR, "mnkr": MNKR, "andel": ANDEL}


def amount_kind(table: str, column: str) -> str:
    """The column kind an amount column of `table` is shown as, from the unit the mart declares
    (a column without an amount unit is a mistake in the mart, not kronor by default)."""
    unit = units.enhet(table, column)
    if unit not in UNIT_KIND:
        raise KeyError(f"{table}.{column} har enheten {unit!r}, inte kr, mnkr eller andel")
    return UNIT_KIND[unit]


class Warehouse:
    """The read-only connection to the published warehouse."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        rows = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns"
        ).fetchall()
        self.columns: dict[str, set[str]] = {}
        for schema, table, column in rows:
            self.columns.setdefault(f"{schema}.{table}", set()).add(column)

    def missing_marts(self) -> list[str]:
        """The marts declared in dbt that this warehouse lacks (one published by an older
        version of the pipeline)."""
        return sorted(set(units.mart_models()) - set(self.columns))

    def is_empty(self, table: str) -> bool:
        """True when `table` has no rows (a mart whose input was never delivered)."""
        return self.con.execute(f"select count(*) = 0 from {table}").fetchone()[0]

    def rows(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
    ) -> list[dict[str, Any]]:
        """The rows as dicts; `params` are positional (`?`) or named (`$name`, a mapping)."""
        cur = self.con.execute(sql, params if isinstance(params, Mapping) else list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def row(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
    ) -> dict[str, Any] | None:
        rows = self.rows(sql, params)
        return rows[0] if rows else None
