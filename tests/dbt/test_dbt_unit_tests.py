"""dbt's own unit tests (hand-computed expectations for the deviation math, the sign convention,
periodisation, every åtgärdsplan transition, a reorganisation, goal statuses) run here, in the
test suite, rather than in every refresh."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from pipelines.lib.intake.raw_tables import create_statements
from pipelines.lib.warehouse.periods import KEYS, MEASURES

DBT_PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"


def test_dbt_unit_tests_pass(tmp_path):
    build = tmp_path / "styrhjul.duckdb"
    with duckdb.connect(str(build)) as con:
        for statement in create_statements():
            con.execute(statement)
        # forandringsanalys is unit-tested, so dbt builds its parent budgetavvikelse_rapporterad,
        # which reads the period archive: a refresh creates it (periods.record_versions) from
        # marts.budgetavvikelse, which this empty warehouse does not have yet.
        columns = ", ".join(
            [f"{c} varchar" for c in [*KEYS, "org_namn"]]
            + [f"{c} decimal(18, 2)" for c in MEASURES]
            + ["version integer", "run_id varchar", "sparad_tid timestamp"]
        )
        con.execute("create schema arkiv")
        con.execute(f"create table arkiv.rapporterad_budgetavvikelse ({columns})")
    env = {**os.environ, "STYRHJUL_BUILD_DB": str(build)}
    dbt = Path(sys.executable).with_name("dbt")
    result = subprocess.run(
        [
            str(dbt),
            "build",
            "--select",
            "test_type:unit",
            "+test_type:unit",
            "--exclude",
            "test_type:data",
            "--target-path",
            str(tmp_path / "target"),
            "--log-path",
            str(tmp_path / "logs"),
        ],  # fmt: skip
        cwd=DBT_PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    # Every unit test defined in the project really ran and passed (a selection that matched
    # nothing would also exit 0).
    defined = sum(
        path.read_text(encoding="utf-8").count("    model: ")
        for path in (DBT_PROJECT / "models").rglob("*unit_tests*.yml")
    )
    passed = [
        line
        for line in result.stdout.splitlines()
        if " PASS " in line and "unit_test" not in line and "::" in line
    ]
    assert defined >= 8
    assert len(passed) == defined, result.stdout[-4000:]
