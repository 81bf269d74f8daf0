"""Helårsprognos: point forecasts of a unit's full-year net cost, per method (docs/rules.md).

Signs: net cost positive (costs > revenues gives a positive amount); avvikelse = budget − utfall,
so an *underskott* is a full-year net cost above the årsbudget.

Input, one frame (``ledger``), one row per enhet × ar × manad, each month as it stood then:

- ``utfall``: the month's net cost;
- ``budget_ack``, ``arsbudget``: the periodised budget to date and the year's budget of the
  version in force at the month's end (by its beslutsdatum: a March forecast never sees an
  October revision);
- ``forvaltningens`` (optional): förvaltningens helårsprognos in force, null where none.

A month with no row inside a unit's life is a month with no net cost (each delivered period is
the whole ledger), so gaps are zeros; months before a unit's first non-zero month are not part of
its life (a nämnd starting in March has no January).

Methods (``metod`` codes):

- ``forvaltningens``: förvaltningens own forecast, where delivered.
- ``budgetbaserad``: utfall ack + the budget remaining, `budgetbaserad`.
- ``takt``: utfall ack / the budget's seasonal share to date, `takt`.
- ``statistisk``: utfall ack / the unit's own outcome profile to date (``modell`` =
  ``utfallsprofil``): the share of the year's net cost that fell in months 1..m, pooled over up
  to `PROFILE_YEARS` earlier whole years of the unit (Σ ack / Σ total). Level-free, so a January
  ram step or a reorganisation's level shift does not bias it, and December accruals are in the
  profile. A unit with an election cycle (its net cost in election years at least
  `ELECTION_RATIO` × that in other years) is profiled only on years without election, and in an
  election year falls back (elections fall in different months). Where no
  usable profile exists the row falls back to the budgetbaserad figure (``modell`` =
  ``budgetbaserad``) and ``kommentar`` says why.
- ``kombination`` is formed from these in `models.kalibrering` (it needs the backtest).

The intervals and P(underskott) are not here: they come from each method's backtest errors
(`models.kalibrering`), so a point method need not model its own uncertainty.

``sasongsnaiv`` (a benchmark, not a published method): utfall ack + last year's remaining
months; the denominator of MASE.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

PROFILE_YEARS = 1
"""Earlier whole years in the statistical method's outcome profile: exactly this many, so its
errors have the same distribution every year and the closed years calibrate the next (with one
year behind 2023 and three behind 2025, 2023's errors would make 2025's intervals too wide), and
with three years of history two of them are calibration years (with two profile years only one
would be, and one year of scores calibrates too noisily). Fewer is a fallback."""

ELECTION_RATIO = 2.0
"""A unit whose mean yearly net cost in election years is at least this many times that of other
years has an election cycle (valnämnden)."""

MIN_PROFILE_SHARE = 0.02
"""An outcome profile whose share to date is below this cannot scale utfall ack (mostly-zero
months so far): the statistical method falls back to budgetbaserad."""

METHODS = ("forvaltningens", "budgetbaserad", "takt", "statistisk")
"""The point methods of this module, in the order rows are written."""

_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")

LEDGER_SCHEMA = {
    "enhet": pl.String,
    "ar": pl.Int64,
    "manad": pl.Int64,
    "utfall": pl.Float64,
    "budget_ack": pl.Float64,
    "arsbudget": pl.Float64,
    "forvaltningens": pl.Float64,
}

POINTS_SCHEMA = {
    "enhet": pl.String,
    "ar": pl.Int64,
    "manad": pl.Int64,
    "metod": pl.String,
    "modell": pl.String,
    "kommentar": pl.String,
    "utfall_ack": pl.Float64,
    "arsbudget": pl.Float64,
    "prognos": pl.Float64,
    "sasongsnaiv": pl.Float64,
    "golv": pl.Float64,
}


def budgetbaserad(utfall_ack: float, budget_ack: float, arsbudget: float) -> float:
    """Budget-based full-year forecast: utfall ack + the remaining periodised budget."""
    return utfall_ack + (arsbudget - budget_ack)


def takt(utfall_ack: float, sasongsandel_ack: float) -> float | None:
    """Run-rate forecast: utfall ack divided by the seasonal share of the year to date.

    ``sasongsandel_ack`` is the share (0–1] of a normal year's net cost that falls in the months
    so far (in the dbt mart: budget ack / årsbudget). A share of 0 gives None, as the SQL's
    ``nullif`` does.
    """
    if sasongsandel_ack == 0:
        return None
    return utfall_ack / sasongsandel_ack


def parse_period(period: str) -> tuple[int, int]:
    """'YYYY-MM' → (år, månad); anything else raises ValueError."""
    match = _PERIOD.match(period)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"Ogiltig period {period!r}: förväntade formatet ÅÅÅÅ-MM.")
    return int(match.group(1)), int(match.group(2))


def ledger_frame(df: pl.DataFrame) -> pl.DataFrame:
    """`df` in the ledger schema (missing ``forvaltningens`` becomes null; duplicates summed)."""
    missing = [c for c in LEDGER_SCHEMA if c not in df.columns and c != "forvaltningens"]
    if missing:
        raise ValueError(f"Indata till helårsprognosen saknar kolumnerna {', '.join(missing)}.")
    if "forvaltningens" not in df.columns:
        df = df.with_columns(pl.lit(None, dtype=pl.Float64).alias("forvaltningens"))
    return (
        df.select([pl.col(c).cast(t) for c, t in LEDGER_SCHEMA.items()])
        .group_by("enhet", "ar", "manad")
        .agg(
            pl.col("utfall").sum(),
            pl.col("budget_ack").max(),
            pl.col("arsbudget").max(),
            pl.col("forvaltningens").max(),
        )
        .sort("enhet", "ar", "manad")
    )


@dataclass
class _Unit:
    """One unit's monthly history as a year × month matrix (NaN = outside the unit's life)."""

    first_year: int
    utfall: np.ndarray  # shape (years, 12)
    budget_ack: np.ndarray
    arsbudget: np.ndarray
    forvaltningens: np.ndarray

    def year(self, ar: int) -> int:
        return ar - self.first_year

    def whole(self, ar: int) -> bool:
        """The unit existed every month of year `ar` (and the year is in the data)."""
        i = self.year(ar)
        return 0 <= i < self.utfall.shape[0] and bool(np.all(np.isfinite(self.utfall[i])))


def _units(ledger: pl.DataFrame) -> dict[str, _Unit]:
    units: dict[str, _Unit] = {}
    for (enhet,), rows in ledger.group_by("enhet", maintain_order=True):
        ar = rows["ar"].to_numpy()
        manad = rows["manad"].to_numpy()
        utfall = rows["utfall"].fill_null(0.0).to_numpy()
        active = np.flatnonzero(utfall != 0)
        if active.size == 0:
            continue  # never any net cost: nothing to forecast
        first = ar[active[0]] * 12 + manad[active[0]] - 1
        last_index = int((ar * 12 + manad - 1).max())
        first_year = int(first // 12)
        years = last_index // 12 - first_year + 1
        shape = (years, 12)
        grids = {k: np.full(shape, np.nan) for k in ("u", "b", "a", "f")}
        # Every month from the first active month to the last delivered one is in the unit's
        # life; a month without a row had no net cost (a gap is a zero, not a missing value).
        life = np.arange(first, last_index + 1)
        grids["u"].flat[life - first_year * 12] = 0.0
        idx = (ar - first_year) * 12 + manad - 1
        keep = idx >= first - first_year * 12
        for key, column in (
            ("u", "utfall"),
            ("b", "budget_ack"),
            ("a", "arsbudget"),
            ("f", "forvaltningens"),
        ):
            values = rows[column].cast(pl.Float64).to_numpy()
            grids[key].flat[idx[keep]] = values[keep]
        units[str(enhet)] = _Unit(first_year, grids["u"], grids["b"], grids["a"], grids["f"])
    return units


def election_cycle(unit: _Unit, election_years: Collection[int]) -> bool:
    """The unit's yearly net cost in election years is ≥ ELECTION_RATIO × that of other years."""
    totals = {
        unit.first_year + i: float(np.nansum(row))
        for i, row in enumerate(unit.utfall)
        if np.all(np.isfinite(row))
    }
    valar = [v for a, v in totals.items() if a in election_years]
    other = [v for a, v in totals.items() if a not in election_years]
    if not valar or not other or np.mean(other) <= 0:
        return False
    return float(np.mean(valar)) >= ELECTION_RATIO * float(np.mean(other))


