"""Långtidsprognos (models/langtidsprognos.py): the 10-year projection per scenario, written
into the build copy's `prognos_ut` schema."""

import dagster as dg
import duckdb
import polars as pl

from models.befolkning import ALDERSGRUPPER, ENHETSKOSTNAD_SJOBO, medelbefolkning
from models.langtidsprognos import DRIVERS, langtidsprognos
from models.langtidsprognos_assumptions import LEVEL_PARAMETERS, index_parameter
from models.langtidsprognos_precision import ex_ante_precision
from models.langtidssimulering import kanslighetsanalys
from pipelines.defs.forecast.output import OUTPUT_SCHEMA, SaknarIndata, write_output
from pipelines.defs.resources import RefreshLock, WorkspaceResource
from pipelines.lib import stages
from pipelines.lib.warehouse import build_db

# antaganden_ files state rates in percent (as SKR publishes them: 3,4 %) and amounts in kronor;
# the projection model works in fractions and mnkr.
ANTAGANDE_ENHET = {
    "skatteunderlag_tillvaxt": 0.01,
    "befolkning_riket_tillvaxt": 0.01,
    "pkv": 0.01,
    "real_kostnadsdrift": 0.01,
    "ranta": 0.01,
    "finansnetto": 1e-6,
    "laneskuld": 1e-6,
} | {index_parameter(p): 0.01 for p in LEVEL_PARAMETERS}


def langtidsprognos_frame(
    con: duckdb.DuckDBPyConnection,
) -> tuple[dict[str, pl.DataFrame | None], int]:
    """The 10-year projection in mnkr, per year and scenario, from the report year on, its
    sensitivity table and its ex-ante precision (None while the history is too short).

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
        -- The base year's investments (utfall) depreciate from the first projection year, as
        -- do the planned ones; earlier years' are in the base year's avskrivningar.
        select ar, cast(sum(belopp) as double) / 1e6 as belopp, avskrivningstid
        from marts.investering
        where
            avskrivningstid is not null
            and ((typ = 'utfall' and ar = $bas_ar) or (typ = 'plan' and ar > $bas_ar))
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
            financial_goal=mal,
            first_year=forsta.row(0, named=True),
            with_drivers=True,
        )
        kanslighet = kanslighetsanalys(
            frame,
            personalandel=personalandel(con, bas_ar, historik),
            enhetskostnad_80_plus_tkr=enhetskostnad_80_plus(befolkning, bas_ar),
        )
    except ValueError as exc:
        raise dg.Failure(f"Långtidsprognosen kunde inte beräknas: {exc}") from exc
    frame = frame.drop(DRIVERS).with_columns(
        pl.lit(bas_ar).alias("bas_ar"), pl.lit(period).alias("prognosperiod")
    )
    try:
        precision = ex_ante_precision(historik, befolkning, antaganden)
        precision = None if precision.is_empty() else precision
    except ValueError:
        # Too short a history (or assumptions not covering it) for one origin: no rows yet.
        precision = None
    return {
        "langtidsprognos": frame,
        "kanslighetsanalys": kanslighet,
        "langtidsprognos_precision": precision,
    }, bas_ar


def personalandel(con: duckdb.DuckDBPyConnection, bas_ar: int, historik: pl.DataFrame) -> float:
    """Personnel costs (kontoklass 5, external and internal alike: wages are wages) over the
    base year's net cost before avskrivningar, for the loner_1_procent sensitivity."""
    personal = con.execute(
        """
        select coalesce(sum(utfall), 0) / 1e6 from marts.fct_ekonomi_manad
        where ar = $ar and cast(kontoklass as varchar) = '5'
        """,
        {"ar": bas_ar},
    ).fetchall()[0][0]
    nettokostnad = historik.filter(pl.col("ar") == bas_ar)["verksamhetens_nettokostnad"].item()
    return float(personal) / nettokostnad if nettokostnad else 0.0


def enhetskostnad_80_plus(befolkning: pl.DataFrame, bas_ar: int) -> float:
    """The unit cost (tkr) of an inhabitant 80+: the age groups from 80 weighted by their
    base-year population, at the unit costs the projection uses."""
    grupper = ALDERSGRUPPER.filter(pl.col("alder_fran") >= 80)
    medel = medelbefolkning(befolkning, grupper).filter(pl.col("ar") == bas_ar)
    viktad = medel.join(ENHETSKOSTNAD_SJOBO, on="aldersgrupp")
    total = viktad["medelbefolkning"].sum()
    if not total:
        return float(viktad["enhetskostnad_tkr"].mean() or 0.0)
    return float((viktad["medelbefolkning"] * viktad["enhetskostnad_tkr"]).sum() / total)


OUTPUTS = {
    "langtidsprognos": "Tioårig långtidsprognos per år och scenario i mnkr med percentiler från "
    "en gemensam simulering. Första året är rapportåret med resultaträkningens helårsprognos per "
    "prognosperiod; antagandena räknas från året före (bas_ar).",
    "kanslighetsanalys": "Känslighetsanalys: effekten på årets resultat (mnkr) första och sista "
    "prognosåret av en förändring i taget i scenariot bas; positivt = bättre resultat.",
    "langtidsprognos_precision": "Långtidsprognosens träffsäkerhet i efterhand (ex ante, "
    "rullande startår) per variabel och horisont mot en naiv framskrivning med trend.",
}


@dg.multi_asset(
    name="langtidsprognos",
    specs=[
        dg.AssetSpec(
            key=[OUTPUT_SCHEMA, name],
            deps=[
                ["marts", "resultatrakning"],
                ["marts", "rapportperiod"],
                ["marts", "befolkning"],
                ["marts", "antaganden"],
                ["marts", "investering"],
                ["marts", "fct_ekonomi_manad"],
            ],
            group_name=stages.FORECAST,
            owners=stages.owners(stages.FORECAST),
            kinds={"numpy", "duckdb"},
            description=description,
        )
        for name, description in OUTPUTS.items()
    ],
)
def langtidsprognos_mart(
    context: dg.AssetExecutionContext, workspace: WorkspaceResource, refresh_lock: RefreshLock
):
    ws = workspace.workspace
    with build_db.build_connection(ws) as con:
        try:
            frames, bas_ar = langtidsprognos_frame(con)
        except SaknarIndata as missing:
            context.log.warning(f"Långtidsprognosen hoppas över: den behöver {missing}.")
            for name in OUTPUTS:
                yield dg.MaterializeResult(
                    asset_key=[OUTPUT_SCHEMA, name],
                    metadata={"status": f"saknar indata: {missing}"},
                )
            return
        for name, data in frames.items():
            if data is None:
                context.log.warning(f"{name}: historiken räcker inte ännu; tabellen lämnas tom.")
                con.execute(f"drop table if exists {OUTPUT_SCHEMA}.{name}")
                continue
            write_output(con, name, data, OUTPUTS[name])
    frame = frames["langtidsprognos"]
    gap = (
        frame.filter(pl.col("scenario") == "bas")
        .select(pl.col("effektiviseringsbehov_mnkr").max())
        .item()
    )
    context.log.info(
        f"Långtidsprognos från {bas_ar + 1}: största effektiviseringsbehov {gap:.0f} mnkr"
    )
    for name, data in frames.items():
        metadata = {"dagster/row_count": 0 if data is None else data.height}
        if name == "langtidsprognos":
            metadata["bas_ar"] = bas_ar
        yield dg.MaterializeResult(asset_key=[OUTPUT_SCHEMA, name], metadata=metadata)


LANGTIDSPROGNOS_ASSETS = [langtidsprognos_mart]
