"""Checks across the rows of one typed table, per kind (after every value is typed)."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from .problems import Problem
from .readers import SOURCE_ROW
from .uppfoljning import investering_problems, text_problems


def _sv(number: float, decimals: int = 4) -> str:
    return f"{number:.{decimals}f}".replace(".", ",")


def _check_periodisering(typed: pl.DataFrame, file_name: str) -> list[Problem]:
    """Each key's shares sum to 1 (within 0.0001) per year; each month at most once."""
    complete = typed.drop_nulls(["ar", "nyckel", "manad", "andel"])
    problems = []
    sums = (
        complete.group_by("ar", "nyckel")
        .agg(pl.col("andel").sum().alias("summa"), pl.col(SOURCE_ROW).min().alias("forsta"))
        .filter((pl.col("summa") - 1).abs() > 0.0001)
        .sort("forsta")
    )
    for ar, nyckel, summa, _ in sums.iter_rows():
        problems.append(
            Problem(
                file_name,
                f"Andelarna för nyckeln {nyckel} år {ar} summerar till {_sv(summa)}, men ska "
                "summera till 1 (tillåten avvikelse 0,0001)",
                column="andel",
                value=_sv(summa),
            )
        )
    duplicates = complete.filter(pl.len().over("ar", "nyckel", "manad") > 1).sort(SOURCE_ROW)
    for record in duplicates.iter_rows(named=True):
        problems.append(
            Problem(
                file_name,
                f"Månad {record['manad']} finns flera gånger för nyckeln {record['nyckel']} "
                f"år {record['ar']}",
                row=record[SOURCE_ROW],
                column="manad",
                value=str(record["manad"]),
            )
        )
    return problems


def _check_organisation(typed: pl.DataFrame, file_name: str) -> list[Problem]:
    """One row per (ansvar, giltig_from): two rows from the same day would give the ansvar two
    nämnder (or two names) at once, and the warehouse could not tell which holds. Both rows are
    named, on each of them. Rows repeated identically say the same thing and pass."""
    complete = typed.drop_nulls(["ansvar", "giltig_from"])
    content = [c for c in complete.columns if c != SOURCE_ROW]
    repeated = (
        complete.group_by("ansvar", "giltig_from")
        .agg(
            pl.col(SOURCE_ROW).sort(),
            pl.col("namnd").sort_by(SOURCE_ROW),
            pl.struct(content).n_unique().alias("varianter"),
        )
        .filter(pl.col("varianter") > 1)
        .drop("varianter")
        .sort(pl.col(SOURCE_ROW).list.first())
    )
    problems = []
    for ansvar, giltig_from, rows, namnder in repeated.iter_rows():
        pairs = zip(rows, namnder, strict=True)
        listed = ", ".join(f"rad {row} ({namnd or 'ingen nämnd'})" for row, namnd in pairs)
        for row in rows:
            problems.append(
                Problem(
                    file_name,
                    f"Ansvaret {ansvar} har flera rader som gäller från {giltig_from}: {listed}. "
                    "Ett ansvar kan bara höra till en nämnd varje dag: behåll en rad, eller ge "
                    "den senare raden ett senare giltig_from",
                    row=row,
                    column="giltig_from",
                    value=str(giltig_from),
                )
            )
    return problems


TABLE_CHECKS: dict[str, Callable[[pl.DataFrame, str], list[Problem]]] = {
    "periodisering": _check_periodisering,
    "organisation": _check_organisation,
    "analys": text_problems,
    "investering": investering_problems,
}
