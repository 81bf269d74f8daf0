"""Checks of the follow-up inputs: written analyses (analys_), uppdrag and their status.

Each returns the Problems of one file, in Swedish. The organisation is the one the intake's
other checks use (the published one plus what the inbox delivers), and an uppdrag's status may
only name an uppdrag that is published or delivered in the same inbox.
"""

from __future__ import annotations

import duckdb
import polars as pl

from .kinds import ANALYS_MAX_TECKEN
from .problems import Problem
from .readers import SOURCE_ROW

# What these kinds' checks read from other kinds (merged into inbox.DEPENDS_ON): a file whose
# only problems come from a rejected file of these kinds waits in the inbox.
DEPENDS_ON: dict[str, tuple[str, ...]] = {
    "analys": ("organisation",),
    "uppdrag": ("organisation",),
    "uppdragsstatus": ("uppdrag",),
}

# Who can give an uppdrag besides a nämnd: kommunfullmäktige and kommunstyrelsen.
UPPDRAGSGIVARE = ("KF", "KS")

# The org columns that hold each level's codes (verksamhet: the ansvar or its område).
_NIVA_KOLUMNER = {
    "namnd": ("namnd",),
    "forvaltning": ("forvaltning",),
    "verksamhet": ("ansvar", "verksamhetsomrade"),
}
_NIVA_ORD = {"namnd": "nämnd", "forvaltning": "förvaltning", "verksamhet": "verksamhet"}


def _sv_tal(number: int) -> str:
    return f"{number:,}".replace(",", " ")


def text_problems(typed: pl.DataFrame, file_name: str) -> list[Problem]:
    """An analysis longer than ANALYS_MAX_TECKEN characters (after stripping)."""
    too_long = typed.filter(pl.col("text").str.len_chars() > ANALYS_MAX_TECKEN).select(
        SOURCE_ROW, pl.col("text").str.len_chars().alias("tecken")
    )
    return [
        Problem(
            file_name,
            f"Texten är för lång: {_sv_tal(tecken)} tecken, men högst "
            f"{_sv_tal(ANALYS_MAX_TECKEN)} tecken är tillåtna. Korta analysen eller dela upp den "
            "på flera avsnitt",
            row=row,
            column="text",
        )
        for row, tecken in too_long.iter_rows()
    ]


def _valid_codes(columns: tuple[str, ...]) -> str:
    """SQL for the (code, first day, last day) of every org code in these columns."""
    parts = [
        f"select {c} as kod, giltig_from, coalesce(giltig_tom, date '9999-12-31') as giltig_tom "
        f"from org where {c} is not null"
        for c in columns
    ]
    return " union all ".join(parts)


def kommun_problems(tables: dict[str, pl.DataFrame], file_name: str) -> list[Problem]:
    """An analysis of the kommun names KOMMUN as its org."""
    frame = tables.get("analys")
    if frame is None or frame.is_empty():
        return []
    wrong = frame.drop_nulls(["niva", "org"]).filter(
        (pl.col("niva") == "kommun") & (pl.col("org") != "KOMMUN")
    )
    return [
        Problem(file_name, "På nivån kommun ska org vara KOMMUN", row=row, column="org", value=org)
        for row, org in wrong.select(SOURCE_ROW, "org").iter_rows()
    ]


def analys_problems(
    tables: dict[str, pl.DataFrame], organisation: pl.DataFrame, file_name: str
) -> list[Problem]:
    """Analyses whose org is unknown at their level in their period."""
    frame = tables.get("analys")
    if frame is None or frame.is_empty() or organisation.is_empty():
        return []
    rows = frame.drop_nulls(["period", "niva", "org"])
    problems: list[Problem] = []
    con = duckdb.connect()
    try:
        con.register("org", organisation)
        for niva, columns in _NIVA_KOLUMNER.items():
            at_level = rows.filter(pl.col("niva") == niva)
            if at_level.is_empty():
                continue
            con.register("rader", at_level)
            unknown = con.execute(
                f"""
                select r.{SOURCE_ROW}, r.org, r.period
                from rader as r
                where not exists (
                    select 1 from ({_valid_codes(columns)}) as k
                    where k.kod = r.org
                      and k.giltig_from <= last_day(cast(r.period || '-01' as date))
                      and k.giltig_tom >= cast(r.period || '-01' as date)
                )
                order by r.{SOURCE_ROW}
                """
            ).fetchall()
            con.unregister("rader")
            problems += [
                Problem(
                    file_name,
                    f"Det finns ingen {_NIVA_ORD[niva]} {org} i organisationen för perioden "
                    f"{period}; kontrollera koden och nivån",
                    row=row,
                    column="org",
                    value=org,
                )
                for row, org, period in unknown
            ]
    finally:
        con.close()
    return sorted(problems, key=lambda p: p.row or 0)


def deadline_problems(tables: dict[str, pl.DataFrame], file_name: str) -> list[Problem]:
    """An uppdrag's deadline cannot precede its decision."""
    frame = tables.get("uppdrag")
    if frame is None or frame.is_empty():
        return []
    early = frame.filter(pl.col("klart_senast") < pl.col("beslutsdatum"))
    return [
        Problem(
            file_name,
            f"Sista dag ({klart}) ligger före beslutsdatum ({beslut})",
            row=row,
            column="klart_senast",
            value=str(klart),
        )
        for row, beslut, klart in early.select(
            SOURCE_ROW, "beslutsdatum", "klart_senast"
        ).iter_rows()
    ]


