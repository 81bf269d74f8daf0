"""Publication: the build copy becomes the warehouse analysts read, atomically."""

import dagster as dg

from pipelines.defs.forecast import FORECAST_ASSETS
from pipelines.defs.resources import RefreshLock, WorkspaceResource
from pipelines.defs.warehouse.dbt import dbt_build, dbt_efter_prognos
from pipelines.defs.warehouse.periods import rapporterade_perioder
from pipelines.lib import stages
from pipelines.lib.intake import sha256_file
from pipelines.lib.warehouse import build_db


@dg.asset(
    key=[stages.PUBLISH_STEP],
    # Every asset that writes into the build copy (tests/test_definitions.py checks that every
    # mart is among them).
    deps=[
        *dbt_build.keys,
        *dbt_efter_prognos.keys,
        *rapporterade_perioder.keys,
        *(key for a in FORECAST_ASSETS for key in a.keys),
    ],
    group_name=stages.WAREHOUSE,
    owners=stages.owners(stages.WAREHOUSE),
    kinds={"duckdb"},
    description="Det publicerade lagret (warehouse/styrhjul.duckdb), som analytiker läser.",
)
def publicerat_lager(
    context: dg.AssetExecutionContext, workspace: WorkspaceResource, refresh_lock: RefreshLock
) -> dg.MaterializeResult:
    ws = workspace.workspace
    published = build_db.publish(ws, context.run_id)
    with build_db.build_connection(ws, read_only=True) as con:
        loaded = {
            row[0] for row in con.execute("select file_sha256 from raw.leveranser").fetchall()
        }
        period = con.execute(
            "select period from raw.korningar where run_id = ?", [context.run_id]
        ).fetchall()[0][0]
    # Every loaded file is kept in archive/ by its SHA-256; the inbox keeps only what is
    # still to come (a file dropped during the run stays for the next one).
    for path in ws.inbox_files():
        if sha256_file(path) in loaded:
            path.unlink()
    context.log.info(f"Publicerade {published} för period {period}")
    return dg.MaterializeResult(
        metadata={
            "lager": dg.MetadataValue.path(published),
            "period": period,
            "storlek_mb": round(published.stat().st_size / 1e6, 1),
        }
    )