def _profile(
    unit: _Unit, ar: int, manad: int, election_years: Collection[int]
) -> tuple[float | None, str]:
    """The unit's outcome share to date for (ar, manad), or None and the reason (Swedish)."""
    cycle = election_cycle(unit, election_years)
    is_valar = ar in election_years
    if cycle and is_valar:
        # Election years differ (a general election in September, the EU's in June): the demo's
        # valnämnden profiled on 2022 overshot 2024 by 280 % in June. The budget knows the date.
        return None, "Valår för en enhet som följer valcykeln: valen infaller olika månader."
    years = [
        y
        for y in range(ar - 1, unit.first_year - 1, -1)
        if unit.whole(y) and (not cycle or (y in election_years) == is_valar)
    ][:PROFILE_YEARS]
    if len(years) < PROFILE_YEARS:
        if cycle:
            return None, "Enheten följer valcykeln och har inget tidigare helt år utan val."
        return None, "Enheten har inget helt tidigare år att ta utfallsprofilen från."
    rows = np.stack([unit.utfall[unit.year(y)] for y in years])
    total = float(rows.sum())
    if total <= 0:
        return None, "Enhetens tidigare år har ingen nettokostnad att fördela."
    share = float(rows[:, :manad].sum()) / total
    if share < MIN_PROFILE_SHARE:
        return None, "Nästan ingen del av årets nettokostnad brukar falla så här tidigt på året."
    return share, "valcykel" if cycle else ""


