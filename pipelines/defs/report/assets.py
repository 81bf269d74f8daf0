"""The reports written from the published warehouse: the monthly report (part of the refresh)
and one asset per other registered report type (run from the UI).

No `from __future__ import annotations` here: Dagster reads each report asset's config class
from its annotation, which is a local variable of the factory."""

import dagster as dg
from pydantic import Field

from pipelines.defs.resources import WorkspaceResource
from pipelines.lib import stages
from pipelines.lib.report import write_reports
from pipelines.lib.report.pdf import write_pdf
from pipelines.lib.report.types import AR, PERIOD, REPORT_TYPES, ReportType
from pipelines.lib.run import closing
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


# The year's other reports: one asset per registered report type (types.REPORT_TYPES), so a
# type registered later gets its asset without a change here. They are run from the UI (the
# job `rapporter`, or an asset's Materialize) with the period or year as run config, read only
# the published warehouse, and are no part of the monthly refresh (defs/jobs.py).
class PeriodRapport(dg.Config):
    period: str = Field(
        default="",
        description="Rapportperiod ÅÅÅÅ-MM; tom = det publicerade lagrets rapportperiod.",
    )


class ArsRapport(dg.Config):
    ar: int = Field(default=0, description="År ÅÅÅÅ; 0 = det senast stängda året.")


class PeriodRapportPerNamnd(PeriodRapport):
    namnd: str = Field(default="", description="Nämndens kod; tom = en rapport per nämnd.")


class ArsRapportPerNamnd(ArsRapport):
    namnd: str = Field(default="", description="Nämndens kod; tom = en rapport per nämnd.")


CONFIG = {
    (PERIOD, False): PeriodRapport,
    (PERIOD, True): PeriodRapportPerNamnd,
    (AR, False): ArsRapport,
    (AR, True): ArsRapportPerNamnd,
}


def _key(ws, kind: ReportType, config: dg.Config) -> str:
    """The report's key from the run config: the period or year given, else the published
    warehouse's report period or its latest closed year."""
    if kind.scope == AR:
        if config.ar:
            return str(config.ar)
        con = open_published(ws)
        try:
            years = closing.closed_years(con)
        finally:
            con.close()
        if not years:
            raise ValueError(
                f"Rapporttypen {kind.code} gäller ett stängt år och inget år är stängt; ange "
                "ar i körningens konfiguration eller stäng året med 'styrhjul close --year'."
            )
        return str(years[-1])
    if config.period:
        return config.period
    con = open_published(ws)
    try:
        return con.execute("select rapportperiod from marts.rapportperiod").fetchall()[0][0]
    finally:
        con.close()


def report_asset(kind: ReportType) -> dg.AssetsDefinition:
    """The asset writing report type `kind` from the published warehouse."""
    config_class = CONFIG[(kind.scope, kind.per_namnd)]
    scope = "året (ar)" if kind.scope == AR else "perioden (period)"

    @dg.asset(
        key=[kind.code],
        deps=[[stages.PUBLISH_STEP]],
        group_name=stages.REPORTS,
        owners=stages.owners(stages.REPORTS),
        kinds={"html", "excel", "pdf"},
        description=f"{kind.title} (HTML, Excel och, där Chromium finns, PDF) i "
        f"reports/<{'år' if kind.scope == AR else 'period'}>/{kind.stem}"
        f"{'_<nämnd>' if kind.per_namnd else ''}.*, för {scope} i körningens konfiguration. "
        "Körs från gränssnittet, inte av månadsuppföljningen.",
    )
    def _report(
        context: dg.AssetExecutionContext, config: config_class, workspace: WorkspaceResource
    ) -> dg.MaterializeResult:
        ws = workspace.workspace
        namnd = getattr(config, "namnd", "") or None
        try:
            key = _key(ws, kind, config)
            paths = write_reports(ws, kind.code, key, namnd)
        except (ValueError, FileNotFoundError) as exc:
            # A refusal the controller can act on, in Swedish, not a traceback.
            raise dg.Failure(description=str(exc)) from None
        for path in list(paths):
            context.log.info(f"Skrev {path}")
            if path.suffix == ".html":
                pdf = write_pdf(path)
                if pdf.path is None:
                    context.log.warning(pdf.message)
                else:
                    paths.append(pdf.path)
        return dg.MaterializeResult(
            metadata={
                "nyckel": key,
                "antal_filer": len(paths),
                "filer": dg.MetadataValue.md("\n".join(f"- `{p}`" for p in paths)),
                **{f"{p.stem}.{p.suffix[1:]}": dg.MetadataValue.path(p) for p in paths},
            }
        )

    return _report


# The månadsrapport is the refresh's own asset above.
YEAR_REPORTS = [report_asset(k) for k in REPORT_TYPES.values() if k.code != stages.REPORT_STEP]

# With a Definitions object here, the defs folder loader takes this module's assets from it only.
defs = dg.Definitions(assets=[manadsrapport, *YEAR_REPORTS])
