"""A few files of the bad-input corpus through the installed command (issue 11): `styrhjul
refresh` on a copy of the published demo workspace, run as cron would run it (the virtual
environment's `bin/styrhjul`, nothing on PATH), exits 2; each bad file is in quarantine with its
`.fel.txt`, the good file is still in the inbox, and the published warehouse's marts are
unchanged. The corpus test (test_bad_input_corpus.py) checks every file's message in-process;
this one proves the command treats a rejected inbox as a refusal that publishes nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from pipelines.lib.intake import fel_path
from pipelines.lib.warehouse.fingerprint import warehouse_fingerprints
from tests.intake.test_bad_input_corpus import (
    DELIVERED_PERSONNUMMER,
    ENTRIES,
    NOT_FOR_A_CONTROLLER,
    make_entry,
)

# An xlsx with formulas, a personnummer, a goal register with a cycle, a symbolic link.
CHOSEN = (
    "utfall_formler.xlsx",
    "utfall_personnummer_sekel_bindestreck.csv",
    "mal_cykel.yaml",
    "utfall_lank.csv",
)
GOOD = "indikator_egna_2026.csv"


def test_refresh_with_bad_files_exits_2_quarantines_them_and_publishes_nothing(
    published_demo, tmp_path
):
    home = tmp_path / "ws"
    shutil.copytree(published_demo["home"], home, ignore=shutil.ignore_patterns("*.lock", "bygge"))
    published = home / "warehouse" / "styrhjul.duckdb"
    before = warehouse_fingerprints(published)
    inbox = home / "inbox"
    entries = {e.file: e for e in ENTRIES}
    for name in CHOSEN:
        make_entry(entries[name], inbox)
    (inbox / GOOD).write_text(
        "indikator;org;period;varde\nEGEN_NOJDHET;KOMMUN;2026-10;78,5\n", encoding="utf-8"
    )

    command = Path(sys.executable).parent / "styrhjul"
    env = {"HOME": os.environ.get("HOME", str(tmp_path)), "LANG": "C.UTF-8"}
    result = subprocess.run(
        [str(command), "refresh", "--home", str(home)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert not NOT_FOR_A_CONTROLLER.search(output), output
    for digits in DELIVERED_PERSONNUMMER:
        assert digits not in output

    assert sorted(p.name for p in inbox.iterdir()) == [GOOD]
    quarantine = home / "quarantine"
    for name in CHOSEN:
        stored = quarantine / name
        assert stored.is_symlink() or stored.is_file(), sorted(quarantine.iterdir())
        fel = fel_path(stored).read_text(encoding="utf-8")
        assert f"Filen {name} har inte lästs in." in fel
        assert entries[name].reason in fel
        assert name in output
    assert warehouse_fingerprints(published) == before
