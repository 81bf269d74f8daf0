"""The Dagster code location: every stage's folder under defs/ contributes its definitions.

Importing it has no side effect: the workspace is resolved when a run or a sensor tick starts
(defs/resources.py), so the CLI and `styrhjul ui` point it at one with STYRHJUL_HOME."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

defs = dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
