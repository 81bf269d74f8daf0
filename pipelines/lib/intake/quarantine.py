"""Where files go after intake: rejected ones to quarantine/, accepted ones to archive/.

A rejected file is moved (not copied) out of the inbox, so the next refresh does not trip over it
again, and gets `<name>.fel.txt` beside it saying why, in Swedish. An accepted file is kept
unchanged in archive/ under its SHA-256, so the same content is stored once however often it is
delivered, and a loaded row can always be traced back to the exact bytes (`file_sha256`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from .problems import Problem, format_problems
from .screening import safe_name

FEL_SUFFIX = ".fel.txt"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fel_path(quarantined: Path) -> Path:
    """The .fel.txt that belongs to a quarantined file."""
    return quarantined.with_name(quarantined.name + FEL_SUFFIX)


def quarantine(path: Path, problems: Iterable[Problem], quarantine_dir: Path) -> Path:
    """Move `path` into `quarantine_dir`, write its .fel.txt beside it; return the new path.

    If a file of that name is already in quarantine (an earlier bad delivery), the new one gets a
    timestamp suffix instead of overwriting it: `utfall_2026-10_20261104T093012.csv`.
    """
    path = Path(path)
    quarantine_dir = Path(quarantine_dir)
    quarantine_dir.mkdir(parents=True, exist_ok=True)
    # Stored under a name a controller can type (no control characters, no leading dash, no
    # personnummer); the .fel.txt names the file as delivered, made visible.
    stored = Path(safe_name(path.name))
    target = quarantine_dir / stored.name
    if target.is_symlink() or target.exists() or fel_path(target).exists():
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        target = quarantine_dir / f"{stored.stem}_{stamp}{stored.suffix}"
        counter = 2
        while target.is_symlink() or target.exists() or fel_path(target).exists():
            target = quarantine_dir / f"{stored.stem}_{stamp}_{counter}{stored.suffix}"
            counter += 1
    problems = list(problems)
    text = format_problems(path.name, problems)
    # A rename moves a symbolic link or a named pipe itself, never what it points to or holds.
    try:
        os.rename(path, target)
    except OSError:
        shutil.move(str(path), str(target))
    _write_atomically(fel_path(target), text.encode("utf-8"))
    _write_error_workbook(target, problems)
    return target


def _write_error_workbook(target: Path, problems: list[Problem]) -> None:
    """The .fel.xlsx beside the .fel.txt, for a regular table file whose problems name rows
    (such a file has passed the screening, so reading it again is safe). A file that cannot
    be read again still has its .fel.txt, the full account."""
    from .error_workbook import error_workbook_path, write_error_workbook
    from .problems import IntakeError

    if target.is_symlink() or not target.is_file():
        return
    workbook = error_workbook_path(target)
    temporary = workbook.with_name(f".fel-{workbook.name}.tmp")
    try:
        if write_error_workbook(target, problems, temporary) is not None:
            os.replace(temporary, workbook)
    except (IntakeError, OSError, ValueError, UnicodeError):
        pass
    finally:
        temporary.unlink(missing_ok=True)


def archive(path: Path, archive_dir: Path) -> tuple[str, Path]:
    """Copy `path` unchanged to `archive_dir/<sha256><suffix>` unless already there.

    Returns (sha256 hex, archived path).
    """
    path = Path(path)
    archive_dir = Path(archive_dir)
    archive_dir.mkdir(parents=True, exist_ok=True)
    digest = sha256_file(path)
    target = archive_dir / f"{digest}{path.suffix}"
    if not target.exists():
        # Copy to a temporary name first, so an interrupted copy never looks archived.
        handle, temporary = tempfile.mkstemp(dir=archive_dir, prefix=".arkiv-", suffix=".tmp")
        os.close(handle)
        try:
            shutil.copyfile(path, temporary)
            os.replace(temporary, target)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    return digest, target


def _write_atomically(target: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".fel-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
