"""`styrhjul quarantine`: what waits in quarantine and why, and putting a file back."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from pipelines.lib.intake.error_workbook import error_workbook_path
from pipelines.lib.intake.quarantine import fel_path
from pipelines.lib.workspace import Workspace


@dataclass(frozen=True)
class Quarantined:
    path: Path
    first_problem: str


def quarantined(ws: Workspace) -> list[Quarantined]:
    entries = []
    for path in ws.quarantined_files():
        reasons = fel_path(path)
        lines = reasons.read_text(encoding="utf-8").splitlines() if reasons.exists() else []
        # The .fel.txt (problems.format_problems): two heading lines, a blank line, then one
        # line per problem.
        problems = [line.strip() for line in lines[3:] if line.strip()]
        entries.append(Quarantined(path, problems[0] if problems else "(ingen felbeskrivning)"))
    return entries


def restore(ws: Workspace, name: str) -> Path:
    """Move a quarantined file back to the inbox (its .fel.txt and .fel.xlsx are removed):
    for a file that was fixed in place, or rejected only because another file was."""
    source = ws.quarantine / Path(name).name
    if not source.is_file() or source.name.endswith((".fel.txt", ".fel.xlsx")):
        names = ", ".join(e.path.name for e in quarantined(ws)) or "inga"
        raise ValueError(f"{name} finns inte i karantänen ({ws.quarantine}). Där finns: {names}.")
    target = ws.inbox / source.name
    if target.exists():
        raise ValueError(
            f"Inkorgen har redan en fil som heter {source.name}; flytta eller byt namn på den "
            "först."
        )
    shutil.move(str(source), str(target))
    fel_path(source).unlink(missing_ok=True)
    error_workbook_path(source).unlink(missing_ok=True)
    return target
