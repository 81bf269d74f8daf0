"""The goal register (``mal_*.yaml`` / ``.yml`` / ``.xlsx``): goals and their indicators.

YAML::

    mal:
      - {id: KF1, niva: kommun, org: "0680", ar: 2026, titel: ..., perspektiv: medborgare,
         foralder: null, agenda2030: "4.1"}
    indikatorer:
      - {mal: KF1, indikator: N15419, kalla: kolada, riktning: högre, utgangsvarde: 80,
         malvarde: 85}

A goal is (ar, id): a goal kept into the next year keeps its id, so the same id may occur once
per year. An indicator belongs to the goal of its year: its optional ``ar`` names the year, and
without it the indicator takes the year of the goal with its id in the file (a file with the
same id in several years must give ``ar``).

Excel: a sheet ``mal`` and a sheet ``indikatorer`` (names case-insensitive), header in row 1.
Headers/keys are normalised like every table header (readers.normalise_header: ``Nivå``,
``målvärde``, ``Förälder``); other columns are ignored. YAML is read without implicit typing
(every scalar as text, so ``org: 0123`` stays "0123"). Numbers follow the intake's one number
rule (amounts.py: "85,5" and "1 234,5", never "1 2 3,4"), riktning words the intake's map
(codes.py).

``source_row`` is the row the user sees: for YAML the line (1-based) where the item starts, for
Excel the row number in its sheet (header = row 1, first data row = 2).
:func:`read_malregister` rejects missing or unreadable values and then runs
:func:`validate_malregister` without the organisation check.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from pipelines.lib.intake.amounts import parse_number
from pipelines.lib.intake.codes import normalise_riktning
from pipelines.lib.intake.sources import Problem, SourceError
from pipelines.lib.intake.sources.malregister_files import (
    Items,
    item_text,
    read_xlsx_items,
    read_yaml_items,
)
from pipelines.lib.intake.sources.malregister_rules import (
    NIVAER,
    PERSPEKTIV,
    normalise_perspektiv,
    validate_malregister,
)

__all__ = [
    "MALINDIKATOR_SCHEMA",
    "MAL_SCHEMA",
    "NIVAER",
    "PERSPEKTIV",
    "normalise_perspektiv",
    "normalise_riktning",
    "read_malregister",
    "validate_malregister",
]

MAL_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.String(),
    "niva": pl.String(),
    "org": pl.String(),
    "ar": pl.Int32(),
    "titel": pl.String(),
    "perspektiv": pl.String(),
    "foralder": pl.String(),
    "agenda2030": pl.String(),
    "source_row": pl.Int64(),
}
MALINDIKATOR_SCHEMA: dict[str, pl.DataType] = {
    "mal": pl.String(),
    "ar": pl.Int32(),
    "indikator": pl.String(),
    "kalla": pl.String(),
    "riktning": pl.String(),
    "utgangsvarde": pl.Float64(),
    "malvarde": pl.Float64(),
    "source_row": pl.Int64(),
}

_MAL_REQUIRED = ("id", "niva", "org", "ar", "titel", "perspektiv")
_IND_REQUIRED = ("mal", "indikator")


def _number(value: Any) -> float | None:
    """A float from a number cell or from text by the intake's one number rule
    (:func:`~pipelines.lib.intake.amounts.parse_number`: "85", "85,5", "1 234,5"); raises
    ValueError for anything else ("1 2 3,4", "12 kr")."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        return float(value)
    text = item_text(value)
    if text is None:
        return None
    number = parse_number(text)
    if number is None:
        raise ValueError(value)
    return number


def _year(value: Any) -> int:
    """A year 1900-2200 from a number or text; raises ValueError."""
    number = _number(value)
    if number is None or not number.is_integer() or not 1900 <= number <= 2200:
        raise ValueError(value)
    return int(number)


def read_malregister(path: str | Path, *, validate: bool = True) -> dict[str, pl.DataFrame]:
    """Read a goal register: ``{"mal": frame, "malindikator": frame}``.

    Raises :class:`SourceError` for missing or unreadable values (every one found), and, when
    ``validate`` is true, for every rule of :func:`validate_malregister` (without the
    organisation check, which needs the organisation).
    """
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if not path.exists():
        raise SourceError([Problem(name, "Filen finns inte.")])
    if suffix in (".yaml", ".yml"):
        mal_items, ind_items, mal_where, ind_where = read_yaml_items(path)
    elif suffix == ".xlsx":
        mal_items, ind_items, mal_where, ind_where = read_xlsx_items(path)
    else:
        raise SourceError(
            [Problem(name, f"Målregistret ska vara .yaml, .yml eller .xlsx, inte '{suffix}'.")]
        )

    problems: list[Problem] = []
    mal_rows = _goal_rows(mal_items, mal_where, name, problems)
    ind_rows = _indicator_rows(ind_items, ind_where, _years_by_id(mal_rows), name, problems)
    if problems:
        raise SourceError(problems)
    mal = pl.DataFrame(mal_rows, schema=MAL_SCHEMA)
    malindikator = pl.DataFrame(ind_rows, schema=MALINDIKATOR_SCHEMA)
    if validate:
        found = validate_malregister(mal, malindikator, None, file_name=name)
        if found:
            raise SourceError(found)
    return {"mal": mal, "malindikator": malindikator}


