"""The monthly refresh is incremental by period (dbt_project/macros/inkrementell.sql) and gives
exactly the marts `styrhjul refresh --full` gives from the same raw tables (issue 9).

Each test works on a copy of the session's published demo: deliveries refreshed incrementally,
then the same state copied and rebuilt with --full, and every mart's fingerprint compared.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.lib.demo import generate_demo
from pipelines.lib.warehouse.fingerprint import differing_marts, warehouse_fingerprints
from tests.conftest import DEMO_SCALE

pytestmark = pytest.mark.e2e

INCREMENTAL_MODELS = (
    "int_utfall_rader",
    "int_budget_manad",
    "int_ekonomi_manad",
    "fct_ekonomi_manad",
)
# What the macro reads to decide, besides the kinds in its list (macros/inkrementell.sql).
DECIDING_SOURCES = {"utfall", "leveranser", "installningar"}


def styrhjul(home: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("STYRHJUL_HOME", "DAGSTER_HOME")}
    result = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args, "--home", str(home)],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def query(home: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(home / "warehouse" / "styrhjul.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def copy_workspace(home: Path, to: Path) -> Path:
    shutil.copytree(home, to, ignore=shutil.ignore_patterns("*.lock", "bygge"))
    return to


def ran_incrementally(home: Path) -> dict[str, bool]:
    """Per incremental model: did its last dbt run take the incremental path (delete+insert into
    the existing table) rather than create it anew? From dbt's executed SQL."""
    run = home / "dbt" / "target" / "run" / "styrhjul" / "models"
    found = {}
    for model in INCREMENTAL_MODELS:
        (path,) = run.rglob(f"{model}.sql")
        found[model] = "delete from" in path.read_text(encoding="utf-8").lower()
    return found


def byggstatus(home: Path) -> tuple[str, int, str]:
    """(grund, senaste_load_id, kodversion) the published incremental models were built from."""
    (row,) = query(
        home, "select grund, senaste_load_id, kodversion from intermediate.int_byggstatus"
    )
    return row


def assert_same_as_full(home: Path, tmp_path: Path) -> None:
    rebuilt = copy_workspace(home, tmp_path / "full")
    styrhjul(rebuilt, "refresh", "--full")
    assert ran_incrementally(rebuilt) == dict.fromkeys(INCREMENTAL_MODELS, False)
    incremental = warehouse_fingerprints(home / "warehouse" / "styrhjul.duckdb")
    full = warehouse_fingerprints(rebuilt / "warehouse" / "styrhjul.duckdb")
    assert "fct_ekonomi_manad" in incremental and "budgetavvikelse" in incremental
    # The forecasts are recomputed in both runs, so equal fingerprints also prove them seeded.
    assert {
        "helarsprognos_statistisk",
        "helarsprognos_kommun",
        "langtidsprognos",
    } <= incremental.keys()
    assert differing_marts(incremental, full) == []


def test_the_grund_names_exactly_the_kinds_the_incremental_models_are_built_from():
    """A kind missing from grundande_filtyper() would leave stale figures after its delivery;
    a kind too many would make the monthly delivery a full rebuild. dbt's graph decides."""
    from pipelines.defs.warehouse.dbt import styrhjul_dbt

    manifest = json.loads(styrhjul_dbt.manifest_path.read_text(encoding="utf-8"))
    nodes = {**manifest["nodes"], **manifest["sources"]}
    todo = [
        uid
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["name"] in INCREMENTAL_MODELS
    ]
    ancestors = set()
    assert len(todo) == len(INCREMENTAL_MODELS)
    while todo:
        for parent in nodes[todo.pop()].get("depends_on", {}).get("nodes", []):
            if parent not in ancestors:
                ancestors.add(parent)
                todo.append(parent)
    raw_sources = {
        nodes[uid]["name"]
        for uid in ancestors
        if uid.startswith("source.") and nodes[uid]["source_name"] == "raw"
    }
    macro = (styrhjul_dbt.project_dir / "macros" / "inkrementell.sql").read_text(encoding="utf-8")
    (listed,) = re.findall(r"macro grundande_filtyper\(\).*?return\(\[(.*?)\]\)", macro, re.S)
    kinds = set(re.findall(r"'(\w+)'", listed))
    assert kinds == raw_sources - DECIDING_SOURCES
    assert kinds == {"organisation", "budget", "periodisering"}


@pytest.fixture(scope="module")
def indata(tmp_path_factory) -> Path:
    """The demo's input files (the same the demo command delivered)."""
    src = tmp_path_factory.mktemp("indata")
    generate_demo(src, scale=DEMO_SCALE)
    return src