def _points_for_unit(
    enhet: str, unit: _Unit, ar: int, manad: int, election_years: Collection[int]
) -> list[dict]:
    i = unit.year(ar)
    if not 0 <= i < unit.utfall.shape[0]:
        return []
    months = unit.utfall[i, :manad]
    # A month without a row keeps the budget of the unit's latest month with one this year.
    known = np.flatnonzero(np.isfinite(unit.arsbudget[i, :manad]))
    if not np.any(np.isfinite(months)) or known.size == 0:
        return []  # the unit is not in the ledger or has no budget this year as of this month
    utfall_ack = float(np.nansum(months))
    budget_ack = float(np.nan_to_num(unit.budget_ack[i, known[-1]]))
    arsbudget = float(unit.arsbudget[i, known[-1]])
    base = {"enhet": enhet, "ar": ar, "manad": manad, "utfall_ack": utfall_ack}
    base["arsbudget"] = arsbudget
    # The rest of a year cannot lower the net cost of a unit whose months were never negative.
    history = unit.utfall[: i + 1].ravel()[: i * 12 + manad]
    base["golv"] = utfall_ack if np.nanmin(history) >= 0 else None
    base["sasongsnaiv"] = (
        utfall_ack + float(unit.utfall[i - 1, manad:].sum()) if unit.whole(ar - 1) else None
    )
    rows = []
    forvaltningens = unit.forvaltningens[i, manad - 1]
    if np.isfinite(forvaltningens):
        rows.append(base | {"metod": "forvaltningens", "modell": "forvaltningens"})
        rows[-1] |= {"prognos": float(forvaltningens), "kommentar": None}
    budget = budgetbaserad(utfall_ack, budget_ack, arsbudget)
    rows.append(base | {"metod": "budgetbaserad", "modell": "budgetbaserad", "prognos": budget})
    rows[-1]["kommentar"] = None
    share = budget_ack / arsbudget if arsbudget != 0 else 0.0
    run_rate = takt(utfall_ack, share) if share > 0 else None
    rows.append(base | {"metod": "takt", "modell": "takt_budgetandel", "prognos": run_rate})
    rows[-1]["kommentar"] = None if run_rate is not None else "Budgeten har ingen andel hittills."
    if manad == 12:
        rows.append(base | {"metod": "statistisk", "modell": "utfall_helar", "kommentar": None})
        rows[-1]["prognos"] = utfall_ack
        return rows
    try:
        profile, reason = _profile(unit, ar, manad, election_years)
    except (ValueError, FloatingPointError, IndexError) as exc:  # never stop the other units
        profile, reason = None, f"Modellen kunde inte skattas ({exc})."
    if profile is None:
        rows.append(base | {"metod": "statistisk", "modell": "budgetbaserad", "prognos": budget})
        rows[-1]["kommentar"] = f"{reason} Budgetbaserad prognos i stället."
    else:
        modell = "utfallsprofil_valcykel" if reason == "valcykel" else "utfallsprofil"
        rows.append(base | {"metod": "statistisk", "modell": modell, "kommentar": None})
        rows[-1]["prognos"] = utfall_ack / profile
    return rows


