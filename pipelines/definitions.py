"""The Dagster code location: every domain folder under defs/ contributes its definitions."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from pipelines.lib.workspace import Workspace

# The UI and the CLI both run against the workspace named by STYRHJUL_HOME (default ./data).
Workspace.resolve().activate()

defs = dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
