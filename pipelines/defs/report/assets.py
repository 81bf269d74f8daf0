"""The controllers' monthly report, written from the published warehouse."""

import dagster as dg

from pipelines.defs.resources import WorkspaceResource
from pipelines.lib import stages
from pipelines.lib.report import write_reports
from pipelines.lib.report.pdf import write_pdf
from pipelines.lib.warehouse.build_db import open_published


@dg.asset(
    key=[stages.REPORT_STEP],
    deps=[[stages.PUBLISH_STEP]],
    group_name=stages.REPORT,
    owners=stages.owners(stages.REPORT),
    kinds={"html", "excel", "pdf"},
    description="Månadsrapporten (HTML, Excel och, där Chromium finns, PDF) för rapportperioden, "
    "i reports/<period>/.",
)
def manadsrapport(
    context: dg.AssetExecutionContext, workspace: WorkspaceResource
) -> dg.MaterializeResult:
    ws = workspace.workspace
    con = open_published(ws)
    try:
        period = con.execute("select rapportperiod from marts.rapportperiod").fetchall()[0][0]
    finally:
        con.close()
    paths = write_reports(ws, "manadsrapport", period)
    for path in paths:
        context.log.info(f"Skrev {path}")
    # The PDF never fails the refresh: without Chromium the run log says so.
    pdf = write_pdf(paths[0])
    if pdf.path is None:
        context.log.warning(pdf.message)
    else:
        context.log.info(pdf.message)
        paths.append(pdf.path)
    return dg.MaterializeResult(
        metadata={"period": period, **{p.suffix[1:]: dg.MetadataValue.path(p) for p in paths}}
    )
