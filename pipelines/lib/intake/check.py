"""`styrhjul check`: the refresh's intake checks on files before they are delivered.

The same examination the intake step runs (`inbox.examine`), against the published warehouse
opened read-only (or an empty one before the first refresh), so a controller can test a file
without a refresh: nothing is moved, loaded or published, and a refresh running meanwhile is
neither blocked nor affected.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.lib import settings
from pipelines.lib.intake import inbox
from pipelines.lib.intake.problems import display_name
from pipelines.lib.intake.raw_tables import create_statements
from pipelines.lib.workspace import Workspace


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    message: str


@contextmanager
def _warehouse_state(ws: Workspace):
    """What the files are checked against: the published warehouse, read-only, or empty."""
    if ws.published_db.exists():
        con = duckdb.connect(str(ws.published_db), read_only=True)
    else:
        con = duckdb.connect()
        for statement in create_statements():
            con.execute(statement)
    try:
        yield con
    finally:
        con.close()


def check_files(
    ws: Workspace, files: list[Path], period: str = "", today: dt.date | None = None
) -> CheckResult:
    """Examine ``files`` (the inbox's by default) as the next refresh would."""
    try:
        conf = settings.load_settings(ws.config_file)
    except settings.SettingsError as exc:
        return CheckResult(False, str(exc))
    with _warehouse_state(ws) as con:
        outcome = inbox.examine(
            con,
            files,
            today or dt.date.today(),
            limits=settings.Inlasning(**conf["inlasning"]),
            report_period=period,
        )
    against = (
        f"det publicerade lagret ({ws.published_db})"
        if ws.published_db.exists()
        else "ett tomt lager (inget är publicerat än)"
    )
    lines = [f"Kontrollerade {len(files)} fil(er) mot {against}:"]
    accepted = {delivery.path: delivery for delivery in outcome.accepted}
    for path in files:
        name = display_name(path.name)
        if path in outcome.rejected:
            problems = outcome.rejected[path]
            lines.append(f"  {name}: {len(problems)} fel")
            lines += inbox.problem_lines(problems)
        elif path in accepted:
            delivery = accepted[path]
            lines.append(f"  {name}: godkänd ({delivery.kind}, {delivery.rows} rader)")
        elif path in outcome.already_loaded:
            lines.append(f"  {name}: redan inläst (samma innehåll som en tidigare leverans)")
    lines += inbox.held_lines(outcome.held)
    lines += [f"  {ambiguity.message()}" for ambiguity in outcome.ambiguous]
    if outcome.missing_months:
        lines.append(
            f"  Utfall saknas för {', '.join(outcome.missing_months)} inför rapportperioden "
            f"{outcome.report_period}: lägg huvudbokens utfall_-fil för varje sådan månad "
            "i inkorgen."
        )
    if outcome.ok:
        lines.append("Allt är godkänt; 'styrhjul refresh' läser in filerna.")
    else:
        lines.append(
            "Inga filer flyttades och inget lästes in. Rätta filerna och kör 'styrhjul check' "
            "igen; när allt är godkänt läser 'styrhjul refresh' in dem."
        )
    return CheckResult(outcome.ok, "\n".join(lines))
