"""Closed periods and the versions of what was reported for them: the archive, which dbt
publishes as marts.perioder and marts.budgetavvikelse_rapporterad
(dbt_project/models/marts/perioder/)."""

import dagster as dg

from pipelines.defs.resources import RefreshLock, WorkspaceResource
from pipelines.lib import stages
from pipelines.lib.warehouse import build_db, periods

ARCHIVE_KEY = dg.AssetKey(["arkiv", "rapporterad_budgetavvikelse"])


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ARCHIVE_KEY,
            deps=[["marts", "budgetavvikelse"], ["raw", "periodstangningar"]],
            description="Arkivet över rapporterade versioner: budgetavvikelsen för varje stängd "
            "period som den rapporterades, en ny version när siffrorna ändrats. Läggs bara till.",
            group_name=stages.WAREHOUSE,
            owners=stages.owners(stages.WAREHOUSE),
            kinds={"duckdb"},
        ),
    ],
    name=stages.PERIODS_STEP,
)
def rapporterade_perioder(
    context: dg.AssetExecutionContext, workspace: WorkspaceResource, refresh_lock: RefreshLock
):
    ws = workspace.workspace
    with build_db.build_connection(ws) as con:
        stored = periods.record_versions(con, context.run_id)
    for period, version in stored:
        context.log.info(f"Stängd period {period}: version {version} sparad")
    yield dg.MaterializeResult(
        asset_key=ARCHIVE_KEY,
        metadata={"nya_versioner": [f"{p} v{v}" for p, v in stored]},
    )
