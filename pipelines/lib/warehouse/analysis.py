"""The analysts' door to the warehouse: the published file, read-only.

    from pipelines.lib.warehouse.analysis import connect
    con = connect()                      # STYRHJUL_HOME, else the repository's data/
    con.sql("select * from marts.budgetavvikelse").pl()

A read-only connection never blocks a refresh (the refresh writes a build copy and replaces the
published file atomically); reconnect to see a newer refresh. Only `marts` is a public API:
`staging` and `intermediate` change without notice.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from pipelines.lib.warehouse.build_db import open_published
from pipelines.lib.workspace import HOME_ENV, Workspace

# A notebook runs with notebooks/ as its working directory, so ./data would be the wrong one.
REPOSITORY_DATA = Path(__file__).resolve().parents[3] / "data"


def connect(home: str | os.PathLike | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse of `home` (else STYRHJUL_HOME, else
    the repository's data/ folder, where `make demo` puts it)."""
    return open_published(Workspace.resolve(home or os.environ.get(HOME_ENV) or REPOSITORY_DATA))
