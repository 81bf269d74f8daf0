"""Closed periods keep what kommunstyrelsen was told.

dbt snapshots have open duplicate-row bugs on DuckDB (docs/architecture.md), so the reported
figures live in an append-only table of our own, `arkiv.rapporterad_budgetavvikelse`: closing a
period stores its budgetavvikelse as version 1; a later refresh whose figures for a closed period
differ stores them as the next version. Nothing in it is ever updated or deleted. dbt publishes it
as marts.budgetavvikelse_rapporterad and marts.perioder (dbt_project/models/marts/perioder/).
"""

from __future__ import annotations

import duckdb

# The figures compared between versions (the mart's measures; the keys identify a row).
KEYS = ["niva", "org", "period"]
MEASURES = [
    "budget_manad",
    "utfall_manad",
    "avvikelse_manad",
    "budget_ack",
    "utfall_ack",
    "avvikelse_ack",
    "arsbudget",
    "helarsprognos",
    "helarsavvikelse",
]


def record_versions(con: duckdb.DuckDBPyConnection, run_id: str) -> list[tuple[str, int]]:
    """Store a new version of each closed period whose figures changed; (period, version)s."""
    columns = ", ".join([*KEYS, "org_namn", *MEASURES])
    con.execute("create schema if not exists arkiv")
    con.execute(
        f"""
        create table if not exists arkiv.rapporterad_budgetavvikelse as
        select {columns}, 0 as version, '' as run_id, now()::timestamp as sparad_tid
        from marts.budgetavvikelse where false
        """
    )
    closed = [
        r[0] for r in con.execute("select period from raw.periodstangningar order by 1").fetchall()
    ]
    stored: list[tuple[str, int]] = []
    for period in closed:
        latest = con.execute(
            "select coalesce(max(version), 0) from arkiv.rapporterad_budgetavvikelse "
            "where period = ?",
            [period],
        ).fetchall()[0][0]
        key_cols = ", ".join([*KEYS, *MEASURES])
        changed = con.execute(
            f"""
            select count(*) from (
                (select {key_cols} from marts.budgetavvikelse where period = $1
                 except
                 select {key_cols} from arkiv.rapporterad_budgetavvikelse
                 where period = $1 and version = $2)
                union all
                (select {key_cols} from arkiv.rapporterad_budgetavvikelse
                 where period = $1 and version = $2
                 except
                 select {key_cols} from marts.budgetavvikelse where period = $1)
            )
            """,
            [period, latest],
        ).fetchall()[0][0]
        if latest and not changed:
            continue
        con.execute(
            f"""
            insert into arkiv.rapporterad_budgetavvikelse
            select {columns}, $2, $3, now()::timestamp
            from marts.budgetavvikelse where period = $1
            """,
            [period, latest + 1, run_id],
        )
        stored.append((period, latest + 1))
    return stored
