"""Helårsprognos (models/helarsprognos.py, models/kalibrering.py): every method's forecast per
nämnd and month of the report year with calibrated intervals, the honest backtest of the closed
years, its summary per method and month, and the kommun level, written into the build copy's
`prognos_ut` schema.

Everything is read from `marts.budgetavvikelse` at nämnd level, where each month stands as it
did then: the budget version in force at the month's end by its beslutsdatum and förvaltningens
prognos in force. Closed years' backtests are kept in `prognos_ut.helarsprognos_backtest_cache`,
keyed by the year's data fingerprint and the model code's version, so a monthly refresh
recomputes a closed year only when its data or the model changes.
"""

import hashlib
from pathlib import Path

import dagster as dg
import duckdb
import numpy as np
import polars as pl

import models.helarsprognos as helarsprognos_model
import models.kalibrering as kalibrering
from models.helarsprognos import backtest_points, closed_years, forecast_points, ledger_frame
from models.precision import summarise, with_outcomes
from pipelines.defs.forecast.output import OUTPUT_SCHEMA, write_output
from pipelines.defs.resources import RefreshLock, WorkspaceResource
from pipelines.lib import settings, stages
from pipelines.lib.warehouse import build_db

CACHE_TABLE = f"{OUTPUT_SCHEMA}.helarsprognos_backtest_cache"

# The model's version: its code. Any change to the point methods recomputes every closed year.
MODEL_VERSION = hashlib.sha256(
    b"".join(
        Path(m.__file__).read_bytes()
        for m in (helarsprognos_model,)  # the point methods
    )
).hexdigest()[:16]

INTERVALS = [
    "helarsprognos_lag80",
    "helarsprognos_hog80",
    "helarsprognos_lag95",
    "helarsprognos_hog95",
]


def read_ledger(con: duckdb.DuckDBPyConnection) -> tuple[pl.DataFrame, int, int]:
    """The nämnder's months up to the report period, and the report year and month."""
    period = con.execute("select rapportperiod from marts.rapportperiod").fetchall()[0][0]
    ledger = con.sql(
        """
        select org as enhet, ar, manad,
               cast(utfall_manad as double) as utfall,
               cast(budget_ack as double) as budget_ack,
               cast(arsbudget as double) as arsbudget,
               cast(helarsprognos_forvaltning as double) as forvaltningens
        from marts.budgetavvikelse
        where niva = 'namnd' and period <= ?
        """,
        params=[period],
    ).pl()
    return ledger_frame(ledger), int(period[:4]), int(period[5:7])


def fingerprint(ledger: pl.DataFrame, ar: int, valar: list[int]) -> str:
    """What a closed year's backtest depends on: every row up to its end, and the election
    years."""
    rows = ledger.filter(pl.col("ar") <= ar).sort("enhet", "ar", "manad")
    digest = hashlib.sha256(rows.write_csv().encode())
    digest.update(repr(sorted(valar)).encode())
    return digest.hexdigest()[:32]


def cached_backtest(
    con: duckdb.DuckDBPyConnection, ledger: pl.DataFrame, years: list[int], valar: list[int]
) -> tuple[pl.DataFrame, list[int]]:
    """The closed years' backtest points, from the cache where the fingerprint and model
    version match; the years computed now are returned too (and stored)."""
    con.execute(f"create schema if not exists {OUTPUT_SCHEMA}")
    exists = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = ? and table_name = 'helarsprognos_backtest_cache'",
        [OUTPUT_SCHEMA],
    ).fetchall()[0][0]
    cache = con.sql(f"select * from {CACHE_TABLE}").pl() if exists else None
    frames, computed, keep = [], [], []
    for ar in years:
        key = fingerprint(ledger, ar, valar)
        hit = (
            cache.filter(
                (pl.col("ar") == ar)
                & (pl.col("fingeravtryck") == key)
                & (pl.col("modellversion") == MODEL_VERSION)
            )
            if cache is not None
            else None
        )
        if hit is not None and hit.height:
            frame = hit
        else:
            frame = backtest_points(ledger, ar, election_years=valar).with_columns(
                pl.lit(key).alias("fingeravtryck"), pl.lit(MODEL_VERSION).alias("modellversion")
            )
            computed.append(ar)
        keep.append(frame)
        frames.append(frame.drop("fingeravtryck", "modellversion"))
    if computed or cache is None or cache["ar"].n_unique() != len(years):
        stored = pl.concat(keep, how="vertical_relaxed") if keep else None
        if stored is not None:
            write_output(
                con,
                "helarsprognos_backtest_cache",
                stored,
                "Sparade backtester av stängda år (nyckel: årets datafingeravtryck och "
                "modellversionen); räknas om bara när årets data eller modellen ändras.",
            )
    backtest = pl.concat(frames, how="vertical_relaxed") if frames else pl.DataFrame()
    return backtest, computed


