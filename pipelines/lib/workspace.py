"""The workspace: one folder that holds everything a municipality's installation owns.

Layout (docs/contract.md): inbox/, archive/, quarantine/, warehouse/, reports/, config/, plus the
Dagster instance (dagster/) so runs started from the CLI show in the UI.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

HOME_ENV = "STYRHJUL_HOME"
DEFAULT_HOME = Path("data")

# The code location's name (pyproject.toml, [tool.dagster]) and the folder it loads from.
CODE_LOCATION = "styrhjul"
REPOSITORY = Path(__file__).resolve().parents[2]

DAGSTER_YAML_MARKER = "# Written by Styrhjul"


def dagster_yaml_text(dagster_home: Path) -> str:
    """The workspace's dagster.yaml: its history's folder is written out (Dagster's config has no
    path relative to the instance), so `ensure` rewrites it for a moved or copied workspace."""
    history = json.dumps(str(dagster_home / "history" / "runs"))
    return f"""\
{DAGSTER_YAML_MARKER}: the workspace's own Dagster instance (runs from the CLI and the UI).
# One writer: a run started from the UI (or by the schedule or the sensor) waits in the queue
# while another runs. The CLI runs in-process, outside the queue; the workspace lock decides
# there. The queue is served by the daemon that `styrhjul ui` starts (dagster dev).
telemetry:
  enabled: false
# Dagster's SQLite run history, each database kept open per process (about 6 s a refresh).
event_log_storage:
  module: pipelines.lib.run.dagster_history
  class: StyrhjulEventLogStorage
  config:
    base_dir: {history}
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
  config:
    max_concurrent_runs: 1
"""


@dataclass(frozen=True)
class Workspace:
    home: Path

    @classmethod
    def resolve(cls, home: str | os.PathLike | None = None) -> Workspace:
        """`--home`, else STYRHJUL_HOME, else ./data; always absolute."""
        chosen = home or os.environ.get(HOME_ENV) or DEFAULT_HOME
        return cls(Path(chosen).expanduser().resolve())

    @property
    def inbox(self) -> Path:
        return self.home / "inbox"

    @property
    def archive(self) -> Path:
        return self.home / "archive"

    @property
    def quarantine(self) -> Path:
        return self.home / "quarantine"

    @property
    def warehouse_dir(self) -> Path:
        return self.home / "warehouse"

    @property
    def published_db(self) -> Path:
        """The file analysts open read-only; replaced atomically by each successful refresh."""
        return self.warehouse_dir / "styrhjul.duckdb"

    @property
    def build_dir(self) -> Path:
        return self.warehouse_dir / "bygge"

    @property
    def build_db(self) -> Path:
        """The only file the pipeline writes to; published only after a fully successful run."""
        # Same file name as the published one: dbt-duckdb writes the catalog name (the file
        # stem) into views, which must still resolve when analysts open the published copy.
        return self.build_dir / "styrhjul.duckdb"

    @property
    def reports(self) -> Path:
        return self.home / "reports"

    @property
    def config_dir(self) -> Path:
        return self.home / "config"

    @property
    def config_file(self) -> Path:
        return self.config_dir / "styrhjul.yaml"

    @property
    def demo_register(self) -> Path:
        """The SHA-256 of every file `styrhjul demo` wrote (pipelines/lib/run/demo_files.py)."""
        return self.config_dir / "demofiler.sha256"

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"

    def ensure(self) -> Workspace:
        for folder in (
            self.inbox,
            self.archive,
            self.quarantine,
            self.warehouse_dir,
            self.build_dir,
            self.reports,
            self.config_dir,
            self.dagster_home,
        ):
            folder.mkdir(parents=True, exist_ok=True)
        dagster_yaml = self.dagster_home / "dagster.yaml"
        # Our own file from an earlier version is brought up to date; one a user wrote is kept.
        current = dagster_yaml.read_text(encoding="utf-8") if dagster_yaml.exists() else None
        wanted = dagster_yaml_text(self.dagster_home)
        if current is None or (current.startswith(DAGSTER_YAML_MARKER) and current != wanted):
            dagster_yaml.write_text(wanted, encoding="utf-8")
        return self

    def dagster_workspace_file(self) -> Path:
        """The UI's workspace file: one code location named as pyproject's [tool.dagster] names
        it (with `-m` alone, dagster dev names it after the module and warns at every start)."""
        path = self.dagster_home / "workspace.yaml"
        path.write_text(
            "load_from:\n"
            "  - python_module:\n"
            "      module_name: pipelines.definitions\n"
            f"      location_name: {CODE_LOCATION}\n"
            f"      working_directory: {REPOSITORY}\n",
            encoding="utf-8",
        )
        return path

    def activate(self) -> Workspace:
        """Point this process (and the dbt subprocesses it starts) at this workspace."""
        self.ensure()
        os.environ[HOME_ENV] = str(self.home)
        os.environ["DAGSTER_HOME"] = str(self.dagster_home)
        os.environ["STYRHJUL_BUILD_DB"] = str(self.build_db)
        return self

    def inbox_files(self) -> list[Path]:
        """Files waiting in the inbox, in name order (the order deliveries are loaded in)."""
        if not self.inbox.exists():
            return []
        return sorted(
            (p for p in self.inbox.iterdir() if p.is_file() and not p.name.startswith(".")),
            key=lambda p: p.name,
        )

    def quarantined_files(self) -> list[Path]:
        if not self.quarantine.exists():
            return []
        return sorted(
            p
            for p in self.quarantine.iterdir()
            if p.is_file() and not p.name.endswith((".fel.txt", ".fel.xlsx"))
        )
