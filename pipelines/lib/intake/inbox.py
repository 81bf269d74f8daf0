"""The intake of one refresh: examine every inbox file, reject the bad ones, load the good ones.

Every file is read and checked before anything is loaded, and every problem of every file is
collected, so one run tells the controller everything to fix. A single rejected file stops the
whole refresh (nothing is published); the good files stay in the inbox for the rerun.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import polars as pl

from pipelines.lib.intake import Problem, crosscheck, parse_file, sha256_file, uppfoljning
from pipelines.lib.intake.bokslut import manadsperiod
from pipelines.lib.intake.expectations import validate_frame
from pipelines.lib.intake.kinds import KINDS_BY_NAME, kind_for
from pipelines.lib.intake.problems import display_name
from pipelines.lib.intake.raw_tables import AUDIT_COLUMNS, RAW_TABLES
from pipelines.lib.intake.screening import screen_file
from pipelines.lib.intake.sources.malregister import validate_malregister

if TYPE_CHECKING:
    from pipelines.lib.settings import Inlasning

# Reader columns whose raw name differs (the SCB reader's age band is raw.befolkning.aldersband).
_RENAMES = {"befolkning": {"aldersgrupp": "aldersband"}}


# Marks the Dagster failure of a rejected inbox; the CLI maps it to exit code 2.
REJECTED_TAG = "styrhjul/avvisad"


@dataclass
class Delivery:
    path: Path
    kind: str
    tables: dict[str, pl.DataFrame]
    sha256: str
    encoding: str | None = None

    @property
    def rows(self) -> int:
        return sum(frame.height for frame in self.tables.values())


@dataclass
class IntakeOutcome:
    accepted: list[Delivery] = field(default_factory=list)
    already_loaded: list[Path] = field(default_factory=list)
    rejected: dict[Path, list[Problem]] = field(default_factory=dict)
    # Good files that deliver the same key as another good file of this refresh: neither is
    # wrong, so neither is quarantined, but the refresh cannot tell which should win.
    ambiguous: list[crosscheck.Ambiguity] = field(default_factory=list)
    # Files that cannot be checked because a file they depend on was rejected (a ledger when the
    # organisation file is bad): they stay in the inbox, with the rejected files they wait for.
    held: dict[Path, list[str]] = field(default_factory=dict)
    # Set by `examine`: the report period and the months of its year no utfall delivery covers.
    report_period: str = ""
    missing_months: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected and not self.ambiguous and not self.missing_months


# What a kind's checks read from other kinds: when a file of one of these is rejected, a file of
# the dependent kind whose only problems come from those checks waits in the inbox instead of
# being quarantined for the other file's fault.
DEPENDS_ON: dict[str, tuple[str, ...]] = {
    **{kind: ("organisation",) for kind in crosscheck.ORG_CHECKED_KINDS},
    "budget": ("organisation", "periodisering"),
    **uppfoljning.DEPENDS_ON,
}


def inbox_entries(inbox_dir: Path) -> list[Path]:
    """Everything waiting in the inbox, in name order: regular files and also symbolic links
    and other non-regular entries (which the screening refuses, rather than skipping them
    silently). Folders and hidden names (a file being copied, `.~lock`) are left alone."""
    if not inbox_dir.exists():
        return []
    return sorted(
        (
            p
            for p in inbox_dir.iterdir()
            if not p.name.startswith(".") and (p.is_symlink() or not p.is_dir())
        ),
        key=lambda p: p.name,
    )


def loaded_organisation(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The organisation as the warehouse sees it: the latest delivery of each (ansvar,
    giltig_from) row wins, as in stg_inkorg__organisation."""
    return con.sql(
        "select ansvar, forvaltning, namnd, verksamhetsomrade, giltig_from, giltig_tom "
        "from raw.organisation "
        "qualify row_number() over ("
        "partition by ansvar, giltig_from order by load_id desc, source_row desc) = 1"
    ).pl()


