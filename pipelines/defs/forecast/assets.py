"""Statistical forecasts (models/, statsmodels), written back into the build copy as marts."""


import dagster as dg
import duckdb
import polars as pl

from models.helarsprognos import statistisk_helarsprognos
from pipelines.lib import build_db
from pipelines.lib.workspace import Workspace


def _write_mart(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame, comment: str):
    con.register("mart_rows", frame)
    con.execute(f"create or replace table marts.{name} as select * from mart_rows")
    con.unregister("mart_rows")
    con.execute(f"comment on table marts.{name} is '{comment.replace(chr(39), chr(39) * 2)}'")


def helarsprognos_frame(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Statistical helårsprognos per nämnd in today's organisation, as of the report period.

    History is regrouped into today's nämnder (namnd_idag), so a reorganisation does not look
    like a level shift to the model.
    """
    period = con.execute("select rapportperiod from intermediate.int_rapportperiod").fetchall()[0][0]
    ar = int(period[:4])
    utfall = con.sql(
        """
        select namnd_idag as enhet, period, cast(sum(utfall) as double) as utfall
        from marts.fct_ekonomi_manad
        where ingar_i_nettokostnad and period <= ? and namnd_idag is not null
        group by all
        """,
        params=[period],
    ).pl()
    arsbudget = con.sql(
        """
        select namnd_idag as enhet, cast(sum(budget) as double) as arsbudget
        from marts.fct_ekonomi_manad
        where ingar_i_nettokostnad and ar = ? and namnd_idag is not null
        group by all
        """,
        params=[ar],
    ).pl()
    namn = con.sql(
        "select org as enhet, org_namn as namnd_namn from intermediate.int_org_namn "
        "where niva = 'namnd'"
    ).pl()
    prognos = statistisk_helarsprognos(utfall, period, arsbudget)
    return (
        prognos.join(arsbudget, on="enhet", how="left")
        .join(namn, on="enhet", how="left")
        .with_columns((pl.col("arsbudget") - pl.col("helarsprognos")).alias("helarsavvikelse"))
        .rename({"enhet": "namnd"})
        .select(
            "namnd",
            "namnd_namn",
            "period",
            "utfall_ack",
            "arsbudget",
            "helarsprognos",
            "helarsprognos_lag",
            "helarsprognos_hog",
            "helarsavvikelse",
            "sannolikhet_underskott",
            "metod",
        )
        .sort("namnd")
    )


@dg.asset(
    key=["marts", "helarsprognos_statistisk"],
    deps=[["marts", "fct_ekonomi_manad"], ["intermediate", "int_rapportperiod"]],
    group_name="prognoser",
    kinds={"statsmodels", "duckdb"},
    description="Statistisk helårsprognos per nämnd (ETS på månadshistoriken, i dagens "
    "organisation) med prediktionsintervall och sannolikheten att året slutar över budget.",
)
def helarsprognos_statistisk(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    ws = Workspace.resolve()
    with build_db.build_connection(ws) as con:
        frame = helarsprognos_frame(con)
        _write_mart(
            con,
            "helarsprognos_statistisk",
            frame,
            "Statistisk helårsprognos per nämnd med 95 % prediktionsintervall och sannolikhet "
            "för underskott (nettokostnad över årsbudget).",
        )
    risky = frame.filter(pl.col("sannolikhet_underskott") > 0.5)["namnd"].to_list()
    return dg.MaterializeResult(
        metadata={"namnder": frame.height, "sannolikt_underskott": risky}
    )


FORECAST_ASSETS = [helarsprognos_statistisk]
