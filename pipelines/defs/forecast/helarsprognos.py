"""Helårsprognos (models/helarsprognos.py): the statistical forecast per nämnd and the
backtest of every method, written into the build copy's `prognos_ut` schema."""

import dagster as dg
import duckdb
import polars as pl

from pipelines.defs.forecast.output import OUTPUT_SCHEMA, SaknarIndata, write_output
from pipelines.defs.resources import RefreshLock, WorkspaceResource
from pipelines.lib import stages
from pipelines.lib.warehouse import build_db


def helarsprognos_frame(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Statistical helårsprognos per nämnd in today's organisation, as of the report period.

    History is regrouped into today's nämnder (namnd_idag), so a reorganisation does not look
    like a level shift to the model.
    """
    period = con.execute("select rapportperiod from marts.rapportperiod").fetchall()[0][0]
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
        "select org as enhet, arg_max(org_namn, period) as namnd_namn from marts.budgetavvikelse "
        "where niva = 'namnd' group by org"
    ).pl()
    # Imported in the step (statsmodels and scipy cost seconds), not with the definitions.
    from models.helarsprognos import statistisk_helarsprognos

    # Each delivered period is the whole ledger for that month, so a nämnd without rows in a
    # month had no net cost then (valnämnden between elections), not a missing observation.
    prognos = statistisk_helarsprognos(utfall, period, arsbudget, fyll_saknade_manader=True)
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
    key=[OUTPUT_SCHEMA, "helarsprognos_statistisk"],
    deps=[["marts", "fct_ekonomi_manad"], ["marts", "budgetavvikelse"], ["marts", "rapportperiod"]],
    group_name=stages.FORECAST,
    kinds={"statsmodels", "duckdb"},
    description="Statistisk helårsprognos per nämnd (ETS på månadshistoriken, i dagens "
    "organisation) med prediktionsintervall och sannolikheten att året slutar över budget.",
)
def helarsprognos_statistisk(
    context: dg.AssetExecutionContext, workspace: WorkspaceResource, refresh_lock: RefreshLock
) -> dg.MaterializeResult:
    ws = workspace.workspace
    with build_db.build_connection(ws) as con:
        frame = helarsprognos_frame(con)
        write_output(
            con,
            "helarsprognos_statistisk",
            frame,
            "Statistisk helårsprognos per nämnd med 95 % prediktionsintervall och sannolikhet "
            "för underskott (nettokostnad över årsbudget).",
        )
    risky = frame.filter(pl.col("sannolikhet_underskott") > 0.5)["namnd"].to_list()
    return dg.MaterializeResult(metadata={"namnder": frame.height, "sannolikt_underskott": risky})


# How many closed years the forecast methods are backtested on (docs/rules.md).
BACKTEST_AR = 2


def precision_frame(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Each helårsprognos method backtested from month 3, 6 and 9 of the last closed years,
    against the real year-end, per nämnd in today's organisation."""
    monthly = con.sql(
        """
        select namnd_idag as enhet, period, ar,
               cast(sum(utfall) as double) as utfall, cast(sum(budget) as double) as budget
        from marts.fct_ekonomi_manad
        where ingar_i_nettokostnad and namnd_idag is not null
          and period <= (select senaste_utfallsperiod from marts.rapportperiod)
        group by all
        """
    ).pl()
    closed = (
        monthly.group_by("ar")
        .agg(pl.col("period").n_unique().alias("manader"))
        .filter(pl.col("manader") == 12)["ar"]
        .sort()
        .to_list()[-BACKTEST_AR:]
    )
    from models.helarsprognos import backtest_helarsprognos  # in the step: statsmodels, scipy

    frames = []
    for ar in closed:
        # Only nämnder with all twelve months of the year can be compared with a year-end.
        complete = (
            monthly.filter((pl.col("ar") == ar) & (pl.col("utfall") != 0))
            .group_by("enhet")
            .agg(pl.len().alias("n"))
            .filter(pl.col("n") == 12)["enhet"]
        )
        rows = monthly.filter(pl.col("enhet").is_in(complete.implode()))
        frames.append(
            backtest_helarsprognos(
                rows.select("enhet", "period", "utfall"),
                ar,
                budget=rows.filter(pl.col("ar") == ar).select("enhet", "period", "budget"),
            )
        )
    if not frames:
        raise SaknarIndata("minst ett helt år i huvudboken (januari–december)")
    return pl.concat(frames).rename({"enhet": "namnd"})


@dg.asset(
    key=[OUTPUT_SCHEMA, "helarsprognos_precision"],
    deps=[["marts", "fct_ekonomi_manad"], ["marts", "rapportperiod"]],
    group_name=stages.FORECAST,
    kinds={"statsmodels", "duckdb"},
    description="Hur träffsäkra helårsprognosmetoderna har varit: varje metod prövad från "
    "månad 3, 6 och 9 de senaste stängda åren, mot det verkliga årsutfallet, per nämnd.",
)
def helarsprognos_precision(
    context: dg.AssetExecutionContext, workspace: WorkspaceResource, refresh_lock: RefreshLock
) -> dg.MaterializeResult:
    ws = workspace.workspace
    with build_db.build_connection(ws) as con:
        try:
            frame = precision_frame(con)
        except SaknarIndata as missing:
            context.log.warning(f"Prognosprecisionen hoppas över: den behöver {missing}.")
            return dg.MaterializeResult(metadata={"status": f"saknar indata: {missing}"})
        write_output(
            con,
            "helarsprognos_precision",
            frame,
            "Backtest av helårsprognosmetoderna (statistisk, naiv, takt, budgetbaserad) från "
            "månad 3, 6 och 9 de senaste stängda åren; fel = prognos − faktiskt årsutfall.",
        )
    summary = (
        frame.group_by("metod", "manad")
        .agg(pl.col("abs_fel_procent").median().round(2).alias("median"))
        .sort("manad", "median")
    )
    return dg.MaterializeResult(
        metadata={
            "medianfel_procent": {f"{m} månad {n}": v for m, n, v in summary.iter_rows()},
        }
    )


HELARSPROGNOS_ASSETS = [helarsprognos_statistisk, helarsprognos_precision]
