"""`styrhjul docs`: dbt's documentation site for this workspace's warehouse, offline.

dbt needs a database to read the catalog (column types, row counts) from. It is given a copy of
the published warehouse, so the site shows what analysts read and dbt never opens the published
file for writing (a writer would shut readers out). `--static` makes one self-contained
index.html that opens from disk."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pipelines.lib.warehouse import DBT_EXECUTABLE, DBT_PROJECT_DIR
from pipelines.lib.workspace import Workspace


def build_docs(ws: Workspace) -> Path:
    """Write `<home>/docs/index.html`; return its path."""
    if not ws.published_db.exists():
        raise FileNotFoundError(
            f"Det finns inget publicerat lager i {ws.published_db}; kör 'styrhjul refresh' först."
        )
    target = ws.home / "docs"
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="styrhjul-docs-") as tmp:
        # The same file name: dbt-duckdb names the catalog after the file's stem.
        copy = Path(tmp) / ws.published_db.name
        shutil.copy2(ws.published_db, copy)
        env = {**os.environ, "STYRHJUL_BUILD_DB": str(copy)}
        result = subprocess.run(
            [
                DBT_EXECUTABLE, "docs", "generate", "--static",
                "--project-dir", str(DBT_PROJECT_DIR),
                "--profiles-dir", str(DBT_PROJECT_DIR),
                "--target-path", str(Path(tmp) / "target"),
                "--quiet",
            ],
            capture_output=True,
            text=True,
            env=env,
            cwd=DBT_PROJECT_DIR,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(
                "dbt kunde inte bygga dokumentationen: "
                + (result.stdout + result.stderr).strip().splitlines()[-1]
            )
        site = target / "index.html"
        shutil.copyfile(Path(tmp) / "target" / "static_index.html", site)
    return site
