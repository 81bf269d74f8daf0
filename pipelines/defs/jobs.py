"""The monthly refresh: one job, the same from the CLI and from the UI."""

import dagster as dg

from pipelines.lib import stages
from pipelines.lib.run.progress import framsteg

manadsuppfoljning = dg.define_asset_job(
    name=stages.JOB,
    selection=dg.AssetSelection.all(),
    description=(
        "Månadsuppföljningen: läs inkorgen, bygg lagret, kör prognoserna, publicera och skriv "
        "rapporterna."
    ),
    executor_def=dg.in_process_executor,
)

defs = dg.Definitions(jobs=[manadsuppfoljning], loggers={"framsteg": framsteg})