def _names(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return con.sql(
        "select org as namnd, arg_max(org_namn, period) as namnd_namn from marts.budgetavvikelse "
        "where niva = 'namnd' group by org"
    ).pl()


def precision_frames(backtest: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The calibrated backtest rows (each year calibrated on the others) and their summary."""
    if backtest.height == 0:
        return pl.DataFrame(), pl.DataFrame()
    rows = with_outcomes(kalibrering.cross_calibrate(backtest))
    return rows, summarise(rows)


def forecast_frame(
    backtest: pl.DataFrame, ledger: pl.DataFrame, ar: int, manad: int, valar: list[int]
) -> pl.DataFrame:
    """Every method's helårsprognos per nämnd and month 1..manad of the report year."""
    points = forecast_points(ledger, ar, range(1, manad + 1), valar)
    return kalibrering.forecast_with_intervals(backtest, points)


def publishable(forecast: pl.DataFrame, summary: pl.DataFrame) -> pl.DataFrame:
    """P(underskott) kept only where that method's backtest Brier skill at that month is
    positive; ``officiell`` marks förvaltningens in force, else budgetbaserad."""
    shown = (
        summary.select("metod", "manad", "sannolikhet_visas")
        if summary.height
        else pl.DataFrame(
            schema={"metod": pl.String, "manad": pl.Int64, "sannolikhet_visas": pl.Boolean}
        )
    )
    has_forvaltningens = forecast.filter(pl.col("metod") == "forvaltningens").select(
        "enhet", "manad", pl.lit(True).alias("har_forvaltningens")
    )
    return (
        forecast.join(shown, on=["metod", "manad"], how="left")
        .join(has_forvaltningens, on=["enhet", "manad"], how="left")
        .with_columns(
            pl.when(pl.col("sannolikhet_visas").fill_null(False) | (pl.col("manad") == 12))
            .then(pl.col("sannolikhet_underskott"))
            .alias("sannolikhet_underskott"),
            (
                (pl.col("metod") == "forvaltningens")
                | ((pl.col("metod") == "budgetbaserad") & pl.col("har_forvaltningens").is_null())
            ).alias("officiell"),
        )
    )


def statistisk_mart(forecast: pl.DataFrame, names: pl.DataFrame) -> pl.DataFrame:
    return (
        forecast.rename({"enhet": "namnd", "prognos": "helarsprognos"})
        .join(names, on="namnd", how="left")
        .with_columns(
            pl.format("{}-{}", pl.col("ar"), pl.col("manad").cast(pl.String).str.zfill(2)).alias(
                "period"
            ),
            (pl.col("arsbudget") - pl.col("helarsprognos")).alias("helarsavvikelse"),
        )
        .select(
            "namnd",
            "namnd_namn",
            "period",
            "ar",
            "manad",
            "metod",
            "modell",
            "officiell",
            "utfall_ack",
            "arsbudget",
            "helarsprognos",
            *INTERVALS,
            "helarsavvikelse",
            "sannolikhet_underskott",
            "kommentar",
        )
        .sort("namnd", "manad", "metod")
    )


def precision_mart(rows: pl.DataFrame) -> pl.DataFrame:
    return (
        rows.rename({"enhet": "namnd"})
        .with_columns(
            (pl.col("prognos") - pl.col("faktiskt")).alias("fel"),
            (pl.col("prognos") - pl.col("faktiskt")).abs().alias("abs_fel"),
            pl.when(pl.col("faktiskt") != 0)
            .then((pl.col("prognos") - pl.col("faktiskt")).abs() / pl.col("faktiskt").abs() * 100)
            .alias("abs_fel_procent"),
        )
        .select(
            "namnd",
            "ar",
            "manad",
            "metod",
            "modell",
            "arsbudget",
            "prognos",
            "faktiskt",
            "fel",
            "abs_fel",
            "abs_fel_procent",
            "sasongsnaiv",
            *INTERVALS,
            "inom_80",
            "inom_95",
            "sannolikhet_underskott",
            "basfrekvens",
            "underskott",
            "kommentar",
        )
        .sort("namnd", "ar", "manad", "metod")
    )


def kommun_frame(
    con: duckdb.DuckDBPyConnection,
    backtest: pl.DataFrame,
    forecast: pl.DataFrame,
    summary: pl.DataFrame,
    ar: int,
) -> pl.DataFrame:
    """Per month of the report year: the kommun's official helårsprognos (marts.budgetavvikelse:
    the nämnder's less the internal trade eliminated), its interval and P(underskott) from a
    joint simulation of the nämnder's errors around their official figures."""
    # Imported in the step (scipy costs seconds), not with the definitions.
    from models.kommunprognos import error_correlation, kommun_interval, simulate_total

    kommun = con.sql(
        "select manad, cast(helarsprognos as double) as helarsprognos, "
        "cast(arsbudget as double) as arsbudget from marts.budgetavvikelse "
        "where niva = 'kommun' and ar = ? order by manad",
        params=[ar],
    ).pl()
    official = forecast.filter(pl.col("officiell"))
    calibrations, scores = kalibrering.calibrations(backtest) if backtest.height else ({}, None)
    names, correlation = (
        error_correlation(
            scores.filter(pl.col("metod") == "budgetbaserad").select(
                "enhet", "ar", "manad", "score"
            )
        )
        if scores is not None
        else ([], np.zeros((0, 0)))
    )
    index = {n: i for i, n in enumerate(names)}
    shown = (
        dict(
            summary.filter(pl.col("metod") == "budgetbaserad")
            .select("manad", "sannolikhet_visas")
            .iter_rows()
        )
        if summary.height
        else {}
    )
    rows = []
    for manad, point, arsbudget in kommun.iter_rows():
        row = {"ar": ar, "manad": manad, "helarsprognos": point, "arsbudget": arsbudget}
        month = official.filter(pl.col("manad") == manad)
        units = [u for u in month.iter_rows(named=True) if u["enhet"] in index]
        row |= dict.fromkeys([*INTERVALS, "sannolikhet_underskott"])
        row["antal_namnder"] = month.height
        if manad < 12 and units and calibrations:
            spreads, pools = [], []
            for u in units:
                group = "budgetbaserad" if u["modell"] == "budgetbaserad" else u["metod"]
                cal = calibrations.get(group)
                if cal is None or not cal.ready(manad):
                    cal = calibrations.get("budgetbaserad")
                skala = abs(u["arsbudget"]) or abs(u["prognos"])
                spreads.append(cal.spread(u["enhet"], manad, skala) if cal else np.nan)
                pools.append(cal.z[manad] if cal else np.array([]))
            pick = [index[u["enhet"]] for u in units]
            errors = simulate_total(np.array(spreads), pools, correlation[np.ix_(pick, pick)])
            row |= kommun_interval(point, arsbudget, errors)
            if not shown.get(manad, False):
                row["sannolikhet_underskott"] = None
        elif manad == 12:
            row |= dict.fromkeys(INTERVALS, point)
            row["sannolikhet_underskott"] = float(point > arsbudget)
        row["korrelation_medel"] = (
            float(correlation[~np.eye(len(names), dtype=bool)].mean()) if len(names) > 1 else None
        )
        rows.append(row)
    schema = {
        "ar": pl.Int64,
        "manad": pl.Int64,
        "helarsprognos": pl.Float64,
        "arsbudget": pl.Float64,
        **dict.fromkeys([*INTERVALS, "sannolikhet_underskott"], pl.Float64),
        "antal_namnder": pl.Int64,
        "korrelation_medel": pl.Float64,
    }
    return (
        pl.DataFrame(rows, schema=schema)
        .with_columns(
            pl.format("{}-{}", pl.col("ar"), pl.col("manad").cast(pl.String).str.zfill(2)).alias(
                "period"
            ),
            (pl.col("arsbudget") - pl.col("helarsprognos")).alias("helarsavvikelse"),
        )
        .select(
            "period",
            "ar",
            "manad",
            "helarsprognos",
            *INTERVALS,
            "arsbudget",
            "helarsavvikelse",
            "sannolikhet_underskott",
            "antal_namnder",
            "korrelation_medel",
        )
    )


OUTPUTS = {
    "helarsprognos_statistisk": "Helårsprognos per nämnd, månad och metod med kalibrerade "
    "80 %- och 95 %-intervall och sannolikhet för underskott.",
    "helarsprognos_precision": "Backtest av helårsprognosmetoderna per nämnd, stängt år, månad "
    "1–11 och metod; fel = prognos − faktiskt årsutfall.",
    "helarsprognos_precision_sammanfattning": "Helårsprognosmetodernas träffsäkerhet per metod "
    "och månad: MAE, MASE, intervallens täckning och Brier-skicklighet.",
    "helarsprognos_kommun": "Kommunens helårsprognos per månad med intervall och sannolikhet för "
    "underskott från en gemensam simulering av nämndernas fel.",
}


@dg.multi_asset(
    name="helarsprognos",
    specs=[
        dg.AssetSpec(
            key=[OUTPUT_SCHEMA, name],
            deps=[["marts", "budgetavvikelse"], ["marts", "rapportperiod"]],
            group_name=stages.FORECAST,
            owners=stages.owners(stages.FORECAST),
            kinds={"polars", "duckdb"},
            description=description,
        )
        for name, description in OUTPUTS.items()
    ],
)
def helarsprognos(
    context: dg.AssetExecutionContext, workspace: WorkspaceResource, refresh_lock: RefreshLock
):
    ws = workspace.workspace
    valar = list(settings.load_settings(ws.config_file)["valar"])
    with build_db.build_connection(ws) as con:
        ledger, ar, manad = read_ledger(con)
        years = closed_years(ledger, before=ar)
        backtest, computed = cached_backtest(con, ledger, years, valar)
        rows, summary = precision_frames(backtest)
        forecast = publishable(forecast_frame(backtest, ledger, ar, manad, valar), summary)
        names = _names(con)
        frames = {
            "helarsprognos_statistisk": statistisk_mart(forecast, names),
            "helarsprognos_precision": precision_mart(rows) if rows.height else None,
            "helarsprognos_precision_sammanfattning": summary if summary.height else None,
            "helarsprognos_kommun": kommun_frame(con, backtest, forecast, summary, ar),
        }
        for name, frame in frames.items():
            if frame is None:
                context.log.warning(
                    f"{name}: inget stängt år att pröva prognoserna på ännu; tabellen lämnas tom."
                )
                con.execute(f"drop table if exists {OUTPUT_SCHEMA}.{name}")
                continue
            write_output(con, name, frame, OUTPUTS[name])
    statistisk = frames["helarsprognos_statistisk"]
    fallbacks = statistisk.filter(
        (pl.col("metod") == "statistisk") & (pl.col("modell") == "budgetbaserad")
    )
    for name in OUTPUTS:
        frame = frames[name]
        metadata = {"dagster/row_count": 0 if frame is None else frame.height}
        if name == "helarsprognos_statistisk":
            metadata["reservmetod"] = sorted(set(fallbacks["namnd"].to_list()))
        if name == "helarsprognos_precision":
            metadata["omraknade_ar"] = computed
            metadata["sparade_ar"] = [a for a in years if a not in computed]
        yield dg.MaterializeResult(asset_key=[OUTPUT_SCHEMA, name], metadata=metadata)


HELARSPROGNOS_ASSETS = [helarsprognos]
