"""Idempotency across refreshes (issue 11): the demo's files delivered across several
refreshes, with no file's keys overlapping another's, give the marts of the demo, whose files
came in one refresh (then the close of 2025, then the correction). Compared by the fingerprint
of every mart's rows, run and load identifiers and timestamps left out
(pipelines/lib/warehouse/fingerprint.py)."""

import shutil

import pytest

from pipelines.lib.demo import generate_demo
from pipelines.lib.warehouse.fingerprint import differing_marts, warehouse_fingerprints
from tests.conftest import DEMO_SCALE
from tests.e2e.test_e2e_refresh import styrhjul

pytestmark = pytest.mark.e2e

# Delivered with the correction, after the rest and the close of 2025 (as the demo closes it):
# the quality, risk, written-analysis and uppdrag-status follow-up, none of which shares a key
# with another file.
LATER = ("kolada_", "indikator_", "risk_", "analys_", "uppdragsstatus_")


def test_the_demo_delivered_across_refreshes_gives_the_demos_marts(published_demo, tmp_path):
    src, correction = tmp_path / "indata", tmp_path / "rattelse"
    summary = generate_demo(src, scale=DEMO_SCALE)  # the files `styrhjul demo` writes
    summary.deliver_later(correction)
    later = [p for p in src.iterdir() if p.name.startswith(LATER)]
    assert {p.name.split("_")[0] for p in later} >= {"kolada", "risk", "analys", "uppdragsstatus"}

    home = tmp_path / "ws"
    (home / "inbox").mkdir(parents=True)
    for path in src.iterdir():
        if path not in later:
            shutil.copy2(path, home / "inbox")
    first = styrhjul(home, "refresh")
    assert first.returncode == 0, first.stdout + first.stderr
    closing = styrhjul(home, "close", "--year", "2025")
    assert closing.returncode == 0, closing.stdout + closing.stderr
    for path in [*later, *correction.iterdir()]:
        shutil.copy2(path, home / "inbox")
    second = styrhjul(home, "refresh")
    assert second.returncode == 0, second.stdout + second.stderr

    split = warehouse_fingerprints(home / "warehouse" / "styrhjul.duckdb")
    demo = warehouse_fingerprints(published_demo["home"] / "warehouse" / "styrhjul.duckdb")
    assert "budgetavvikelse" in split and "helarsprognos_statistisk" in split
    assert differing_marts(split, demo) == []