def _goal_rows(
    mal_items: Items, mal_where: str, name: str, problems: list[Problem]
) -> dict[str, list]:
    """The goals as columns of MAL_SCHEMA; a missing or unreadable value adds a Problem."""
    mal_rows: dict[str, list] = {c: [] for c in MAL_SCHEMA}
    for row, item in mal_items:
        values = {c: item_text(item.get(c)) for c in MAL_SCHEMA if c not in ("ar", "source_row")}
        missing = [c for c in _MAL_REQUIRED if c != "ar" and values[c] is None]
        if item_text(item.get("ar")) is None:
            missing.insert(3, "ar")
        label = f"Målet {values['id']!r}" if values["id"] else "Ett mål"
        for column in missing:
            problems.append(
                Problem(
                    name,
                    f"{label} ({mal_where} {row}) saknar '{column}'. Varje mål behöver id, niva, "
                    "org, ar, titel och perspektiv.",
                    row=row,
                    column=column,
                )
            )
        ar = None
        raw_ar = item.get("ar")
        if item_text(raw_ar) is not None:
            try:
                ar = _year(raw_ar)
            except ValueError:
                problems.append(
                    Problem(
                        name,
                        f"{label} ({mal_where} {row}) har ogiltigt år {raw_ar!r}; 'ar' ska vara "
                        "ett årtal som 2026.",
                        row=row,
                        column="ar",
                        value=str(raw_ar),
                    )
                )
        values["perspektiv"] = normalise_perspektiv(values["perspektiv"])
        for column in MAL_SCHEMA:
            if column == "ar":
                mal_rows[column].append(ar)
            elif column == "source_row":
                mal_rows[column].append(row)
            else:
                mal_rows[column].append(values[column])

    return mal_rows


def _years_by_id(mal_rows: dict[str, list]) -> dict[str, set[int]]:
    years_by_id: dict[str, set[int]] = {}
    for gid, gar in zip(mal_rows["id"], mal_rows["ar"], strict=True):
        if gid is not None and gar is not None:
            years_by_id.setdefault(gid, set()).add(gar)
    return years_by_id


def _indicator_rows(
    ind_items: Items,
    ind_where: str,
    years_by_id: dict[str, set[int]],
    name: str,
    problems: list[Problem],
) -> dict[str, list]:
    """The indicators as columns of MALINDIKATOR_SCHEMA; a bad value adds a Problem.

    An indicator without 'ar' belongs to its goal's year when the file has its goal id in one
    year only; otherwise it stays empty and validate_malregister names the ambiguity.
    """
    ind_rows: dict[str, list] = {c: [] for c in MALINDIKATOR_SCHEMA}
    for row, item in ind_items:
        mal = item_text(item.get("mal"))
        indikator = item_text(item.get("indikator"))
        label = f"Indikatorn {indikator!r} för målet {mal!r} ({ind_where} {row})"
        ind_ar = None
        raw_ind_ar = item.get("ar")
        if item_text(raw_ind_ar) is not None:
            try:
                ind_ar = _year(raw_ind_ar)
            except ValueError:
                problems.append(
                    Problem(
                        name,
                        f"{label} har ogiltigt år {raw_ind_ar!r}; 'ar' ska vara året för det "
                        "mål indikatorn hör till, ett årtal som 2026.",
                        row=row,
                        column="ar",
                        value=str(raw_ind_ar),
                    )
                )
        elif len(years_by_id.get(mal, ())) == 1:
            [ind_ar] = years_by_id[mal]
        for column in _IND_REQUIRED:
            if item_text(item.get(column)) is None:
                problems.append(
                    Problem(
                        name,
                        f"{label} saknar '{column}'. Varje indikator behöver mal och indikator.",
                        row=row,
                        column=column,
                    )
                )
        riktning = None
        raw = item_text(item.get("riktning"))
        try:
            riktning = normalise_riktning(raw)
        except ValueError:
            problems.append(
                Problem(
                    name,
                    f"{label} har okänd riktning {raw!r}; skriv 'högre' eller 'lägre' (vilket "
                    "håll som är bättre).",
                    row=row,
                    column="riktning",
                    value=raw,
                )
            )
        numbers: dict[str, float | None] = {}
        for column in ("utgangsvarde", "malvarde"):
            raw_value = item.get(column)
            try:
                numbers[column] = _number(raw_value)
            except ValueError:
                numbers[column] = None
                problems.append(
                    Problem(
                        name,
                        f"{label}: '{column}' = {raw_value!r} är inte ett tal.",
                        row=row,
                        column=column,
                        value=str(raw_value),
                    )
                )
        ind_rows["mal"].append(mal)
        ind_rows["ar"].append(ind_ar)
        ind_rows["indikator"].append(indikator)
        ind_rows["kalla"].append(item_text(item.get("kalla")))
        ind_rows["riktning"].append(riktning)
        ind_rows["utgangsvarde"].append(numbers["utgangsvarde"])
        ind_rows["malvarde"].append(numbers["malvarde"])
        ind_rows["source_row"].append(row)
    return ind_rows
