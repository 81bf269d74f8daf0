"""Demographic cost pressure (docs/rules.md, SKR's resursfördelningsmodell).

DemoCost(t) = Σ_g c_g × P_g(t), where P_g(t) is the mean of the age group's population at
31 Dec t−1 and 31 Dec t, and c_g the unit cost of the verksamhet that serves group g.

Inputs are polars frames:

- population ``pop``: ``ar, alder, kon, antal`` = inhabitants at 31 Dec of ``ar`` (age 100
  means 100+); any other column (region, typ) is ignored, so filter to one region first.
- age groups ``grupper``: ``aldersgrupp, alder_fran, alder_till`` (inclusive bounds; 100 closes
  the open top group) and optionally ``verksamhet``. `ALDERSGRUPPER` is the default, read from the
  dbt seed ``dbt_project/seeds/aldersgrupper.csv`` (their one definition).
- unit costs ``enhetskostnad``: ``aldersgrupp, enhetskostnad_tkr`` in tkr per inhabitant of the
  group and year. `ENHETSKOSTNAD_SJOBO` holds the published Sjöbo figures (budget 2024); the
  municipality's own can be derived with `enhetskostnader`.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

# The age groups are defined once, in the dbt seed the warehouse's befolkning mart also uses.
_SEED = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "aldersgrupper.csv"
_AGE_GROUPS = pl.read_csv(_SEED, schema_overrides={"aldersgrupp": pl.String})

ALDERSGRUPPER = _AGE_GROUPS.select("aldersgrupp", "alder_fran", "alder_till", "verksamhet")
"""Default age groups (the seed dbt_project/seeds/aldersgrupper.csv)."""

ENHETSKOSTNAD_SJOBO = _AGE_GROUPS.select("aldersgrupp", "enhetskostnad_tkr")
"""Sjöbo kommun, budget 2024: net cost in tkr per inhabitant of each age group (the seed's
published example figures)."""


def _krav(df: pl.DataFrame, kolumner: list[str], namn: str) -> None:
    saknas = [k for k in kolumner if k not in df.columns]
    if saknas:
        raise ValueError(f"{namn} saknar kolumnerna {', '.join(saknas)}.")


def befolkning_31_dec(pop: pl.DataFrame, grupper: pl.DataFrame = ALDERSGRUPPER) -> pl.DataFrame:
    """Population at 31 Dec per ``ar`` and ``aldersgrupp`` (both sexes), 0 for empty groups."""
    _krav(pop, ["ar", "alder", "antal"], "befolkning")
    _krav(grupper, ["aldersgrupp", "alder_fran", "alder_till"], "aldersgrupper")
    ar = pop.select(pl.col("ar").cast(pl.Int64).unique())
    g = grupper.select("aldersgrupp", "alder_fran", "alder_till")
    # A cross join keeps overlapping groups independent and empty groups at 0.
    return (
        ar.join(g, how="cross")
        .join(
            pop.select(
                pl.col("ar").cast(pl.Int64), pl.col("alder").cast(pl.Int64), pl.col("antal")
            ),
            on="ar",
            how="left",
        )
        .group_by("ar", "aldersgrupp")
        .agg(
            pl.col("antal")
            .filter(pl.col("alder").is_between(pl.col("alder_fran"), pl.col("alder_till")))
            .sum()
            .cast(pl.Float64)
            .alias("antal")
        )
        .sort("ar", "aldersgrupp")
    )


def medelbefolkning(pop: pl.DataFrame, grupper: pl.DataFrame = ALDERSGRUPPER) -> pl.DataFrame:
    """P_g(t) = (population at 31 Dec t−1 + at 31 Dec t) / 2 per year and age group.

    Returns ``ar, aldersgrupp, medelbefolkning`` for every year t whose t−1 is also in `pop`.
    """
    dec = befolkning_31_dec(pop, grupper)
    foregaende = dec.with_columns((pl.col("ar") + 1).alias("ar")).rename({"antal": "antal_fg"})
    return (
        dec.join(foregaende, on=["ar", "aldersgrupp"], how="inner")
        .select(
            "ar",
            "aldersgrupp",
            ((pl.col("antal_fg") + pl.col("antal")) / 2).alias("medelbefolkning"),
        )
        .sort("ar", "aldersgrupp")
    )


def medelbefolkning_total(pop: pl.DataFrame) -> pl.DataFrame:
    """The whole population's mean of 31 Dec t−1 and t: ``ar, medelbefolkning``."""
    alla = pl.DataFrame({"aldersgrupp": ["alla"], "alder_fran": [0], "alder_till": [10_000]})
    return medelbefolkning(pop, alla).select("ar", "medelbefolkning")


