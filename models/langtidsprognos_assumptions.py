"""The assumptions and scenarios of the 10-year projection (`models.langtidsprognos`).

``assumptions`` is a long table ``ar, parameter, varde`` (other columns ignored) with the
parameters in `PARAMETERS` for every projection year and `BASE_YEAR_PARAMETERS` for the base
year; a rate (or skattesats) without a value for a year takes the last earlier value
(`assumption`), a level (`LEVEL_PARAMETERS`) is uprated by its explicit index
``<parameter>_index`` or is an error (`level_assumption`), and a missing parameter raises
ValueError (in Swedish: the controller reads it). Scenarios are additive adjustments on those
parameters, ``scenario, parameter, justering``, applied to the projection years;
`DEFAULT_SCENARIOS` is the one place for the defaults (bas; lag/hog = skatteunderlag growth −/+
1 percentage point).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

PARAMETERS = (
    "skatteunderlag_tillvaxt",
    "befolkning_riket_tillvaxt",
    "pkv",
    "skattesats",
    "statsbidrag_per_inv",
    "real_kostnadsdrift",
    "finansnetto",
    "ranta",
)
"""Assumption parameters required for every projection year: growth rates and ``ranta`` (the
interest rate on new loans) as fractions (0.04), skattesats in percent (21.64), statsbidrag in
kr per inhabitant, finansnetto (signed) in mnkr."""


BASE_YEAR_PARAMETERS = ("laneskuld",)
"""Assumption parameters required for the base year only: ``laneskuld`` (mnkr), the loan debt
at its end, from which the projection carries the debt forward with the lånebehov."""


LEVEL_PARAMETERS = ("statsbidrag_per_inv", "finansnetto")
"""Level parameters: never carried flat in silence. A year after the last given value takes
the previous year's value × (1 + the index ``<parameter>_index`` of that year, a fraction); the
index itself carries forward like a rate, and without an index such a year is an error (an
index of 0 states "unchanged" explicitly)."""


def index_parameter(parameter: str) -> str:
    """The name of the index a level parameter is carried forward with."""
    return f"{parameter}_index"


DEFAULT_SCENARIOS = pl.DataFrame(
    {
        "scenario": ["bas", "lag", "hog"],
        "parameter": ["skatteunderlag_tillvaxt"] * 3,
        "justering": [0.0, -0.01, 0.01],
    }
)
"""Default scenarios: additive adjustments to the assumptions in the projection years."""


def _require(df: pl.DataFrame, columns: Sequence[str], name: str) -> None:
    missing = [k for k in columns if k not in df.columns]
    if missing:
        raise ValueError(f"{name} saknar kolumnerna {', '.join(missing)}.")


def assumption(assumptions: pl.DataFrame, parameter: str, years: Sequence[int]) -> dict[int, float]:
    """The value of `parameter` for each year in `years`: the given value, else the last earlier
    one. Raises ValueError (in Swedish, naming the parameter) if it is missing."""
    _require(assumptions, ["ar", "parameter", "varde"], "antaganden")
    rows = assumptions.filter(pl.col("parameter") == parameter).select(
        pl.col("ar").cast(pl.Int64), pl.col("varde").cast(pl.Float64)
    )
    if rows.height == 0:
        raise ValueError(f"Antagandet '{parameter}' saknas i antagandetabellen.")
    duplicates = rows.group_by("ar").len().filter(pl.col("len") > 1)["ar"].to_list()
    if duplicates:
        raise ValueError(
            f"Antagandet '{parameter}' har flera värden för år {', '.join(map(str, duplicates))}."
        )
    given = dict(rows.sort("ar").iter_rows())
    first = min(given)
    values = {}
    for t in years:
        earlier = [a for a in given if a <= t]
        if not earlier:
            raise ValueError(
                f"Antagandet '{parameter}' saknas för år {t} (första angivna år är {first})."
            )
        values[t] = given[max(earlier)]
    return values


def level_assumption(
    assumptions: pl.DataFrame, parameter: str, years: Sequence[int]
) -> dict[int, float]:
    """A level parameter per year in `years` (sorted ascending): the given value, else the previous
    year's × (1 + its index, `index_parameter`). Raises ValueError in Swedish when a year has
    neither a value nor an index."""
    index_name = index_parameter(parameter)
    given = dict(
        assumptions.filter(pl.col("parameter") == parameter)
        .select(pl.col("ar").cast(pl.Int64), pl.col("varde").cast(pl.Float64))
        .iter_rows()
    )
    has_index = assumptions.filter(pl.col("parameter") == index_name).height > 0
    if not given:
        raise ValueError(f"Antagandet '{parameter}' saknas i antagandetabellen.")
    values: dict[int, float] = {}
    for t in years:
        earlier = [a for a in given if a <= t]
        if not earlier:
            raise ValueError(
                f"Antagandet '{parameter}' saknas för år {t} (första angivna år är {min(given)})."
            )
        latest = max(earlier)
        value = given[latest]
        if latest < t and not has_index:
            raise ValueError(
                f"Antagandet '{parameter}' saknas för år {t} och ingen uppräkning "
                f"'{index_name}' är angiven: ange '{parameter}' för varje år eller en "
                "uppräkning i procent per år (0 för oförändrad nivå)."
            )
        for s in range(latest + 1, t + 1):
            value *= 1.0 + assumption(assumptions, index_name, [s])[s]
        values[t] = value
    return values


def _scenarios(scenarios: pl.DataFrame) -> dict[str, dict[str, float]]:
    _require(scenarios, ["scenario", "parameter", "justering"], "scenarier")
    unknown = set(scenarios["parameter"].to_list()) - set(PARAMETERS)
    if unknown:
        raise ValueError(f"Okända parametrar i scenarierna: {', '.join(sorted(unknown))}.")
    out: dict[str, dict[str, float]] = {}
    for scenario, parameter, adjustment in scenarios.select(
        "scenario", "parameter", "justering"
    ).iter_rows():
        out.setdefault(str(scenario), {})
        out[str(scenario)][parameter] = out[str(scenario)].get(parameter, 0.0) + float(adjustment)
    return out


def _base_year_debt(assumptions: pl.DataFrame, base_year: int) -> float:
    """The loan debt (mnkr) at the end of the base year: the assumption ``laneskuld`` stated for
    that very year (a level is never carried in silence; later years are projected)."""
    given = _given(assumptions, "laneskuld")
    if base_year not in given:
        raise ValueError(
            f"Antagandet 'laneskuld' saknas för basåret {base_year}: ange låneskulden vid "
            f"utgången av {base_year}; senare år räknas fram med lånebehovet."
        )
    return given[base_year]


def _given(assumptions: pl.DataFrame, parameter: str) -> dict[int, float]:
    return dict(
        assumptions.filter(pl.col("parameter") == parameter)
        .select(pl.col("ar").cast(pl.Int64), pl.col("varde").cast(pl.Float64))
        .iter_rows()
    )
