"""A mart published from a forecast's table (dbt_project/macros/publicera.sql): before the
forecast has written anything it is empty with its contract's columns, so the build never fails
on a forecast that skipped; afterwards it is the forecast's rows in the contract's types."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

DBT_PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"


def _build(tmp_path: Path, build: Path) -> None:
    dbt = Path(sys.executable).with_name("dbt")
    result = subprocess.run(
        [
            str(dbt),
            "build",
            "--select",
            "helarsprognos_statistisk",
            "--exclude-resource-type",
            "unit_test",
            "--target-path",
            str(tmp_path / "target"),
            "--log-path",
            str(tmp_path / "logs"),
        ],  # fmt: skip
        cwd=DBT_PROJECT,
        env={**os.environ, "STYRHJUL_BUILD_DB": str(build)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:]


def test_forecast_mart_is_empty_until_the_forecast_writes_then_its_rows(tmp_path):
    build = tmp_path / "styrhjul.duckdb"
    duckdb.connect(str(build)).close()
    _build(tmp_path, build)
    with duckdb.connect(str(build), read_only=True) as con:
        assert con.execute("select count(*) from marts.helarsprognos_statistisk").fetchone() == (0,)
        types = dict(
            con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'marts' and table_name = 'helarsprognos_statistisk'"
            ).fetchall()
        )
    assert types["namnd"] == "VARCHAR" and types["sannolikhet_underskott"] == "DOUBLE"

    with duckdb.connect(str(build)) as con:
        con.execute("create schema prognos_ut")
        # as polars writes it: an integer where the contract says double
        con.execute(
            """
            create table prognos_ut.helarsprognos_statistisk as select
                'BUN' as namnd, 'Barn- och utbildningsnämnden' as namnd_namn, '2026-10' as period,
                2026 as ar, 10 as manad, 'budgetbaserad' as metod, 'budgetbaserad' as modell,
                true as officiell, 800 as utfall_ack, 1000.0 as arsbudget,
                990.0 as helarsprognos, 970.0 as helarsprognos_lag80,
                1010.0 as helarsprognos_hog80, 950.0 as helarsprognos_lag95,
                1030.0 as helarsprognos_hog95, 10.0 as helarsavvikelse,
                0.3 as sannolikhet_underskott, null as kommentar
            """
        )
    _build(tmp_path, build)
    with duckdb.connect(str(build), read_only=True) as con:
        row = con.execute(
            "select namnd, utfall_ack, helarsavvikelse, typeof(utfall_ack) "
            "from marts.helarsprognos_statistisk"
        ).fetchall()
    assert row == [("BUN", 800.0, 10.0, "DOUBLE")]