def uppdrag_problems(
    tables: dict[str, pl.DataFrame], organisation: pl.DataFrame, file_name: str
) -> list[Problem]:
    """givet_av must be KF, KS or a nämnd, mottagare KS or a nämnd, on the decision date."""
    frame = tables.get("uppdrag")
    if frame is None or frame.is_empty():
        return []
    problems: list[Problem] = []
    con = duckdb.connect()
    try:
        con.register("rader", frame.drop_nulls(["beslutsdatum"]))
        if organisation.is_empty():
            con.execute("create temp table org (namnd varchar, giltig_from date, giltig_tom date)")
        else:
            con.register("org", organisation)
        for column, allowed, role in (
            ("givet_av", UPPDRAGSGIVARE, "KF, KS eller en nämnd"),
            ("mottagare", ("KS",), "KS eller en nämnd"),
        ):
            codes = ", ".join(f"'{code}'" for code in allowed)
            unknown = con.execute(
                f"""
                select r.{SOURCE_ROW}, r.{column}, r.beslutsdatum
                from rader as r
                where r.{column} is not null and r.{column} not in ({codes})
                  and not exists (
                    select 1 from org
                    where org.namnd = r.{column}
                      and org.giltig_from <= r.beslutsdatum
                      and coalesce(org.giltig_tom, date '9999-12-31') >= r.beslutsdatum
                )
                order by r.{SOURCE_ROW}
                """
            ).fetchall()
            problems += [
                Problem(
                    file_name,
                    f"{value} är varken {role} i organisationen den {beslut}",
                    row=row,
                    column=column,
                    value=value,
                )
                for row, value, beslut in unknown
            ]
    finally:
        con.close()
    return sorted(problems, key=lambda p: (p.row or 0, p.column or ""))


def uppdragsstatus_problems(
    tables: dict[str, pl.DataFrame], known_uppdrag: set[str], file_name: str
) -> list[Problem]:
    """A status for an uppdrag that is neither published nor delivered in this inbox."""
    frame = tables.get("uppdragsstatus")
    if frame is None or frame.is_empty():
        return []
    unknown = (
        frame.drop_nulls("uppdrag")
        .filter(~pl.col("uppdrag").is_in(sorted(known_uppdrag)))
        .select(SOURCE_ROW, "uppdrag")
    )
    return [
        Problem(
            file_name,
            f"Uppdraget {uppdrag} finns inte: leverera det i en uppdrag_-fil (samtidigt eller "
            "före statusen) eller rätta uppdragets id",
            row=row,
            column="uppdrag",
            value=uppdrag,
        )
        for row, uppdrag in unknown.iter_rows()
    ]


def investering_problems(typed: pl.DataFrame, file_name: str) -> list[Problem]:
    """An investment's period lies in its year, and a plan row has none (a plan is the year's,
    not a month's)."""
    if "period" not in typed.columns:
        return []
    dated = typed.drop_nulls("period")
    wrong_year = dated.filter(pl.col("period").str.slice(0, 4) != pl.col("ar").cast(pl.String))
    on_plan = dated.filter(pl.col("typ") == "plan")
    return sorted(
        [
            Problem(
                file_name,
                f"Perioden {period} ligger inte i året {ar}",
                row=row,
                column="period",
                value=period,
            )
            for row, period, ar in wrong_year.select(SOURCE_ROW, "period", "ar").iter_rows()
        ]
        + [
            Problem(
                file_name,
                "En plan gäller hela året och har ingen period: lämna period tom på planrader",
                row=row,
                column="period",
                value=period,
            )
            for row, period in on_plan.select(SOURCE_ROW, "period").iter_rows()
        ],
        key=lambda p: p.row or 0,
    )


def loaded_uppdrag(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The uppdrag ids the warehouse already holds (none in a warehouse published before the
    kind existed, which `styrhjul check` reads as it is)."""
    exists = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'raw' and table_name = 'uppdrag'"
    ).fetchone()[0]
    if not exists:
        return set()
    return {row[0] for row in con.execute("select distinct id from raw.uppdrag").fetchall()}


def inbox_uppdrag(parsed_tables: list[dict[str, pl.DataFrame]]) -> set[str]:
    """The uppdrag ids delivered by this inbox's readable uppdrag_ files."""
    ids: set[str] = set()
    for tables in parsed_tables:
        frame = tables.get("uppdrag")
        if frame is not None:
            ids |= set(frame["id"].drop_nulls().to_list())
    return ids


def followup_problems(
    kind: str,
    tables: dict[str, pl.DataFrame],
    organisation: pl.DataFrame,
    known_uppdrag: set[str],
    file_name: str,
) -> tuple[list[Problem], list[Problem]]:
    """The checks above for a file of one of the follow-up kinds, as (the file's own problems,
    those found with other kinds' files: see DEPENDS_ON); ([], []) for any other kind."""
    if kind == "analys":
        return kommun_problems(tables, file_name), analys_problems(tables, organisation, file_name)
    if kind == "uppdrag":
        return deadline_problems(tables, file_name), uppdrag_problems(
            tables, organisation, file_name
        )
    if kind == "uppdragsstatus":
        return [], uppdragsstatus_problems(tables, known_uppdrag, file_name)
    return [], []
