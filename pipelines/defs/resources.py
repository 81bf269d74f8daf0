"""The run's resources: the workspace it works on, and the refresh lock it holds.

Both resolve the workspace when a run (or a sensor tick) starts, never at import: `--home`,
else STYRHJUL_HOME, else ./data (the CLI and `styrhjul ui` set STYRHJUL_HOME).
"""

from __future__ import annotations

from contextlib import contextmanager

import dagster as dg

from pipelines.lib import settings
from pipelines.lib.warehouse import build_db
from pipelines.lib.workspace import Workspace


class WorkspaceResource(dg.ConfigurableResource):
    """The workspace's folders and files (inbox, build copy, published warehouse, reports)."""

    home: str = ""

    @property
    def workspace(self) -> Workspace:
        return Workspace.resolve(self.home or None).ensure()


class RefreshLock(dg.ConfigurableResource):
    """One writer per workspace: every asset that writes the build copy requires this lock, and
    with the in-process executor Dagster sets it up once per run, so it is held from the intake
    to the last step and released when the run ends, however it ends. Setting up also points
    dbt's subprocesses at the workspace's build copy."""

    home: str = ""

    @contextmanager
    def yield_for_execution(self, context):
        ws = Workspace.resolve(self.home or None).activate()
        with build_db.refresh_lock(ws, timeout=lock_timeout(ws)):
            yield self


def lock_timeout(ws: Workspace) -> float:
    """How long a run waits for another to finish (automatik.vanta_pa_uppdatering_sekunder).
    A settings file that cannot be read waits the default: the intake then rejects it with its
    own message."""
    try:
        conf = settings.load_settings(ws.config_file)
    except settings.SettingsError:
        conf = settings.DEFAULTS
    return float(conf["automatik"]["vanta_pa_uppdatering_sekunder"])


defs = dg.Definitions(resources={"workspace": WorkspaceResource(), "refresh_lock": RefreshLock()})
