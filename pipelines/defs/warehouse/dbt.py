"""The dbt project, entering Dagster through dagster-dbt: each model an asset, each dbt test a
check, in two steps (before and after the forecasts)."""

import os
from collections.abc import Mapping
from functools import cached_property
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets
from packaging import version

from pipelines.defs.resources import RefreshLock, WorkspaceResource
from pipelines.lib import settings, stages
from pipelines.lib.run import teststopp
from pipelines.lib.warehouse import DBT_EXECUTABLE, DBT_PROJECT_DIR, FULL_REFRESH_ENV
from pipelines.lib.warehouse.code_version import code_version
from pipelines.lib.workspace import Workspace

styrhjul_dbt = DbtProject(project_dir=DBT_PROJECT_DIR)


def _manifest_is_stale(project: DbtProject) -> bool:
    """True when any dbt source file is newer than the manifest (or there is none)."""
    manifest = project.manifest_path
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    sources = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in ("models", "seeds", "macros", "tests"):
        sources.extend((DBT_PROJECT_DIR / folder).rglob("*"))
    return any(p.is_file() and p.stat().st_mtime > built for p in sources)


class StyrhjulDbtCliResource(DbtCliResource):
    """dagster-dbt's resource, without its `dbt --version` subprocess in every run."""

    @cached_property
    def _cli_version(self) -> version.Version:
        # dagster-dbt asks the executable for its version (a Python start with dbt's imports:
        # seconds); the executable is the dbt-core installed beside this interpreter.
        from dbt.version import __version__

        return version.parse(__version__)


if _manifest_is_stale(styrhjul_dbt):
    # A fresh clone has no manifest; `dbt parse` writes it (a few seconds, once). Not through
    # DbtProject's preparer: it looks for dbt on PATH.
    StyrhjulDbtCliResource(project_dir=styrhjul_dbt, dbt_executable=DBT_EXECUTABLE).cli(
        ["parse", "--quiet"], target_path=styrhjul_dbt.target_path
    ).wait()


class StyrhjulDbtTranslator(DagsterDbtTranslator):
    """Asset keys follow the warehouse: ["marts", "budgetavvikelse"], ["referens", ...]."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props["schema"]

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return stages.owners(stages.WAREHOUSE)


# The marts that publish what the forecasts and the period archive wrote (tag efter_prognos:
# dbt_project/models/marts/prognos/ and perioder/) are built in a second step, after those
# Python assets: one dbt step cannot both come before and after them.
AFTER_FORECAST = "tag:efter_prognos"

# The code version, for dbt_project/models/intermediate/int_byggstatus.sql.
KODVERSION_ENV = "STYRHJUL_KODVERSION"


def _build(context: dg.AssetExecutionContext, dbt: DbtCliResource, ws: Workspace):
    # One target folder per workspace keeps dbt's partial parsing between runs; the refresh
    # lock guarantees a single writer.
    target = ws.home / "dbt" / "target"
    # dbt's threads and DuckDB's memory limit from the settings (dbt_project/profiles.yml);
    # the intake has validated the settings file at the start of the run.
    prestanda = settings.load_settings(ws.config_file)["prestanda"]
    os.environ["STYRHJUL_TRADAR"] = str(prestanda["tradar"])
    os.environ["STYRHJUL_MINNESGRANS_GB"] = str(prestanda["minnesgrans_gb"])
    args = ["build", "--exclude-resource-type", "unit_test"]
    # The incremental models (dbt_project/macros/inkrementell.sql) record the code version that
    # built them; another version may compute or shape them differently, so it rebuilds them.
    version = code_version()
    os.environ[KODVERSION_ENV] = version
    if os.environ.get(FULL_REFRESH_ENV) == "1" or _built_by(ws) != version:
        # `styrhjul refresh --full`: every incremental model rebuilt from the raw tables.
        args.append("--full-refresh")
    # Buffered until dbt has finished: only then can this process open the build copy (DuckDB
    # allows one writing process) to give each table its row count, which dagster-dbt's own
    # fetch_row_counts would query while dbt still holds the file.
    events = []
    for event in dbt.cli(args, context=context, target_path=target).stream():
        if not events and context.op_def.name == stages.DBT_STEP:
            teststopp.point(teststopp.DBT, ws.home)  # dbt is writing the build copy
        events.append(event)
    counts = _row_counts(ws)
    for event in events:
        if isinstance(event, dg.Output):
            key = context.asset_key_for_output(event.output_name)
            count = counts.get(tuple(key.path))
            if count is not None:
                event = event.with_metadata({**event.metadata, "dagster/row_count": count})
        yield event


def _built_by(ws: Workspace) -> str | None:
    """The code version the build copy's incremental models were built by (None: not yet)."""
    import duckdb

    with duckdb.connect(str(ws.build_db), read_only=True) as con:
        found = con.execute(
            "select count(*) from information_schema.tables where table_catalog = "
            "current_database() and table_schema = 'intermediate' and table_name = 'int_byggstatus'"
        ).fetchall()[0][0]
        if not found:
            return None
        built = con.execute("select max(kodversion) from intermediate.int_byggstatus")
        return built.fetchall()[0][0]


def _row_counts(ws: Workspace) -> dict[tuple[str, str], int]:
    """Rows of every table in the build copy (views are left out: counting one runs it)."""
    import duckdb

    with duckdb.connect(str(ws.build_db), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and table_catalog = current_database()"
        ).fetchall()
        count = 'select count(*) from "{}"."{}"'
        return {
            (schema, name): con.execute(count.format(schema, name)).fetchall()[0][0]
            for schema, name in tables
        }


@dbt_assets(
    manifest=styrhjul_dbt.manifest_path,
    project=styrhjul_dbt,
    dagster_dbt_translator=StyrhjulDbtTranslator(),
    name=stages.DBT_STEP,
    exclude=AFTER_FORECAST,
)
def dbt_build(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    workspace: WorkspaceResource,
    refresh_lock: RefreshLock,
):
    """`dbt build` of the selected models with their data tests (dbt's unit tests run in the
    test suite, not in every refresh)."""
    yield from _build(context, dbt, workspace.workspace)


@dbt_assets(
    manifest=styrhjul_dbt.manifest_path,
    project=styrhjul_dbt,
    dagster_dbt_translator=StyrhjulDbtTranslator(),
    name=stages.DBT_AFTER_FORECAST_STEP,
    select=AFTER_FORECAST,
)
def dbt_efter_prognos(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    workspace: WorkspaceResource,
    refresh_lock: RefreshLock,
):
    """`dbt build` of the marts published from the forecasts' and the archive's tables."""
    yield from _build(context, dbt, workspace.workspace)


defs = dg.Definitions(
    assets=[dbt_build, dbt_efter_prognos],
    resources={
        "dbt": StyrhjulDbtCliResource(project_dir=styrhjul_dbt, dbt_executable=DBT_EXECUTABLE)
    },
)