def loaded_keys(con: duckdb.DuckDBPyConnection) -> dict[int, set[str]]:
    """The periodisation keys already delivered, per year."""
    keys: dict[int, set[str]] = {}
    for ar, nyckel in con.execute("select distinct ar, nyckel from raw.periodisering").fetchall():
        keys.setdefault(ar, set()).add(nyckel)
    return keys


def loaded_periods(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The utfall periods the warehouse already holds."""
    return {row[0] for row in con.execute("select distinct period from raw.utfall").fetchall()}


def loaded_checksums(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {row[0] for row in con.execute("select file_sha256 from raw.leveranser").fetchall()}


def examine_inbox(
    files: list[Path],
    today: dt.date,
    organisation: pl.DataFrame,
    loaded: set[str],
    known_keys: dict[int, set[str]] | None = None,
    limits: Inlasning | None = None,
    known_uppdrag: set[str] | None = None,
) -> IntakeOutcome:
    """Parse and check every file; nothing is written."""
    from pipelines.lib.settings import Inlasning

    limits = limits or Inlasning()
    outcome = IntakeOutcome()
    parsed = []
    for path in files:
        # Before anything opens the file: a named pipe would block the checksum for ever.
        screened = screen_file(path, limits)
        if screened:
            outcome.rejected[path] = screened
            continue
        sha = sha256_file(path)
        if sha in loaded:
            outcome.already_loaded.append(path)
            continue
        result = parse_file(path, today, limits, screened=True)
        if result.problems:
            outcome.rejected[path] = list(result.problems)
        parsed.append((path, sha, result))

    # The organisation in force for the checks: what is loaded plus what this inbox delivers.
    new_org = [
        r.tables["organisation"].select(organisation.columns)
        for _, _, r in parsed
        if r.kind is not None and r.kind.name == "organisation" and not r.problems
    ]
    # An inbox row replaces the loaded row of the same (ansvar, giltig_from), the later file and
    # row winning, as the warehouse's staging does; so a correction that closes an ansvar counts.
    org = (
        pl.concat([organisation, *new_org], how="vertical_relaxed").unique(
            subset=["ansvar", "giltig_from"], keep="last", maintain_order=True
        )
        if new_org
        else organisation
    )

    # Periodisation keys per year: loaded ones plus those this inbox delivers.
    keys_by_year: dict[int, set[str]] = {ar: set(k) for ar, k in (known_keys or {}).items()}
    for _, _, r in parsed:
        if r.kind is not None and r.kind.name == "periodisering" and not r.problems:
            for ar, nyckel in r.tables["periodisering"].select("ar", "nyckel").unique().iter_rows():
                keys_by_year.setdefault(ar, set()).add(nyckel)

    # An uppdrag's status may name an uppdrag published or delivered by a readable file of
    # this inbox.
    uppdrag_ids = (known_uppdrag or set()) | uppfoljning.inbox_uppdrag(
        [
            r.tables
            for _, _, r in parsed
            if r.kind is not None and r.kind.name == "uppdrag" and not r.problems
        ]
    )

    # Organisation rows that contradict each other (or the published ones).
    conflicts = crosscheck.org_conflicts(
        [
            (path.name, r.tables["organisation"])
            for path, _, r in parsed
            if r.kind is not None and r.kind.name == "organisation" and not r.problems
        ],
        organisation,
    )

    derived: dict[Path, list[Problem]] = {}  # problems found with another kind's files
    for path, sha, result in parsed:
        if result.kind is None or not result.tables:
            continue  # unreadable: its problems are already listed
        kind = result.kind.name
        # The organisation check runs on a file with parse problems too (on its readable rows),
        # so one run lists everything to fix.
        borrowed = crosscheck.org_problems(kind, result.tables, org, path.name)
        borrowed += crosscheck.key_problems(result.tables, keys_by_year, path.name)
        own, followup_borrowed = uppfoljning.followup_problems(
            kind, result.tables, org, uppdrag_ids, path.name
        )
        borrowed += followup_borrowed
        derived[path] = borrowed
        problems = borrowed + own + conflicts.get(path.name, [])
        if result.problems:
            outcome.rejected[path] = sorted(
                [*outcome.rejected[path], *problems],
                key=lambda p: (p.row is None, p.row or 0, p.column or ""),
            )
            continue
        # The great-expectations suites of the ekonomi kinds (other kinds pass through).
        for frame in result.tables.values():
            problems += validate_frame(kind, frame, path.name)
        if kind == "mal":
            problems += validate_malregister(
                result.tables["mal"],
                result.tables["malindikator"],
                crosscheck.known_orgs(org),
                file_name=path.name,
            )
        if problems:
            outcome.rejected[path] = problems
        else:
            outcome.accepted.append(
                Delivery(path, kind, result.tables, sha, getattr(result, "encoding", None))
            )
    _hold_dependents(outcome, derived)
    outcome.ambiguous = crosscheck.ambiguities(
        [(d.path.name, KINDS_BY_NAME[d.kind], d.tables) for d in outcome.accepted], org
    )
    return outcome


def examine(
    con: duckdb.DuckDBPyConnection,
    files: list[Path],
    today: dt.date,
    limits: Inlasning | None = None,
    report_period: str = "",
) -> IntakeOutcome:
    """Everything a refresh checks before it loads anything, against the warehouse in ``con``
    (the run's build copy, or the published warehouse read-only for `styrhjul check`): each
    file, the files together, and that every month of the report year up to the report period
    (the latest delivered one unless given) has its utfall. Nothing is written."""
    outcome = examine_inbox(
        files,
        today,
        loaded_organisation(con),
        loaded_checksums(con),
        loaded_keys(con),
        limits=limits,
        known_uppdrag=uppfoljning.loaded_uppdrag(con),
    )
    periods = loaded_periods(con) | {
        period
        for delivery in outcome.accepted
        if delivery.kind == "utfall"
        for period in delivery.tables["utfall"]["period"].unique().to_list()
    }
    # Closing entries (period 13) count in December: never a report period of their own.
    outcome.report_period = report_period or max(map(manadsperiod, periods), default="")
    if outcome.report_period in periods:
        outcome.missing_months = crosscheck.missing_months(periods, outcome.report_period)
    return outcome


def _hold_dependents(outcome: IntakeOutcome, derived: dict[Path, list[Problem]]) -> None:
    """A rejected file whose every problem was found with the help of a rejected file of a kind
    it depends on is not wrong itself (as far as anyone can tell): it stays in the inbox. With
    problems of its own it is rejected for those only."""
    rejected_kinds: dict[str, list[str]] = {}
    for path in outcome.rejected:
        kind = kind_for(path.name)
        if kind is not None:
            rejected_kinds.setdefault(kind.name, []).append(path.name)
    for path, problems in list(outcome.rejected.items()):
        kind = kind_for(path.name)
        waits_for = [
            name
            for dependency in DEPENDS_ON.get(kind.name if kind else "", ())
            for name in rejected_kinds.get(dependency, [])
        ]
        if not waits_for or not derived.get(path):
            continue
        own = [p for p in problems if p not in derived[path]]
        if own:
            outcome.rejected[path] = own
        else:
            del outcome.rejected[path]
            outcome.held[path] = waits_for


def ambiguity_summary(ambiguous: list[crosscheck.Ambiguity]) -> str:
    """The controller's message when good files of one refresh deliver the same thing."""
    lines = [f"{len(ambiguous)} leveranskonflikt(er) i inkorgen; inga filer flyttades:"]
    lines += [f"  - {ambiguity.message()}" for ambiguity in ambiguous]
    lines.append("Inget publicerades; det publicerade lagret är oförändrat.")
    return "\n".join(lines)


def missing_months_summary(missing: list[str], report_period: str) -> str:
    months = ", ".join(missing)
    return (
        f"Utfall saknas för {months} inför rapportperioden {report_period}: utan dem blir "
        "årets ackumulerade siffror fel. Lägg huvudbokens utfall_-fil för "
        f"{'månaden' if len(missing) == 1 else 'månaderna'} i inkorgen och kör igen; filerna "
        "i inkorgen ligger kvar. Inget publicerades."
    )


def load_deliveries(
    con: duckdb.DuckDBPyConnection, deliveries: list[Delivery], run_id: str
) -> dict[str, int]:
    """Append each delivery's rows to its raw table with audit columns; record the delivery.

    Deliveries get increasing load_ids in inbox name order: the later delivery of a period wins.
    """
    next_id = con.execute("select coalesce(max(load_id), 0) + 1 from raw.leveranser").fetchall()[0][
        0
    ]
    loaded: dict[str, int] = {}
    now = dt.datetime.now().replace(microsecond=0)
    for delivery in deliveries:
        load_id = next_id
        next_id += 1
        for table, frame in delivery.tables.items():
            columns = list(RAW_TABLES[table])
            frame = frame.rename(_RENAMES.get(table, {}), strict=False)
            typed = frame.with_columns(
                [pl.lit(None).alias(c) for c in columns if c not in frame.columns]
            ).select(
                *columns,
                pl.lit(delivery.path.name).alias("source_file"),
                pl.lit(delivery.sha256).alias("file_sha256"),
                pl.col("source_row").cast(pl.Int64),
                pl.lit(load_id, dtype=pl.Int64).alias("load_id"),
            )
            con.register("delivery_rows", typed)
            target = ", ".join([*columns, *AUDIT_COLUMNS])
            casts = ", ".join(f"cast({c} as {t})" for c, t in RAW_TABLES[table].items())
            con.execute(
                f"insert into raw.{table} ({target}) "
                f"select {casts}, source_file, file_sha256, source_row, load_id from delivery_rows"
            )
            con.unregister("delivery_rows")
            loaded[table] = loaded.get(table, 0) + typed.height
        con.execute(
            "insert into raw.leveranser values (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                load_id,
                run_id,
                delivery.path.name,
                delivery.sha256,
                delivery.kind,
                delivery.rows,
                delivery.encoding,
                now,
            ],
        )
    return loaded


def held_lines(held: dict[Path, list[str]]) -> list[str]:
    """The files left in the inbox because a file they depend on was rejected."""
    lines = []
    for path, waits_for in held.items():
        names = " och ".join(display_name(name) for name in waits_for)
        lines.append(
            f"  {display_name(path.name)} ligger kvar i inkorgen: den kan inte kontrolleras "
            f"förrän {names} är rättad, eftersom den bygger på den filen."
        )
    return lines


def problem_lines(problems: list[Problem], shown: int = 5) -> list[str]:
    """One file's first problems, each with its row and column."""
    lines = []
    for problem in problems[:shown]:
        where = ", ".join(
            part
            for part in (
                f"rad {problem.row}" if problem.row is not None else "",
                f"kolumn {problem.column}" if problem.column else "",
            )
            if part
        )
        lines.append(f"    - {where + ': ' if where else ''}{problem.reason}")
    if len(problems) > shown:
        lines.append(f"    - ... och {len(problems) - shown} till")
    return lines


def rejection_summary(
    rejected: dict[Path, list[Problem]],
    quarantine_dir: Path,
    held: dict[Path, list[str]] | None = None,
    quarantined: dict[Path, Path] | None = None,
) -> str:
    """The controller's message: which files were rejected, why, and what to do."""
    lines = [f"{len(rejected)} fil(er) avvisades och flyttades till {quarantine_dir}:"]
    for path, problems in rejected.items():
        stored = (quarantined or {}).get(path, path).name
        lines.append(
            f"  {display_name(path.name)}: {len(problems)} fel, se {display_name(stored)}.fel.txt"
        )
        lines += problem_lines(problems)
    lines += held_lines(held or {})
    lines.append(
        "Inget publicerades. Rätta filerna och lägg dem i inkorgen igen, och kör sedan "
        "'styrhjul refresh'."
    )
    return "\n".join(lines)
