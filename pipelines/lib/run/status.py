"""What `styrhjul status` and the end of a refresh tell the controller, read from the published
warehouse (read-only, so it never blocks or is blocked by a refresh)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.lib.intake.crosscheck import history_gaps
from pipelines.lib.labels import label
from pipelines.lib.report.format import format_mnkr
from pipelines.lib.run import demo_files
from pipelines.lib.run.undo import Version, read_version
from pipelines.lib.warehouse.build_db import open_published, previous_db
from pipelines.lib.workspace import Workspace


@dataclass
class Status:
    published: Path | None
    published_at: dt.datetime | None = None
    period: str | None = None
    inbox: list[str] = field(default_factory=list)
    quarantined: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    reports: list[Path] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    # Months between the first and the last delivered utfall period that no delivery covers.
    gaps: list[str] = field(default_factory=list)
    # The version the last publication replaced, which `styrhjul undo` publishes again.
    previous: Version | None = None
    # Real files published under the demo municipality's settings (demo_files.warning).
    demo_warning: str | None = None


def read_status(ws: Workspace) -> Status:
    status = Status(
        published=ws.published_db if ws.published_db.exists() else None,
        inbox=[p.name for p in ws.inbox_files()],
        quarantined=[p.name for p in ws.quarantined_files()],
    )
    if status.published is None:
        return status
    status.previous = read_version(previous_db(ws))
    status.published_at = dt.datetime.fromtimestamp(ws.published_db.stat().st_mtime)
    con = open_published(ws)
    try:
        status.period = con.execute("select rapportperiod from marts.rapportperiod").fetchall()[0][
            0
        ]
        rows = con.execute(
            """
            select namnd, namnd_namn, status, helarsavvikelse, forsta_flaggade_period
            from marts.atgardsplan
            where period = ? and flagga
            order by helarsavvikelse
            """,
            [status.period],
        ).fetchall()
        status.flags = [
            f"{namn} ({kod}): {label('atgardsplan_status', state)}, "
            f"helårsavvikelse {format_mnkr(avv, signed=True)} mnkr, flaggad sedan {sedan}"
            for kod, namn, state, avv, sedan in rows
        ]
        status.gaps = history_gaps(
            {r[0] for r in con.execute("select distinct period from raw.utfall").fetchall()}
        )
        status.demo_warning = demo_files.warning(con, ws.demo_register)
        status.closed = [
            r[0]
            for r in con.execute(
                "select period from raw.periodstangningar order by period"
            ).fetchall()
        ]
    finally:
        con.close()
    folder = ws.reports / (status.period or "")
    status.reports = sorted(folder.glob("manadsrapport.*")) if status.period else []
    return status


def published_periods(ws: Workspace) -> set[str]:
    con = open_published(ws)
    try:
        return {
            r[0]
            for r in con.execute("select distinct period from marts.budgetavvikelse").fetchall()
        }
    finally:
        con.close()


def format_status(status: Status) -> str:
    lines = []
    if status.published is None:
        lines.append("Inget publicerat lager ännu; kör 'styrhjul demo' eller 'styrhjul refresh'.")
    else:
        lines.append(f"Publicerat lager: {status.published}")
        lines.append(f"Publicerat:       {status.published_at:%Y-%m-%d %H:%M}")
        lines.append(f"Senaste period:   {status.period}")
        if status.previous is not None:
            lines.append(
                f"Föregående:       period {status.previous.period}, publicerad "
                f"{status.previous.published_at:%Y-%m-%d %H:%M} ('styrhjul undo' publicerar den "
                "igen)"
            )
        else:
            lines.append("Föregående:       ingen (inget att ångra)")
        if status.closed:
            lines.append(f"Stängda perioder: {', '.join(status.closed)}")
        if status.gaps:
            lines.append(
                f"Utfall saknas:    {', '.join(status.gaps)} (räknas som 0 i historiken; "
                "leverera månaden som utfall_-fil)"
            )
        if status.demo_warning:
            lines.append(f"VARNING: {status.demo_warning}")
    lines.append(f"Inkorgen:         {len(status.inbox)} fil(er) väntar")
    lines += [f"  {name}" for name in status.inbox]
    lines.append(f"Karantän:         {len(status.quarantined)} fil(er)")
    lines += [f"  {name} (se {name}.fel.txt)" for name in status.quarantined]
    if status.published is not None:
        if status.flags:
            lines.append("Öppna åtgärdsplansflaggor:")
            lines += [f"  {flag}" for flag in status.flags]
        else:
            lines.append("Öppna åtgärdsplansflaggor: inga")
    return "\n".join(lines)
