"""The Dagster code location: every domain folder under defs/ contributes its definitions."""

from __future__ import annotations

import dagster as dg

import pipelines.defs
from pipelines.lib.workspace import Workspace

# The UI and the CLI both run against the workspace named by STYRHJUL_HOME (default ./data).
Workspace.resolve().activate()

defs = dg.load_defs(defs_root=pipelines.defs)
