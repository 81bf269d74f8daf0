"""Demo data or a real delivery: which files `styrhjul demo` wrote, and the warning when real
files are loaded while the settings still describe the demo municipality.

The default settings are the demo municipality's (shaped on Jönköping, `kommun.demo: true`), so
a controller who forgets to enter the municipality's own settings would otherwise publish real
figures under the demo's name and thresholds. `styrhjul demo` records the SHA-256 of every file it
writes in `config/demofiler.sha256` (the `sha256sum` format); a loaded file whose hash is not
there is a real delivery. Setting `kommun.demo: false` confirms that the settings are the
municipality's own and silences the warning.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import duckdb

from pipelines.lib.warehouse.build_db import open_published
from pipelines.lib.workspace import Workspace

REGISTER_NAME = "demofiler.sha256"
# How many of the real files the warning names (the rest are counted).
NAMED = 3


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def record(register: Path, files: Iterable[Path]) -> None:
    """Add the demo files' hashes to the register (kept across runs of `styrhjul demo`)."""
    register.parent.mkdir(parents=True, exist_ok=True)
    with open(register, "a", encoding="utf-8") as handle:
        for path in files:
            handle.write(f"{_sha256(path)}  {path.name}\n")


def demo_hashes(register: Path) -> set[str]:
    if not register.exists():
        return set()
    return {line.split()[0] for line in register.read_text(encoding="utf-8").splitlines() if line}


def published_warning(ws: Workspace) -> str | None:
    """`warning` for the workspace's published warehouse (opened read-only)."""
    con = open_published(ws)
    try:
        return warning(con, ws.demo_register)
    finally:
        con.close()


def warning(con: duckdb.DuckDBPyConnection, register: Path) -> str | None:
    """The warning for a published warehouse (read from its raw control tables), or None.

    The settings are those the warehouse was built with (`raw.installningar`), so the warning
    describes what is published, not what the settings file says today.
    """
    demo = con.execute(
        "select varde from raw.installningar where parameter = 'kommun.demo'"
    ).fetchall()
    if not demo or demo[0][0] != "True":
        return None
    known = demo_hashes(register)
    real = sorted(
        name
        for name, sha in con.execute(
            "select distinct source_file, file_sha256 from raw.leveranser"
        ).fetchall()
        if sha not in known
    )
    if not real:
        return None
    named = ", ".join(real[:NAMED]) + (
        f" och {len(real) - NAMED} till" if len(real) > NAMED else ""
    )
    return (
        "Inställningarna beskriver fortfarande demokommunen (kommun.demo: true i "
        "config/styrhjul.yaml), men lagret innehåller filer som inte kommer från 'styrhjul demo': "
        f"{named}. Ange kommunens egen kod, namn och gränser i config/styrhjul.yaml och sätt "
        "kommun.demo: false; kör sedan 'styrhjul refresh --full'."
    )