def demografisk_kostnad(
    pop: pl.DataFrame,
    enhetskostnad: pl.DataFrame = ENHETSKOSTNAD_SJOBO,
    bas_ar: int | None = None,
    grupper: pl.DataFrame = ALDERSGRUPPER,
) -> pl.DataFrame:
    """Demographic cost per year and age group at fixed unit costs.

    Returns ``ar, aldersgrupp, medelbefolkning, enhetskostnad_tkr, kostnad_tkr, kostnad_bas_tkr,
    forandring_tkr`` where kostnad = c_g × P_g(t) and forandring = kostnad − kostnad in `bas_ar`
    (the demographic cost pressure relative to the base year). Sum over groups for DemoCost(t).
    `bas_ar` defaults to the first year with a mean population.
    """
    _krav(enhetskostnad, ["aldersgrupp", "enhetskostnad_tkr"], "enhetskostnad")
    saknas = set(grupper["aldersgrupp"]) - set(enhetskostnad["aldersgrupp"])
    if saknas:
        raise ValueError(f"Enhetskostnad saknas för åldersgrupperna {', '.join(sorted(saknas))}.")
    medel = medelbefolkning(pop, grupper)
    if medel.height == 0:
        raise ValueError("Befolkningen behöver minst två på varandra följande år.")
    if bas_ar is None:
        bas_ar = int(medel["ar"].min())
    if bas_ar not in set(medel["ar"].to_list()):
        raise ValueError(
            f"Basåret {bas_ar} saknar medelbefolkning (kräver befolkning 31 dec {bas_ar - 1} "
            f"och {bas_ar})."
        )
    kostnad = medel.join(
        enhetskostnad.select("aldersgrupp", pl.col("enhetskostnad_tkr").cast(pl.Float64)),
        on="aldersgrupp",
        how="inner",
    ).with_columns((pl.col("medelbefolkning") * pl.col("enhetskostnad_tkr")).alias("kostnad_tkr"))
    bas = kostnad.filter(pl.col("ar") == bas_ar).select(
        "aldersgrupp", pl.col("kostnad_tkr").alias("kostnad_bas_tkr")
    )
    return (
        kostnad.join(bas, on="aldersgrupp", how="left")
        .with_columns((pl.col("kostnad_tkr") - pl.col("kostnad_bas_tkr")).alias("forandring_tkr"))
        .sort("ar", "aldersgrupp")
    )


def demografiskt_volymindex(
    pop: pl.DataFrame,
    bas_ar: int,
    enhetskostnad: pl.DataFrame = ENHETSKOSTNAD_SJOBO,
    grupper: pl.DataFrame = ALDERSGRUPPER,
    bas_nettokostnad_tkr: float | None = None,
) -> pl.DataFrame:
    """Demographic volume index of the net cost, 1.0 in `bas_ar`.

    Without `bas_nettokostnad_tkr`: DemoCost(t) / DemoCost(bas). With it (the whole verksamhet's
    base-year net cost, in tkr), the part the age groups do not explain,
    R = bas_nettokostnad − DemoCost(bas), is assumed to follow the total mean population:
    index(t) = (DemoCost(t) + R × N(t) / N(bas)) / bas_nettokostnad.

    Returns ``ar, demografisk_kostnad_tkr, medelbefolkning_total, volymindex``.
    """
    per_grupp = demografisk_kostnad(pop, enhetskostnad, bas_ar, grupper)
    demo = per_grupp.group_by("ar").agg(
        pl.col("kostnad_tkr").sum().alias("demografisk_kostnad_tkr")
    )
    df = demo.join(medelbefolkning_total(pop), on="ar", how="inner").rename(
        {"medelbefolkning": "medelbefolkning_total"}
    )
    bas = df.filter(pl.col("ar") == bas_ar).row(0, named=True)
    if bas_nettokostnad_tkr is None:
        if bas["demografisk_kostnad_tkr"] == 0:
            raise ValueError(f"Den demografiska kostnaden är 0 i basåret {bas_ar}.")
        index = pl.col("demografisk_kostnad_tkr") / bas["demografisk_kostnad_tkr"]
    else:
        demo_bas = bas["demografisk_kostnad_tkr"]
        ovrigt = bas_nettokostnad_tkr - demo_bas
        if ovrigt < 0:
            raise ValueError(
                f"Enhetskostnaderna ger en demografisk kostnad ({demo_bas:.0f} tkr) större än "
                f"verksamhetens nettokostnad ({bas_nettokostnad_tkr:.0f} tkr) år {bas_ar}: "
                "kontrollera enheterna (tkr) eller enhetskostnaderna."
            )
        index = (
            pl.col("demografisk_kostnad_tkr")
            + ovrigt * pl.col("medelbefolkning_total") / bas["medelbefolkning_total"]
        ) / bas_nettokostnad_tkr
    return df.with_columns(index.alias("volymindex")).sort("ar")


