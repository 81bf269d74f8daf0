"""`styrhjul undo`: the publication before the last one becomes the published warehouse again.

For a controller who published a wrong month. Everything comes back with it: the raw tables and
the register of loaded files (raw.leveranser), so the undone run's files (kept in archive/) can be
delivered again. Only one step back, never past a `close` (a closed period has been reported and
its versions are append-only), and never while another writer holds the workspace's lock.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.lib.warehouse import build_db
from pipelines.lib.workspace import Workspace

UNDO_TYPE = "angring"  # raw.korningar.typ of an undo


class UndoRefused(ValueError):
    """Why undo did nothing (one Swedish sentence)."""


@dataclass(frozen=True)
class Version:
    path: Path
    period: str | None
    published_at: dt.datetime
    closed: tuple[str, ...]


@dataclass(frozen=True)
class UndoOutcome:
    run_id: str
    undone: Version
    restored: Version


def read_version(path: Path) -> Version | None:
    """The report period and closed periods of a warehouse file (None when there is none)."""
    if not path.exists():
        return None
    con = duckdb.connect(str(path), read_only=True)
    try:
        # The last run's period: the same rule as marts.rapportperiod, read from raw so that it
        # also works on the previous version, whose views name the published file's catalog.
        period = con.execute(
            "select period from raw.korningar order by startad desc, run_id desc limit 1"
        ).fetchall()
        closed = con.execute("select period from raw.periodstangningar order by period").fetchall()
    finally:
        con.close()
    return Version(
        path=path,
        period=period[0][0] if period else None,
        published_at=dt.datetime.fromtimestamp(path.stat().st_mtime),
        closed=tuple(r[0] for r in closed),
    )


def undo(ws: Workspace) -> UndoOutcome:
    try:
        with build_db.refresh_lock(ws, timeout=0):
            return _undo(ws)
    except build_db.RefreshLockedError:
        raise UndoRefused(
            "En uppdatering av arbetsytan pågår; ångra kan inte köras samtidigt. Vänta tills "
            "den är klar och försök igen."
        ) from None


def record_in_instance(ws: Workspace, outcome: UndoOutcome) -> None:
    """The undo on the published warehouse's asset in Dagster, beside the refreshes that
    published it (the UI's asset page lists every publication)."""
    ws.activate()
    import dagster as dg

    from pipelines.lib import stages

    with dg.DagsterInstance.get() as instance:
        instance.report_runless_asset_event(
            dg.AssetMaterialization(
                asset_key=[stages.PUBLISH_STEP],
                description="Ångrad publicering (styrhjul undo): den tidigare versionen är "
                "publicerad igen.",
                metadata={
                    "angring": outcome.run_id,
                    "period": outcome.restored.period or "",
                    "angrad_period": outcome.undone.period or "",
                    "lager": dg.MetadataValue.path(outcome.restored.path),
                },
            )
        )


def _undo(ws: Workspace) -> UndoOutcome:
    current = read_version(ws.published_db)
    previous = read_version(build_db.previous_db(ws))
    if current is None or previous is None:
        raise UndoRefused(
            "Det finns ingen tidigare publicerad version att gå tillbaka till (ångra går bara "
            "ett steg tillbaka, till versionen före den senaste publiceringen)."
        )
    closed_since = sorted(set(current.closed) - set(previous.closed))
    if closed_since:
        raise UndoRefused(
            f"Den senaste publiceringen stängde perioden {', '.join(closed_since)}. En stängd "
            "period är rapporterad och kan inte ångras; leverera i stället en rättelse, som "
            "visas som en ny version av perioden."
        )
    run_id = str(uuid.uuid4())

    def record(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(
            "insert into raw.korningar values (?, ?, ?, ?)",
            [run_id, previous.period, dt.datetime.now().replace(microsecond=0), UNDO_TYPE],
        )

    build_db.republish_previous(ws, record)
    return UndoOutcome(run_id=run_id, undone=current, restored=previous)
