"""Whether the published warehouse is already what a refresh would build.

A refresh with an empty inbox would rebuild the same warehouse from the same raw tables, so
`styrhjul refresh` skips it (in seconds instead of a full Dagster run) when all of these hold:
the inbox is empty; the published file is the one the last CLI refresh published (its size and
modification time, so a run from the UI in between does not count); that refresh asked for the
same period, with the same settings, by the same version of the code (code_version.py); and the
period's reports exist. Anything else runs the refresh as usual, so the shortcut can only ever
skip work whose result is already published. Kolada fetched online is new input at every run,
so a workspace with `kolada.online` never takes the shortcut.
"""

from __future__ import annotations

import hashlib
import json

from pipelines.lib import settings
from pipelines.lib.warehouse.code_version import code_version
from pipelines.lib.workspace import Workspace

MARKER = ".senaste_bygge.json"


def build_key(ws: Workspace, period: str | None) -> str | None:
    """What the warehouse was built from (code, settings, requested period); None when the
    settings cannot be read (the refresh then runs and says why)."""
    try:
        conf = settings.load_settings(ws.config_file)
    except settings.SettingsError:
        return None
    if conf.get("kolada", {}).get("online"):
        return None
    text = json.dumps([code_version(), settings.flatten(conf), period or ""])
    return hashlib.sha256(text.encode()).hexdigest()


def _published_stat(ws: Workspace) -> list[int] | None:
    if not ws.published_db.exists():
        return None
    stat = ws.published_db.stat()
    return [stat.st_mtime_ns, stat.st_size]


def record(ws: Workspace, period: str | None, report_period: str | None) -> None:
    """After a successful refresh from the CLI: what the published warehouse was built from."""
    key = build_key(ws, period)
    marker = ws.warehouse_dir / MARKER
    if key is None or report_period is None:
        marker.unlink(missing_ok=True)
        return
    marker.write_text(
        json.dumps({"nyckel": key, "lager": _published_stat(ws), "period": report_period}),
        encoding="utf-8",
    )


def is_current(ws: Workspace, period: str | None) -> str | None:
    """The published report period when a refresh with an empty inbox would change nothing."""
    marker = ws.warehouse_dir / MARKER
    if ws.inbox_files() or not marker.exists():
        return None
    try:
        recorded = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if recorded.get("lager") != _published_stat(ws) or recorded.get("nyckel") != build_key(
        ws, period
    ):
        return None
    report_period = recorded.get("period")
    if not report_period or not list((ws.reports / report_period).glob("manadsrapport.*")):
        return None
    return report_period
