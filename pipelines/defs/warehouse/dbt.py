"""The dbt project, entering Dagster through dagster-dbt: each model an asset, each dbt test a
check, in two steps (before and after the forecasts)."""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from pipelines.defs.resources import RefreshLock, WorkspaceResource
from pipelines.lib import stages
from pipelines.lib.warehouse import DBT_EXECUTABLE, DBT_PROJECT_DIR
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


if _manifest_is_stale(styrhjul_dbt):
    # A fresh clone has no manifest; `dbt parse` writes it (a few seconds, once). Not through
    # DbtProject's preparer: it looks for dbt on PATH.
    DbtCliResource(project_dir=styrhjul_dbt, dbt_executable=DBT_EXECUTABLE).cli(
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


# The marts that publish what the forecasts and the period archive wrote (tag efter_prognos:
# dbt_project/models/marts/prognos/ and perioder/) are built in a second step, after those
# Python assets: one dbt step cannot both come before and after them.
AFTER_FORECAST = "tag:efter_prognos"


def _build(context: dg.AssetExecutionContext, dbt: DbtCliResource, ws: Workspace):
    # One target folder per workspace keeps dbt's partial parsing between runs; the refresh
    # lock guarantees a single writer.
    target = ws.home / "dbt" / "target"
    yield from dbt.cli(
        ["build", "--exclude-resource-type", "unit_test"], context=context, target_path=target
    ).stream()


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
    resources={"dbt": DbtCliResource(project_dir=styrhjul_dbt, dbt_executable=DBT_EXECUTABLE)},
)
