"""Checks that need more than one file: every code must exist in the organisation when it applies.

A ledger row's ansvar must be valid on its period, a budget row's ansvar during its year, and a
nämnd named by a forecast, an action plan, an investment or a risk must exist. The organisation
is the one already published plus what this inbox delivers, so a reorganisation and the ledger
that uses it can arrive together.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from pipelines.lib.intake.kinds import BUDGET_VERSIONS, KINDS_BY_NAME, FileKind
from pipelines.lib.intake.problems import Problem
from pipelines.lib.warehouse import DBT_PROJECT_DIR

_UTFALL_MANAD_START = (
    "make_date(cast(left(r.period, 4) as integer), "
    "least(cast(right(r.period, 2) as integer), 12), 1)"
)

# kind → (table, code column, SQL for the first and last day the code must be valid on, label)
_ORG_RULES: dict[str, tuple[str, str, str, str, str]] = {
    "utfall": (
        "utfall",
        "ansvar",
        # Period 13 (closing entries) is checked against December's organisation.
        _UTFALL_MANAD_START,
        _UTFALL_MANAD_START,
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

# The kinds whose codes are checked against the organisation.
ORG_CHECKED_KINDS: tuple[str, ...] = tuple(_ORG_RULES)

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


STANDARD_KEYS = DBT_PROJECT_DIR / "seeds" / "standardperiodisering.csv"


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


# ---- the organisation's own consistency ------------------------------------------------------


def org_conflicts(
    deliveries: list[tuple[str, pl.DataFrame]], loaded: pl.DataFrame
) -> dict[str, list[Problem]]:
    """Organisation rows that contradict each other once the inbox's rows are applied.

    A later row for an ansvar ends the earlier one the day before, so only two things can
    contradict: an explicit giltig_tom reaching into the next row's validity (two nämnder for one
    ansvar on the same days), and a giltig_tom before its own giltig_from. Both rows are named;
    the problem goes to each inbox file that delivers one of them (the published rows were
    consistent when they were loaded).
    """
    frames = [
        loaded.select("ansvar", "namnd", "giltig_from", "giltig_tom").with_columns(
            pl.lit(None, pl.String).alias("fil"), pl.lit(None, pl.Int64).alias("rad")
        )
    ]
    for file_name, frame in deliveries:
        frames.append(
            frame.select(
                "ansvar",
                "namnd",
                "giltig_from",
                pl.col("giltig_tom")
                if "giltig_tom" in frame.columns
                else pl.lit(None, pl.Date).alias("giltig_tom"),
            ).with_columns(
                pl.lit(file_name).alias("fil"), frame["source_row"].cast(pl.Int64).alias("rad")
            )
        )
    rows = (
        pl.concat(frames, how="vertical_relaxed")
        .drop_nulls(["ansvar", "giltig_from"])
        # The inbox replaces a published row of the same (ansvar, giltig_from); a repeat within
        # the inbox is an ambiguity of its own (see ambiguities).
        .unique(subset=["ansvar", "giltig_from"], keep="last", maintain_order=True)
        .sort("ansvar", "giltig_from")
    )
    problems: dict[str, list[Problem]] = {}

    def report(file_name: str | None, row: int | None, reason: str) -> None:
        if file_name is not None:
            problems.setdefault(file_name, []).append(
                Problem(file=file_name, row=row, column="giltig_tom", reason=reason)
            )

    def where(file_name: str | None, row: int | None) -> str:
        return f"rad {row} i {file_name}" if file_name else "den publicerade organisationen"

    previous = None
    for current in rows.iter_rows(named=True):
        tom, frm = current["giltig_tom"], current["giltig_from"]
        if tom is not None and tom < frm:
            report(
                current["fil"],
                current["rad"],
                f"giltig_tom {tom} ligger före giltig_from {frm} för ansvaret {current['ansvar']}.",
            )
        if (
            previous is not None
            and previous["ansvar"] == current["ansvar"]
            and previous["giltig_tom"] is not None
            and previous["giltig_tom"] >= frm
        ):
            reason = (
                f"Ansvaret {current['ansvar']} har överlappande giltighet: "
                f"{previous['namnd']} från {previous['giltig_from']} till {previous['giltig_tom']} "
                f"({where(previous['fil'], previous['rad'])}) och {current['namnd']} från {frm} "
                f"({where(current['fil'], current['rad'])}). Ett ansvar kan bara höra till en "
                "nämnd varje dag: rätta giltig_tom, eller ta bort den så slutar den tidigare "
                "raden dagen före den senare."
            )
            report(previous["fil"], previous["rad"], reason)
            if current["fil"] != previous["fil"]:
                report(current["fil"], current["rad"], reason)
        previous = current
    return problems


# ---- ambiguous deliveries --------------------------------------------------------------------


@dataclass(frozen=True)
class Ambiguity:
    """Two files of one refresh that deliver the same key: which one should win is unclear."""

    kind: str
    files: tuple[str, str]
    example: dict[str, object]
    count: int

    def message(self) -> str:
        first, second = self.files
        key = ", ".join(f"{column} {value}" for column, value in self.example.items())
        more = f" (och {self.count - 1} till)" if self.count > 1 else ""
        return (
            f"{first} och {second} levererar båda samma {self.kind} ({key}{more}), så det är "
            "oklart vilken som ska gälla. Lägg filerna i inkorgen en i taget och kör "
            "uppdateringen efter varje: den senare ersätter då den tidigare."
        )


def budget_with_namnd(budget: pl.DataFrame, organisation: pl.DataFrame) -> pl.DataFrame:
    """Budget rows with the nämnd whose budget they are: their ansvar's nämnd on 1 January, or
    on the ansvar's first valid day of the year (as the warehouse's int_budget_rader)."""
    if organisation.is_empty():
        return budget.with_columns(pl.lit(None, pl.String).alias("namnd"))
    con = duckdb.connect()
    try:
        con.register("budget_in", budget)
        con.register("org", organisation)
        return con.sql(
            """
            with dated as (
                select *, coalesce(
                    giltig_tom,
                    lead(giltig_from) over (partition by ansvar order by giltig_from) - 1,
                    date '9999-12-31'
                ) as giltig_till
                from org
            )
            select b.*, dated.namnd
            from budget_in as b
            left join dated on b.ansvar = dated.ansvar
                and dated.giltig_from <= make_date(b.ar, 12, 31)
                and dated.giltig_till >= make_date(b.ar, 1, 1)
            qualify row_number() over (partition by b.source_row order by dated.giltig_from) = 1
            """
        ).pl()
    finally:
        con.close()


def delivery_keys(kind: FileKind, tables: dict[str, pl.DataFrame], organisation: pl.DataFrame):
    """The distinct keys (kind.replaces) a delivery replaces, or None for a kind without keys."""
    if not kind.replaces:
        return None
    frame = tables.get(kind.tables[0])
    if frame is None:
        return None
    if kind.name == "budget":
        frame = budget_with_namnd(frame, organisation).with_columns(
            pl.col("version").fill_null(BUDGET_VERSIONS[0]),
            # Without beslutsdatum a version is in force from 1 January.
            pl.coalesce("beslutsdatum", pl.date(pl.col("ar"), 1, 1)).alias("beslutsdatum"),
        )
    if not set(kind.replaces) <= set(frame.columns):
        return None
    return frame.select(kind.replaces).unique()


def ambiguities(
    deliveries: list[tuple[str, FileKind, dict[str, pl.DataFrame]]], organisation: pl.DataFrame
) -> list[Ambiguity]:
    """Every pair of files of the same kind in one refresh whose keys overlap."""
    keyed: dict[str, list[tuple[str, pl.DataFrame]]] = {}
    for file_name, kind, tables in deliveries:
        keys = delivery_keys(kind, tables, organisation)
        if keys is not None and not keys.is_empty():
            keyed.setdefault(kind.name, []).append((file_name, keys))
    found = []
    for kind_name, files in keyed.items():
        kind = KINDS_BY_NAME[kind_name]
        for i, (first, first_keys) in enumerate(files):
            for second, second_keys in files[i + 1 :]:
                shared = first_keys.join(second_keys, on=list(kind.replaces), nulls_equal=True)
                if not shared.is_empty():
                    example = shared.sort(list(kind.replaces)).row(0, named=True)
                    found.append(
                        Ambiguity(
                            kind.description,
                            (first, second),
                            {k: v for k, v in example.items() if v is not None},
                            shared.height,
                        )
                    )
    return found


# ---- months missing from the ledger ----------------------------------------------------------


def missing_months(periods: set[str], report_period: str) -> list[str]:
    """The months from January of the report year up to the report period that no utfall
    delivery covers: without them the year-to-date figures would silently count zero."""
    year, month = int(report_period[:4]), int(report_period[5:7])
    return [f"{year}-{m:02d}" for m in range(1, month + 1) if f"{year}-{m:02d}" not in periods]


def history_gaps(periods: set[str]) -> list[str]:
    """Months missing between the first and the last delivered utfall period (shown by status
    and the report; a gap in the report year itself stops the refresh)."""
    if not periods:
        return []
    first, last = min(periods), max(periods)
    year, month = int(first[:4]), int(first[5:7])
    gaps = []
    while f"{year}-{month:02d}" < last:
        if f"{year}-{month:02d}" not in periods:
            gaps.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return gaps
