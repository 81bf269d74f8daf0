"""Closed periods and the versions of what was reported for them."""

import dagster as dg

from pipelines.lib import stages
from pipelines.lib.warehouse import build_db, periods
from pipelines.lib.workspace import Workspace


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["marts", "perioder"],
            deps=[["marts", "budgetavvikelse"], ["raw", "periodstangningar"], ["raw", "korningar"]],
            description="Perioder: öppna och stängda (status oppen eller stangd), med körningen "
            "som publicerade dem och antalet rapporterade versioner.",
            group_name="marts",
            kinds={"duckdb"},
        ),
        dg.AssetSpec(
            ["marts", "budgetavvikelse_rapporterad"],
            deps=[["marts", "budgetavvikelse"]],
            description="Budgetavvikelsen som den rapporterades för stängda perioder, per version.",
            group_name="marts",
            kinds={"duckdb"},
        ),
    ],
    name=stages.PERIODS_STEP,
)
def rapporterade_perioder(context: dg.AssetExecutionContext):
    ws = Workspace.resolve()
    with build_db.build_connection(ws) as con:
        stored = periods.record_versions(con, context.run_id)
        periods.build_marts(con)
    for period, version in stored:
        context.log.info(f"Stängd period {period}: version {version} sparad")
    yield dg.MaterializeResult(asset_key=["marts", "perioder"])
    yield dg.MaterializeResult(
        asset_key=["marts", "budgetavvikelse_rapporterad"],
        metadata={"nya_versioner": [f"{p} v{v}" for p, v in stored]},
    )
