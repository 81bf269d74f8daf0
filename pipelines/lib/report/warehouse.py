"""Reading the published warehouse (read-only) for the report: what it holds, and the unit each
amount column is shown in."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from pipelines.lib.report.model import ANDEL, KR, MNKR
from pipelines.lib.warehouse import units

# How an amount column is shown, by the unit its mart declares (pipelines/lib/warehouse/units.py).
ENHET_TYP = {"kr": KR, "mnkr": MNKR, "andel": ANDEL}


def belopptyp(tabell: str, kolumn: str) -> str:
    """The column kind an amount column of `tabell` is shown as, from the unit the mart declares
    (a column without an amount unit is a mistake in the mart, not kronor by default)."""
    unit = units.enhet(tabell, kolumn)
    if unit not in ENHET_TYP:
        raise KeyError(f"{tabell}.{kolumn} har enheten {unit!r}, inte kr, mnkr eller andel")
    return ENHET_TYP[unit]


class Lager:
    """The read-only connection plus what it contains (tables and their columns)."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        rows = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns"
        ).fetchall()
        self.kolumner: dict[str, set[str]] = {}
        for schema, table, column in rows:
            self.kolumner.setdefault(f"{schema}.{table}", set()).add(column)

    def finns(self, tabell: str, kolumner: Sequence[str] = ()) -> bool:
        have = self.kolumner.get(tabell)
        return have is not None and set(kolumner) <= have

    def tom(self, tabell: str) -> bool:
        """True when `tabell` has no rows (a forecast mart before its input was delivered)."""
        return self.con.execute(f"select count(*) = 0 from {tabell}").fetchone()[0]

    def har_kolumn(self, tabell: str, kolumn: str) -> bool:
        return kolumn in self.kolumner.get(tabell, set())

    def rader(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def rad(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        rows = self.rader(sql, params)
        return rows[0] if rows else None


class TomtLager(Lager):
    """A warehouse with nothing in it: gives an optional section its 'missing' shape."""

    def __init__(self):
        self.con = None
        self.kolumner = {}