def forecast_points(
    ledger: pl.DataFrame,
    ar: int,
    manader: Iterable[int],
    election_years: Collection[int] = (),
) -> pl.DataFrame:
    """Every method's helårsprognos per enhet for year `ar` as of each month in `manader`.

    `ledger` as in the module docstring (history before `ar` feeds the statistical method; rows
    after the month are ignored). A unit without a budget in force at the month, or not in the
    ledger that year, has no rows. Out (`POINTS_SCHEMA`): ``enhet, ar, manad, metod, modell,
    kommentar, utfall_ack, arsbudget, prognos, sasongsnaiv, golv`` (``golv`` = utfall ack where
    the unit's months were never negative, else null; a lower bound for the intervals).
    """
    units = _units(ledger_frame(ledger))
    rows: list[dict] = []
    for manad in manader:
        if not 1 <= manad <= 12:
            raise ValueError(f"Månaden ska vara 1–12, fick {manad}.")
        for enhet, unit in units.items():
            rows.extend(_points_for_unit(enhet, unit, ar, manad, election_years))
    return pl.DataFrame(rows, schema=POINTS_SCHEMA).select(list(POINTS_SCHEMA))


def year_end(ledger: pl.DataFrame, ar: int) -> pl.DataFrame:
    """``enhet, faktiskt``: the year's net cost of every unit in the closed year `ar` (a month
    without a row is a month without net cost), the truth a backtest compares with; empty when
    the ledger does not have all twelve months of the year."""
    if ar not in closed_years(ledger, before=ar + 1):
        return pl.DataFrame(schema={"enhet": pl.String, "faktiskt": pl.Float64})
    rows = ledger_frame(ledger).filter(pl.col("ar") == ar)
    return rows.group_by("enhet").agg(pl.col("utfall").sum().alias("faktiskt")).sort("enhet")


def closed_years(ledger: pl.DataFrame, before: int) -> list[int]:
    """Years before `before` whose twelve months are all in the ledger (some unit has a row in
    each): a backtest needs the year's end."""
    months = ledger_frame(ledger).group_by("ar").agg(pl.col("manad").n_unique().alias("n"))
    return sorted(a for a, n in months.iter_rows() if n == 12 and a < before)


def backtest_points(
    ledger: pl.DataFrame,
    ar: int,
    manader: Sequence[int] = tuple(range(1, 12)),
    election_years: Collection[int] = (),
) -> pl.DataFrame:
    """`forecast_points` for the closed year `ar` from each month, with ``faktiskt`` (units
    whose year is not whole are left out: there is nothing to compare with)."""
    truth = year_end(ledger, ar)
    history = ledger_frame(ledger).filter(pl.col("ar") <= ar)
    points = forecast_points(history, ar, manader, election_years)
    return points.join(truth, on="enhet", how="inner").sort("enhet", "manad", "metod")
