"""Statistical forecasts (models/, statsmodels), written into the build copy's `prognos_ut`
schema; dbt publishes each as the mart of the same name under a contract
(dbt_project/models/marts/prognos/)."""

import dagster as dg
import duckdb
import polars as pl

from models.helarsprognos import backtest_helarsprognos, statistisk_helarsprognos
from models.langtidsprognos import langtidsprognos
from pipelines.defs.resources import RefreshLock, WorkspaceResource
from pipelines.lib import stages
from pipelines.lib.warehouse import build_db

# The schema the forecasts write to; dbt reads it as a source and publishes the marts.
OUTPUT_SCHEMA = "prognos_ut"


def _write_output(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame, comment: str):
    table = f"{OUTPUT_SCHEMA}.{name}"
    con.execute(f"create schema if not exists {OUTPUT_SCHEMA}")
    con.register("output_rows", frame)
    con.execute(f"create or replace table {table} as select * from output_rows")
    con.unregister("output_rows")
    con.execute(f"comment on table {table} is '{comment.replace(chr(39), chr(39) * 2)}'")


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
        _write_output(
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


# antaganden_ files state rates in percent (as SKR publishes them: 3,4 %) and amounts in kronor;
# the projection model works in fractions and mnkr.
ANTAGANDE_ENHET = {
    "skatteunderlag_tillvaxt": 0.01,
    "pkv": 0.01,
    "real_kostnadsdrift": 0.01,
    "finansnetto": 1e-6,
}


class SaknarIndata(Exception):
    """The projection's inputs have not been delivered yet: skip it, do not stop the refresh."""


def langtidsprognos_frame(con: duckdb.DuckDBPyConnection) -> tuple[pl.DataFrame, int]:
    """The 10-year projection in mnkr, per year and scenario, from the report year on.

    The first year is the report year, at its official helårsprognos (marts.resultatrakning at
    the report period), so the projection, the resultaträkning and the report's summary show one
    årets resultat for it; the base the later years' assumptions start from is the year before.
    """
    period = con.execute("select rapportperiod from marts.rapportperiod").fetchall()[0][0]
    rapportar = int(period[:4])
    historik = con.sql(
        """
        select
            ar,
            cast(skatteintakter as double) / 1e6 as skatteintakter,
            cast(generella_statsbidrag as double) / 1e6 as generella_statsbidrag,
            -- The projection's net cost is before avskrivningar (they are projected apart).
            cast(verksamhetens_kostnader - verksamhetens_intakter as double) / 1e6
                as verksamhetens_nettokostnad,
            cast(avskrivningar as double) / 1e6 as avskrivningar,
            cast(finansnetto as double) / 1e6 as finansnetto
        from marts.resultatrakning
        where manad = 12 and ar < $rapportar
        order by ar
        """,
        params={"rapportar": rapportar},
    ).pl()
    bas_ar = rapportar - 1
    if bas_ar not in historik["ar"].to_list():
        raise SaknarIndata(f"hela året {bas_ar} i huvudboken (januari–december)")
    forsta = con.sql(
        """
        select
            cast(helarsprognos_skatteintakter as double) / 1e6 as skatteintakter,
            cast(helarsprognos_generella_statsbidrag as double) / 1e6 as generella_statsbidrag,
            cast(helarsprognos_finansnetto as double) / 1e6 as finansnetto,
            cast(helarsprognos_arets_resultat as double) / 1e6 as arets_resultat
        from marts.resultatrakning
        where period = $period
        """,
        params={"period": period},
    ).pl()
    if forsta.is_empty():
        raise SaknarIndata(f"resultaträkningen för rapportperioden {period}")
    kommun = con.execute(
        "select varde from raw.installningar where parameter = 'kommun.kod'"
    ).fetchall()[0][0]
    befolkning = con.sql(
        """
        -- Per year the outcome where there is one, else the forecast (31 December, single ages).
        select ar, alder, kon, sum(antal) as antal
        from marts.befolkning
        where region = $kommun and manad is null and alder is not null
        group by ar, alder, kon, typ
        qualify dense_rank() over (partition by ar order by typ = 'utfall' desc) = 1
        """,
        params={"kommun": kommun},
    ).pl()
    antaganden = con.sql("select ar, parameter, varde from marts.antaganden").pl()
    antaganden = antaganden.with_columns(
        (
            pl.col("varde")
            * pl.col("parameter").replace_strict(
                ANTAGANDE_ENHET, default=1.0, return_dtype=pl.Float64
            )
        ).alias("varde")
    )
    investeringar = con.sql(
        """
        select ar, cast(sum(belopp) as double) / 1e6 as belopp, avskrivningstid
        from marts.investering
        where typ = 'plan' and ar > $bas_ar and avskrivningstid is not null
        group by ar, avskrivningstid
        """,
        params={"bas_ar": bas_ar},
    ).pl()
    if befolkning.is_empty() or antaganden.is_empty():
        raise SaknarIndata("befolkning_- och antaganden_-filer")
    mal = float(
        con.execute(
            "select varde from raw.installningar where parameter = 'finansiella_mal.resultatandel'"
        ).fetchall()[0][0]
    )
    try:
        frame = langtidsprognos(
            historik,
            befolkning,
            antaganden,
            investeringar,
            bas_ar,
            finansiellt_mal=mal,
            forsta_ar=forsta.row(0, named=True),
        )
    except ValueError as exc:
        raise dg.Failure(f"Långtidsprognosen kunde inte beräknas: {exc}") from exc
    return frame.with_columns(
        pl.lit(bas_ar).alias("bas_ar"), pl.lit(period).alias("prognosperiod")
    ), bas_ar


@dg.asset(
    key=[OUTPUT_SCHEMA, "langtidsprognos"],
    deps=[
        ["marts", "resultatrakning"],
        ["marts", "rapportperiod"],
        ["marts", "befolkning"],
        ["marts", "antaganden"],
        ["marts", "investering"],
    ],
    group_name=stages.FORECAST,
    kinds={"statsmodels", "duckdb"},
    description="Tioårig ekonomisk långtidsprognos per år och scenario (mnkr): intäkter, "
    "kostnader, årets resultat med intervall, resultatandel och effektiviseringsbehov. Första "
    "året är rapportåret med kommunens helårsprognos från resultaträkningen.",
)
def langtidsprognos_mart(
    context: dg.AssetExecutionContext, workspace: WorkspaceResource, refresh_lock: RefreshLock
) -> dg.MaterializeResult:
    ws = workspace.workspace
    with build_db.build_connection(ws) as con:
        try:
            frame, bas_ar = langtidsprognos_frame(con)
        except SaknarIndata as missing:
            context.log.warning(f"Långtidsprognosen hoppas över: den behöver {missing}.")
            return dg.MaterializeResult(metadata={"status": f"saknar indata: {missing}"})
        _write_output(
            con,
            "langtidsprognos",
            frame,
            "Tioårig långtidsprognos per år och scenario i mnkr. Första året är rapportåret "
            "med resultaträkningens helårsprognos per prognosperiod; antagandena räknas från "
            "året före (bas_ar).",
        )
    gap = (
        frame.filter(pl.col("scenario") == "bas")
        .select(pl.col("effektiviseringsbehov_mnkr").max())
        .item()
    )
    context.log.info(
        f"Långtidsprognos från {bas_ar + 1}: största effektiviseringsbehov {gap:.0f} mnkr"
    )
    return dg.MaterializeResult(metadata={"bas_ar": bas_ar, "rader": frame.height})


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
        _write_output(
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


FORECAST_ASSETS = [helarsprognos_statistisk, helarsprognos_precision, langtidsprognos_mart]
