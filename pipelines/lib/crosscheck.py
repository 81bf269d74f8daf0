"""Checks that need more than one file: every code must exist in the organisation when it applies.

A ledger row's ansvar must be valid on its period, a budget row's ansvar during its year, and a
nämnd named by a forecast, an action plan, an investment or a risk must exist. The organisation
is the one already published plus what this inbox delivers, so a reorganisation and the ledger
that uses it can arrive together.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from pipelines.lib.intake.problems import Problem

# kind → (table, code column, SQL for the first and last day the code must be valid on, label)
_ORG_RULES: dict[str, tuple[str, str, str, str, str]] = {
    "utfall": (
        "utfall",
        "ansvar",
        "cast(r.period || '-01' as date)",
        "cast(r.period || '-01' as date)",
        "Ansvaret {value} finns inte i organisationen för perioden {when}.",
    ),
    "budget": (
        "budget",
        "ansvar",
        "make_date(r.ar, 1, 1)",
        "make_date(r.ar, 12, 31)",
        "Ansvaret {value} finns inte i organisationen under år {when}, så budgeten hör inte "
        "till någon känd nämnd.",
    ),
    "prognos": (
        "prognos",
        "namnd",
        "cast(r.period || '-01' as date)",
        "cast(r.period || '-01' as date)",
        "Nämnden {value} finns inte i organisationen för perioden {when}.",
    ),
    "atgardsplan": (
        "atgardsplan",
        "namnd",
        "r.beslutsdatum",
        "r.beslutsdatum",
        "Nämnden {value} finns inte i organisationen den {when}.",
    ),
    "investering": (
        "investering",
        "namnd",
        "make_date(r.ar, 1, 1)",
        "make_date(r.ar, 12, 31)",
        "Nämnden {value} finns inte i organisationen under år {when}.",
    ),
    "risk": (
        "risk",
        "namnd",
        "make_date(r.ar, 1, 1)",
        "make_date(r.ar, 12, 31)",
        "Nämnden {value} finns inte i organisationen under år {when}.",
    ),
}

_WHEN = {
    "utfall": "period",
    "budget": "ar",
    "prognos": "period",
    "atgardsplan": "beslutsdatum",
    "investering": "ar",
    "risk": "ar",
}


def org_problems(
    kind: str, tables: dict[str, pl.DataFrame], organisation: pl.DataFrame, file_name: str
) -> list[Problem]:
    """Rows whose ansvar or nämnd is unknown to the organisation when the row applies."""
    rule = _ORG_RULES.get(kind)
    if rule is None or organisation.is_empty():
        if rule is not None and organisation.is_empty():
            return [
                Problem(
                    file=file_name,
                    reason="Det finns ingen organisation inläst; lägg en organisation_-fil i "
                    "inkorgen tillsammans med eller före den här filen.",
                )
            ]
        return []
    table, column, first_day, last_day, template = rule
    frame = tables.get(table)
    if frame is None or frame.is_empty():
        return []
    code = "ansvar" if column == "ansvar" else "namnd"
    con = duckdb.connect()
    try:
        con.register("rows_in", frame)
        con.register("org", organisation)
        unknown = con.execute(
            f"""
            select r.source_row, r.{column} as value, cast(r.{_WHEN[kind]} as varchar) as when_
            from rows_in as r
            where r.{column} is not null and {first_day} is not null
              and not exists (
                select 1 from org
                where org.{code} = r.{column}
                  and org.giltig_from <= {last_day}
                  and coalesce(org.giltig_tom, date '9999-12-31') >= {first_day}
            )
            order by r.source_row
            """
        ).fetchall()
    finally:
        con.close()
    return [
        Problem(
            file=file_name,
            row=int(row),
            column=column,
            value=str(value),
            reason=template.format(value=value, when=when),
        )
        for row, value, when in unknown
    ]


def known_orgs(organisation: pl.DataFrame) -> dict[str, set[str]]:
    """Org codes per level, for the goal register's checks."""
    if organisation.is_empty():
        return {"kommun": {"KOMMUN"}, "namnd": set(), "forvaltning": set(), "verksamhet": set()}
    verksamhet = set(organisation["ansvar"].drop_nulls().to_list())
    if "verksamhetsomrade" in organisation.columns:
        verksamhet |= set(organisation["verksamhetsomrade"].drop_nulls().to_list())
    return {
        "kommun": {"KOMMUN"},
        "namnd": set(organisation["namnd"].drop_nulls().to_list()),
        "forvaltning": set(organisation["forvaltning"].drop_nulls().to_list()),
        "verksamhet": verksamhet,
    }


STANDARD_KEYS = (
    Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "standardperiodisering.csv"
)


def standard_keys() -> set[str]:
    """The periodisation keys every year has (the dbt seed is their one definition)."""
    return set(pl.read_csv(STANDARD_KEYS, infer_schema=False)["nyckel"].to_list())


def key_problems(
    tables: dict[str, pl.DataFrame], keys_by_year: dict[int, set[str]], file_name: str
) -> list[Problem]:
    """Budget rows whose periodisation key has no shares for their year: they could not be
    spread over the months, and would be missing from the monthly budget."""
    budget = tables.get("budget")
    if budget is None or budget.is_empty():
        return []
    standard = standard_keys()
    problems = []
    for row, ar, nyckel in budget.select("source_row", "ar", "nyckel").iter_rows():
        if nyckel and ar is not None and nyckel not in standard | keys_by_year.get(ar, set()):
            problems.append(
                Problem(
                    file=file_name,
                    row=int(row),
                    column="nyckel",
                    value=str(nyckel),
                    reason=f"Periodiseringsnyckeln {nyckel} finns inte för år {ar}: leverera den "
                    f"i en periodisering_-fil eller använd {', '.join(sorted(standard))}.",
                )
            )
    return problems
