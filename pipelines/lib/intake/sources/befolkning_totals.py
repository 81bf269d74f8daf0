"""SCB population tables: totals checked against the sum of their parts (:func:`check_totals`).

From 2025 SCB protects small counts with the cell-key method, so a published total may differ a
little from the sum of its published parts; before that year a total must be exact.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import polars as pl

MAX_ALDER = 100
CKM_FROM_YEAR = 2025
TOTAL = "totalt"  # aldersgrupp of an all-ages total row


@dataclass(frozen=True)
class TotalMismatch:
    """A total that differs from the sum of its parts by more than allowed."""

    dimension: str  # "kon" (T vs M+K) or "alder" (totalt vs the ages or bands)
    region: str
    ar: int
    manad: int | None
    kon: str
    alder: int | None
    aldersgrupp: str | None
    typ: str
    total: int
    sum_of_parts: int
    n_parts: int
    allowed: float
    source_row: int | None

    def describe(self) -> str:
        tid = f"{self.ar}" + (f"-{self.manad:02d}" if self.manad is not None else "")
        if self.dimension == "kon":
            what = (
                f"summan av män och kvinnor ({self.sum_of_parts})"
                + f" för ålder {self.alder if self.alder is not None else self.aldersgrupp}"
            )
        else:
            what = (
                f"summan av {self.n_parts} åldersklasser ({self.sum_of_parts}) för kön {self.kon}"
            )
        tol = "exakt likhet krävs" if self.allowed == 0 else f"tillåtet ±{self.allowed:.1f}"
        return (
            f"Totalen {self.total} för region {self.region}, {tid} ({self.typ}) stämmer inte med "
            f"{what}: skillnad {self.total - self.sum_of_parts}, {tol}. Hämta tabellen på nytt "
            "från SCB; kvarstår felet är filen ändrad eller ofullständig."
        )


def _allowed(
    ar: int, total: int, n_parts: int, tolerance_from_year: int, rel_tol: float, abs_tol: float
) -> float:
    if ar < tolerance_from_year:
        return 0.0
    return max(abs_tol * math.sqrt(n_parts + 1), rel_tol * abs(total))


def _band_bounds(group: str) -> tuple[int, int | None]:
    if group.endswith("+"):
        return int(group[:-1]), None
    lo, hi = group.split("-")
    return int(lo), int(hi)


def _complete_band_sum(bands: list[tuple[str, int]]) -> tuple[int, int] | None:
    """(sum, n_parts) of the first band set that partitions 0..100+ exactly, else None."""
    parsed = [(*_band_bounds(g), antal) for g, antal in bands]
    widths = sorted({hi - lo + 1 for lo, hi, _ in parsed if hi is not None})
    for width in widths:
        chosen = sorted(
            (b for b in parsed if b[1] is None or b[1] - b[0] + 1 == width), key=lambda b: b[0]
        )
        expected = 0
        for i, (lo, hi, _) in enumerate(chosen):
            if lo != expected:
                break
            if hi is None:
                if i == len(chosen) - 1:
                    return sum(b[2] for b in chosen), len(chosen)
                break
            expected = hi + 1
    return None


def check_totals(
    frame: pl.DataFrame,
    tolerance_from_year: int = CKM_FROM_YEAR,
    rel_tol: float = 0.001,
    abs_tol: float = 6.0,
) -> list[TotalMismatch]:
    """Compare the totals a table carries with the sum of their parts.

    ``frame`` is :func:`befolkning_from_jsonstat` output with ``keep_totals=True``. Checked:
    kön totals (T) against M + K for the same region, time and age class; age totals against
    the single ages 0..100+ when all 101 are present, else against a set of bands that
    partitions 0..100+ exactly (e.g. the 10-year bands). Region totals are not checked.

    Before ``tolerance_from_year`` (SCB's cell-key noise starts with reference year 2025) the
    sums must be exact; from it on a difference up to
    ``max(abs_tol * sqrt(parts + 1), rel_tol * |total|)`` is accepted (each published cell
    carries its own small noise, so the allowed difference grows with the number of cells).
    Cells with a null ``antal`` are left out of the check.
    """
    base = ["region", "ar", "manad", "typ"]
    data = frame.filter(pl.col("antal").is_not_null())
    out: list[TotalMismatch] = []

    # kön: T against M + K
    sex_keys = [*base, "alder", "aldersgrupp"]
    totals = data.filter(pl.col("kon") == "T").select(
        *sex_keys, pl.col("antal").alias("total"), "source_row"
    )
    parts = (
        data.filter(pl.col("kon").is_in(["M", "K"]))
        .group_by(sex_keys)
        .agg(pl.col("antal").sum().alias("parts"), pl.col("kon").n_unique().alias("n"))
        .filter(pl.col("n") == 2)
    )
    joined = totals.join(parts, on=sex_keys, how="inner", nulls_equal=True).sort("source_row")
    for rec in joined.iter_rows(named=True):
        allowed = _allowed(rec["ar"], rec["total"], 2, tolerance_from_year, rel_tol, abs_tol)
        if abs(rec["total"] - rec["parts"]) > allowed:
            out.append(
                TotalMismatch(
                    "kon",
                    rec["region"],
                    rec["ar"],
                    rec["manad"],
                    "T",
                    rec["alder"],
                    rec["aldersgrupp"],
                    rec["typ"],
                    rec["total"],
                    rec["parts"],
                    2,
                    allowed,
                    rec["source_row"],
                )
            )

    # ålder: totalt against the single ages, else against a complete band set
    age_keys = [*base, "kon"]
    age_totals = data.filter(pl.col("aldersgrupp") == TOTAL)
    if age_totals.height:
        singles = (
            data.filter(pl.col("alder").is_not_null() & pl.col("aldersgrupp").is_null())
            .group_by(age_keys)
            .agg(
                pl.col("antal").sum().alias("parts"),
                pl.len().alias("n"),
                pl.col("alder").n_unique().alias("n_unique"),
            )
            .filter((pl.col("n") == MAX_ALDER + 1) & (pl.col("n_unique") == MAX_ALDER + 1))
        )
        single_sums = {
            tuple(r[k] for k in age_keys): (r["parts"], MAX_ALDER + 1)
            for r in singles.iter_rows(named=True)
        }
        bands = (
            data.filter(pl.col("aldersgrupp").is_not_null() & (pl.col("aldersgrupp") != TOTAL))
            .group_by(age_keys)
            .agg(pl.col("aldersgrupp"), pl.col("antal"))
        )
        band_sums: dict[tuple, tuple[int, int]] = {}
        for r in bands.iter_rows(named=True):
            found = _complete_band_sum(list(zip(r["aldersgrupp"], r["antal"], strict=True)))
            if found is not None:
                band_sums[tuple(r[k] for k in age_keys)] = found
        for rec in age_totals.sort("source_row").iter_rows(named=True):
            key = tuple(rec[k] for k in age_keys)
            found = single_sums.get(key) or band_sums.get(key)
            if found is None:
                continue
            parts_sum, n_parts = found
            allowed = _allowed(
                rec["ar"], rec["antal"], n_parts, tolerance_from_year, rel_tol, abs_tol
            )
            if abs(rec["antal"] - parts_sum) > allowed:
                out.append(
                    TotalMismatch(
                        "alder",
                        rec["region"],
                        rec["ar"],
                        rec["manad"],
                        rec["kon"],
                        None,
                        TOTAL,
                        rec["typ"],
                        rec["antal"],
                        parts_sum,
                        n_parts,
                        allowed,
                        rec["source_row"],
                    )
                )
    return out
