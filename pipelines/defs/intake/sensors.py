"""In the UI: a refresh starts by itself when files wait in the inbox (the sensor is off until a
controller turns it on; the CLI's `styrhjul refresh` does the same on demand).

It waits until the inbox has been unchanged for `automatik.inkorg_stilla_sekunder`, so a file
still being copied never starts a run, and it does not start while the quarantine holds a file
rejected after the last publication: the remaining good files alone would publish a partial
month."""

from __future__ import annotations

import json
import time

import dagster as dg

from pipelines.defs.resources import WorkspaceResource
from pipelines.lib import settings, stages
from pipelines.lib.intake import sha256_file
from pipelines.lib.intake.quarantine import fel_path
from pipelines.lib.workspace import Workspace


def _inbox_state(files) -> str:
    """Changes whenever a file is added, removed, grows or is rewritten."""
    return "|".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files)


def rejected_since_publication(ws: Workspace) -> list[str]:
    """Quarantined files whose rejection (the time of their .fel.txt) is newer than the last
    publication (the published file is replaced by each successful refresh)."""
    published = ws.published_db.stat().st_mtime if ws.published_db.exists() else 0.0
    return [
        p.name
        for p in ws.quarantined_files()
        if fel_path(p).exists() and fel_path(p).stat().st_mtime > published
    ]


@dg.sensor(
    job_name=stages.JOB,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Startar månadsuppföljningen när nya filer har legat orörda i inkorgen en stund "
    "(inställningen automatik.inkorg_stilla_sekunder), men inte medan karantänen har filer som "
    "avvisats efter senaste publiceringen.",
)
def inkorg_sensor(context: dg.SensorEvaluationContext, workspace: WorkspaceResource):
    ws = workspace.workspace
    files = ws.inbox_files()
    if not files:
        return dg.SkipReason("Inkorgen är tom.")
    try:
        quiet_for = settings.load_settings(ws.config_file)["automatik"]["inkorg_stilla_sekunder"]
    except settings.SettingsError as exc:
        return dg.SkipReason(str(exc))
    state, now = _inbox_state(files), time.time()
    seen = json.loads(context.cursor) if context.cursor else {}
    if seen.get("state") != state:
        context.update_cursor(json.dumps({"state": state, "since": now}))
        seen = {"state": state, "since": now}
    waited = now - seen["since"]
    if waited < quiet_for:
        return dg.SkipReason(
            f"Inkorgen ändrades för {waited:.0f} s sedan; körningen startar när den varit "
            f"oförändrad i {quiet_for} s (automatik.inkorg_stilla_sekunder)."
        )
    rejected = rejected_since_publication(ws)
    if rejected:
        return dg.SkipReason(
            "Karantänen har filer som avvisats efter senaste publiceringen ("
            + ", ".join(rejected)
            + "). Rätta och lägg dem i inkorgen igen, eller flytta bort dem ur karantänen, "
            "så startar nästa körning; utan dem skulle en ofullständig månad publiceras."
        )
    # The same files (by content) start one run, not one a minute.
    key = "-".join(sorted(sha256_file(p)[:12] for p in files))
    return dg.RunRequest(run_key=key, tags={stages.TRIGGER_TAG: "sensor"})