@pytest.fixture
def workspace(published_demo, tmp_path) -> Path:
    return copy_workspace(published_demo["home"], tmp_path / "ws")


def ledger_month(indata: Path, period: str) -> pl.DataFrame:
    frame = pl.read_csv(indata / "utfall_2026.csv", infer_schema=False)
    return frame.filter(pl.col("period") == period)


def fct_sum(home: Path, period: str) -> Decimal:
    sql = f"select sum(utfall) from marts.fct_ekonomi_manad where period = '{period}'"
    return query(home, sql)[0][0]


def test_a_new_month_and_a_redelivered_old_month_give_the_marts_of_a_full_rebuild(
    indata, workspace, tmp_path
):
    august_before = fct_sum(workspace, "2026-08")
    grund, load_id, kodversion = byggstatus(workspace)
    assert kodversion  # the refresh passed its code version: no --full-refresh for a new one
    # A new month: October's rows delivered as November.
    november = ledger_month(indata, "2026-10").with_columns(period=pl.lit("2026-11"))
    november.write_csv(workspace / "inbox" / "utfall_2026-11.csv", separator=";")
    # With it, as in a real month, the förvaltningar's prognos: a kind the incremental models
    # are not built from, so the build stays incremental.
    prognos = pl.read_csv(indata / "prognos_2026.csv", infer_schema=False, separator=";")
    prognos = prognos.filter(pl.col("period") == "2026-10").with_columns(period=pl.lit("2026-11"))
    assert prognos.height > 0
    prognos.write_csv(workspace / "inbox" / "prognos_2026-11.csv", separator=";")
    styrhjul(workspace, "refresh")
    assert ran_incrementally(workspace) == dict.fromkeys(INCREMENTAL_MODELS, True)
    # Same grund and code: only the periods above the recorded load_id were recomputed (and
    # int_budget_manad, built from the grund alone, not at all: its filter needs a new grund).
    assert byggstatus(workspace) == (grund, load_id + 2, kodversion)
    assert fct_sum(workspace, "2026-11") == fct_sum(workspace, "2026-10")

    # August re-delivered with one amount raised by 1 000,00 kr: it replaces exactly August.
    august = ledger_month(indata, "2026-08")
    raised = Decimal(august["belopp"][0]) + 1000
    august = august.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.lit(str(raised)))
        .otherwise(pl.col("belopp"))
        .alias("belopp")
    )
    august.write_csv(workspace / "inbox" / "utfall_2026-08_rattelse.csv", separator=";")
    styrhjul(workspace, "refresh")
    assert ran_incrementally(workspace) == dict.fromkeys(INCREMENTAL_MODELS, True)
    assert byggstatus(workspace) == (grund, load_id + 3, kodversion)
    assert fct_sum(workspace, "2026-08") - august_before == Decimal("1000.00")

    assert_same_as_full(workspace, tmp_path)


def test_an_ansvar_moving_namnd_gives_the_marts_of_a_full_rebuild(workspace, tmp_path):
    # Förskoleområde Öster moves from BUN to UAN from September: earlier periods of the ledger
    # change nämnd, and every period its nämnd of today.
    moved = "20050"
    before = query(
        workspace,
        f"select distinct namnd from marts.fct_ekonomi_manad where ansvar = '{moved}' "
        "and period = '2026-09'",
    )
    assert before == [("BUN",)]
    grund = byggstatus(workspace)[0]
    (workspace / "inbox" / "organisation_2026-09.csv").write_text(
        "ansvar;ansvar_namn;forvaltning;forvaltning_namn;namnd;namnd_namn;giltig_from;giltig_tom\n"
        f"{moved};Förskoleområde Öster;UTBF;Utbildningsförvaltningen;UAN;"
        "Utbildnings- och arbetsmarknadsnämnden;2026-09-01;\n",
        encoding="utf-8",
    )
    styrhjul(workspace, "refresh")
    assert ran_incrementally(workspace) == dict.fromkeys(INCREMENTAL_MODELS, True)
    assert byggstatus(workspace)[0] != grund  # another delivery: every year recomputed
    after = query(
        workspace,
        "select period, namnd, namnd_idag from marts.fct_ekonomi_manad "
        f"where ansvar = '{moved}' and period in ('2026-08', '2026-09') group by all order by 1",
    )
    assert after == [("2026-08", "BUN", "UAN"), ("2026-09", "UAN", "UAN")]

    assert_same_as_full(workspace, tmp_path)