ENHETSKOSTNAD_KALLA_REFERENS = "referens_sjobo_budget_2024"
"""The `enhetskostnad_kalla` of `ENHETSKOSTNAD_SJOBO` used as it is."""


def enhetskostnader(
    nettokostnad: pl.DataFrame,
    pop: pl.DataFrame,
    bas_ar: int,
    grupper: pl.DataFrame = ALDERSGRUPPER,
    referens: pl.DataFrame = ENHETSKOSTNAD_SJOBO,
) -> pl.DataFrame:
    """The municipality's own unit costs per age group, with an age gradient inside a
    verksamhet that serves several groups.

    `nettokostnad`: ``verksamhet, nettokostnad_tkr`` for the base year (``aldersgrupp`` too where
    the ledger gives the cost per age group). `grupper` must have a ``verksamhet`` column.

    - A group with its own cost (a row with its ``aldersgrupp``): c_g = that cost / P_g(bas_ar);
      ``kalla`` = ``egen_per_aldersgrupp``.
    - A verksamhet serving one group: c_g = the verksamhet's cost / P_g; ``egen``.
    - A verksamhet serving several groups (äldreomsorg: 65–79, 80–89, 90+): the reference
      table's relative costs w_g (`referens`, default the Sjöbo figures) scaled to the
      municipality's own level, c_g = w_g × cost_v / Σ_{g∈v} w_g × P_g, so that Σ c_g P_g is
      the own cost and the gradient is the reference's; ``egen_niva_referensgradient``.

    Returns ``aldersgrupp, enhetskostnad_tkr, kalla`` for `demografisk_kostnad`.
    """
    _krav(nettokostnad, ["verksamhet", "nettokostnad_tkr"], "nettokostnad")
    _krav(grupper, ["aldersgrupp", "verksamhet"], "aldersgrupper")
    medel = medelbefolkning(pop, grupper).filter(pl.col("ar") == bas_ar)
    if medel.height == 0:
        raise ValueError(f"Basåret {bas_ar} saknar medelbefolkning.")
    per_grupp = (
        nettokostnad.filter(pl.col("aldersgrupp").is_not_null()).select(
            "aldersgrupp", pl.col("nettokostnad_tkr").alias("egen_tkr")
        )
        if "aldersgrupp" in nettokostnad.columns
        else pl.DataFrame(schema={"aldersgrupp": pl.String, "egen_tkr": pl.Float64})
    )
    per_verksamhet = (
        nettokostnad.filter(pl.col("aldersgrupp").is_null())
        if "aldersgrupp" in nettokostnad.columns
        else nettokostnad
    ).select("verksamhet", pl.col("nettokostnad_tkr").alias("verksamhet_tkr"))
    df = (
        grupper.select("aldersgrupp", "verksamhet")
        .join(medel.select("aldersgrupp", "medelbefolkning"), on="aldersgrupp", how="left")
        .join(
            referens.select("aldersgrupp", pl.col("enhetskostnad_tkr").alias("w")),
            on="aldersgrupp",
            how="left",
        )
        .join(per_grupp, on="aldersgrupp", how="left")
        .join(per_verksamhet, on="verksamhet", how="left")
        .with_columns(
            pl.len().over("verksamhet").alias("antal_grupper"),
            (pl.col("w") * pl.col("medelbefolkning")).sum().over("verksamhet").alias("viktad"),
        )
    )
    saknar = df.filter(
        pl.col("egen_tkr").is_null() & (pl.col("antal_grupper") > 1) & pl.col("w").is_null()
    )["aldersgrupp"].to_list()
    if saknar:
        raise ValueError(f"Referensgradient saknas för åldersgrupperna {', '.join(saknar)}.")
    return df.select(
        "aldersgrupp",
        pl.when(pl.col("egen_tkr").is_not_null())
        .then(pl.col("egen_tkr") / pl.col("medelbefolkning"))
        .when(pl.col("antal_grupper") == 1)
        .then(pl.col("verksamhet_tkr") / pl.col("medelbefolkning"))
        .otherwise(pl.col("w") * pl.col("verksamhet_tkr") / pl.col("viktad"))
        .alias("enhetskostnad_tkr"),
        pl.when(pl.col("egen_tkr").is_not_null())
        .then(pl.lit("egen_per_aldersgrupp"))
        .when(pl.col("antal_grupper") == 1)
        .then(pl.lit("egen"))
        .otherwise(pl.lit("egen_niva_referensgradient"))
        .alias("kalla"),
    )
