"""Closed periods and the versions of what was reported for them."""

import dagster as dg

from pipelines.lib import build_db, perioder
from pipelines.lib.workspace import Workspace


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["marts", "perioder"],
            deps=[["marts", "budgetavvikelse"], ["raw", "periodstangningar"], ["raw", "korningar"]],
            description="Perioder: öppna och stängda, med körningen som publicerade dem och "
            "antalet rapporterade versioner.",
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
    name="rapporterade_perioder",
)
def rapporterade_perioder(context: dg.AssetExecutionContext):
    ws = Workspace.resolve()
    with build_db.build_connection(ws) as con:
        stored = perioder.record_versions(con, context.run_id)
        perioder.build_marts(con)
    for period, version in stored:
        context.log.info(f"Stängd period {period}: version {version} sparad")
    yield dg.MaterializeResult(asset_key=["marts", "perioder"])
    yield dg.MaterializeResult(
        asset_key=["marts", "budgetavvikelse_rapporterad"],
        metadata={"nya_versioner": [f"{p} v{v}" for p, v in stored]},
    )
