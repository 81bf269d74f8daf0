"""The version of the code that builds the warehouse: a hash of every file that shapes it.

A warehouse built by one version of the models, the forecasts and the intake is current only for
that version; the CLI's empty-inbox shortcut (pipelines/cli.py) compares it before it skips a
refresh. Hashing the files themselves (not a package version) also covers a developer's
uncommitted change. About 300 small files: milliseconds.
"""

from __future__ import annotations

import hashlib
from functools import cache

from pipelines.lib.warehouse import DBT_PROJECT_DIR

REPO = DBT_PROJECT_DIR.parent
_SOURCES = (
    (REPO / "pipelines", "*.py"),
    (REPO / "models", "*.py"),
    (DBT_PROJECT_DIR / "models", "*"),
    (DBT_PROJECT_DIR / "macros", "*"),
    (DBT_PROJECT_DIR / "seeds", "*"),
    (DBT_PROJECT_DIR / "tests", "*"),
)
_FILES = (DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml")


@cache
def code_version() -> str:
    """SHA-256 over the relative path and content of each source file, in path order."""
    digest = hashlib.sha256()
    paths = [p for folder, pattern in _SOURCES for p in folder.rglob(pattern) if p.is_file()]
    for path in sorted({*paths, *_FILES}):
        if "__pycache__" in path.parts:
            continue
        digest.update(str(path.relative_to(REPO)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
