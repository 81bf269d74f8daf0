"""The helårsprognos step's glue (pipelines/defs/forecast/helarsprognos.py) on a small
hand-built warehouse: what it reads from marts.budgetavvikelse, the cache of closed years, a
nämnd starting in March, a December delivered while November is missing, the kommun level."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from pipelines.defs.forecast import helarsprognos as step
from tests.models import synthetic

VALAR = [2022, 2024, 2026]


def _warehouse(ledger: pl.DataFrame, period: str) -> duckdb.DuckDBPyConnection:
    """marts.budgetavvikelse (nämnd and kommun rows) and marts.rapportperiod from `ledger`."""
    con = duckdb.connect()
    con.execute("create schema marts")
    rows = ledger.with_columns(
        pl.lit("namnd").alias("niva"),
        pl.col("enhet").alias("org"),
        ("Nämnd " + pl.col("enhet")).alias("org_namn"),
        pl.format("{}-{}", pl.col("ar"), pl.col("manad").cast(pl.String).str.zfill(2)).alias(
            "period"
        ),
        pl.col("utfall").alias("utfall_manad"),
        pl.col("forvaltningens").alias("helarsprognos_forvaltning"),
    )
    kommun = (
        rows.group_by("ar", "manad", "period")
        .agg(
            pl.col("utfall_manad").sum(),
            pl.col("budget_ack").sum(),
            pl.col("arsbudget").sum(),
            (pl.col("utfall").sum() * 0).alias("helarsprognos"),
        )
        .with_columns(pl.lit("kommun").alias("niva"), pl.lit("KOMMUN").alias("org"))
    )
    con.register("namnd_rows", rows)
    con.register("kommun_rows", kommun)
    con.execute(
        """
        create table marts.budgetavvikelse as
        select niva, org, org_namn, period, ar, manad, utfall_manad, budget_ack, arsbudget,
               helarsprognos_forvaltning, null::double as helarsprognos
        from namnd_rows
        union all by name
        select niva, org, 'Kommunen' as org_namn, period, ar, manad, utfall_manad, budget_ack,
               arsbudget, null::double as helarsprognos_forvaltning,
               arsbudget - budget_ack + (sum(utfall_manad) over (partition by ar order by manad))
                   as helarsprognos
        from kommun_rows
        """
    )
    con.execute(f"create table marts.rapportperiod as select '{period}' as rapportperiod")
    return con


def _run(con: duckdb.DuckDBPyConnection):
    ledger, ar, manad = step.read_ledger(con)
    years = step.closed_years(ledger, before=ar)
    backtest, computed = step.cached_backtest(con, ledger, years, VALAR)
    rows, summary = step.precision_frames(backtest)
    forecast = step.publishable(step.forecast_frame(backtest, ledger, ar, manad, VALAR), summary)
    return ledger, backtest, computed, forecast, summary


@pytest.fixture
def municipality() -> pl.DataFrame:
    """40 synthetic nämnder 2022–2025 and 2026 up to October, and a nämnd starting in March."""
    df = synthetic.ledger(n_units=40)
    this_year = df.filter(pl.col("ar") == 2025).with_columns(pl.lit(2026).alias("ar"))
    new = pl.DataFrame(
        {
            "enhet": ["NY"] * 8,
            "ar": [2026] * 8,
            "manad": list(range(3, 11)),
            "utfall": [1e6] * 8,
            "budget_ack": [1.2e6 * k for k in range(1, 9)],
            "arsbudget": [12e6] * 8,
            "forvaltningens": [None] * 8,
        }
    )
    return pl.concat([df, this_year.filter(pl.col("manad") <= 10), new], how="vertical_relaxed")


def test_a_nämnd_starting_in_march_is_forecast_beside_every_other(municipality):
    con = _warehouse(municipality, "2026-10")
    _, _, computed, forecast, _ = _run(con)
    assert computed == [2022, 2023, 2024, 2025]
    october = forecast.filter(pl.col("manad") == 10)
    assert october["enhet"].n_unique() == 41
    new = october.filter((pl.col("enhet") == "NY") & (pl.col("metod") == "statistisk"))
    assert new["modell"].to_list() == ["budgetbaserad"]
    assert "inget helt tidigare år" in new["kommentar"][0]
    # 8 mnkr so far + the 2,4 mnkr of budget left (12 − 9,6)
    assert new["prognos"][0] == pytest.approx(8e6 + 2.4e6)
    # Every nämnd has exactly one official figure each month (no förvaltningens here).
    official = forecast.filter(pl.col("officiell"))
    assert official.group_by("enhet", "manad").len()["len"].max() == 1
    assert set(official["metod"]) == {"budgetbaserad"}


def test_closed_years_are_kept_and_only_a_changed_year_is_recomputed(municipality):
    con = _warehouse(municipality, "2026-10")
    first = _run(con)
    second = _run(con)
    assert second[2] == []  # nothing recomputed
    assert (
        second[1]
        .sort("enhet", "ar", "manad", "metod")
        .equals(first[1].sort("enhet", "ar", "manad", "metod"))
    )
    # A corrected 2024 ledger row: 2024 and 2025 (whose history includes 2024) are recomputed.
    con.execute(
        "update marts.budgetavvikelse set utfall_manad = utfall_manad + 1000 "
        "where org = 'E001' and period = '2024-05'"
    )
    assert _run(con)[2] == [2024, 2025]


def test_a_december_delivered_while_november_is_missing_does_not_stop_the_forecast(
    municipality,
):
    # Issue 11: the ledger has 2026-12 but no 2026-11; the year is the report year, not closed.
    december = municipality.filter((pl.col("ar") == 2025) & (pl.col("manad") == 12))
    df = pl.concat(
        [
            municipality.filter(pl.col("enhet") != "NY"),
            december.with_columns(pl.lit(2026).alias("ar")),
        ],
        how="vertical_relaxed",
    )
    con = _warehouse(df, "2026-12")
    _, _, computed, forecast, _ = _run(con)
    assert computed == [2022, 2023, 2024, 2025]
    december_rows = forecast.filter(pl.col("manad") == 12)
    assert december_rows["enhet"].n_unique() == 40
    # With the year's last month in, the forecast is the year's utfall: no interval width.
    stat = december_rows.filter(pl.col("metod") == "statistisk")
    assert (stat["prognos"] == stat["utfall_ack"]).all()
    assert (stat["helarsprognos_lag80"] == stat["helarsprognos_hog80"]).all()


def test_the_kommun_interval_comes_from_the_joint_simulation(municipality):
    con = _warehouse(municipality.filter(pl.col("enhet") != "NY"), "2026-10")
    _, backtest, _, forecast, summary = _run(con)
    kommun = step.kommun_frame(con, backtest, forecast, summary, 2026)
    assert kommun["manad"].to_list() == list(range(1, 11))
    for row in kommun.iter_rows(named=True):
        assert row["helarsprognos_lag95"] < row["helarsprognos_lag80"] < row["helarsprognos_hog80"]
        assert row["helarsprognos_hog80"] < row["helarsprognos_hog95"]
        assert row["antal_namnder"] == 40
    # The kommun's uncertainty shrinks as the year goes by.
    width = (kommun["helarsprognos_hog80"] - kommun["helarsprognos_lag80"]).to_list()
    assert width[9] < width[2]
    # Seeded: the same draws every run.
    again = step.kommun_frame(con, backtest, forecast, summary, 2026)
    assert again.equals(kommun)
