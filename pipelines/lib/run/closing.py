"""`styrhjul close --year YYYY`: a year is closed by closing its December once all twelve months
are published (normally after the closing entries, period 13, are loaded). The closed December
is the year's closing in `marts.perioder` (status `stangd`), and its figures are kept as
reported like any closed period's (docs/rules.md §16)."""

from __future__ import annotations

import duckdb

from pipelines.lib.workspace import Workspace


def year_months(year: int) -> list[str]:
    return [f"{year}-{m:02d}" for m in range(1, 13)]


def year_closing_problem(published: set[str], year: int) -> str | None:
    """Why the year cannot be closed yet (in Swedish), or None."""
    missing = [m for m in year_months(year) if m not in published]
    if not missing:
        return None
    months = ", ".join(missing) if len(missing) <= 3 else f"{missing[0]} – {missing[-1]}"
    return (
        f"Året {year} kan inte stängas: {months} är inte publicerade. Leverera huvudbokens "
        f"utfall för hela året (och bokslutsposterna som period {year}13) och kör "
        f"'styrhjul refresh --period {year}-12' först."
    )


def has_closing_entries(ws: Workspace, year: int) -> bool:
    """Whether the published warehouse holds the year's period 13."""
    from pipelines.lib.warehouse.build_db import open_published

    con = open_published(ws)
    try:
        return bool(
            con.execute(
                "select count(*) from raw.utfall where period = ?", [f"{year}-13"]
            ).fetchone()[0]
        )
    finally:
        con.close()


# The one definition of a closed year: `styrhjul close --year` closed its December (a row in
# raw.periodstangningar, which the close run writes before dbt and the forecasts run, so the
# build copy and the published warehouse agree). Twelve delivered months do not close a year.
CLOSED_YEARS_SQL = (
    "select distinct cast(left(period, 4) as integer) as ar from raw.periodstangningar "
    "where right(period, 2) = '12' order by ar"
)


def closed_years(con: duckdb.DuckDBPyConnection) -> list[int]:
    """The years closed by `styrhjul close --year`, in the warehouse `con` (build or published)."""
    return [row[0] for row in con.execute(CLOSED_YEARS_SQL).fetchall()]
