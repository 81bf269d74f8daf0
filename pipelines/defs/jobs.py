"""The monthly refresh: one job, the same from the CLI and from the UI, and its schedule."""

import dagster as dg

from pipelines.defs.resources import WorkspaceResource
from pipelines.lib import settings, stages
from pipelines.lib.run.progress import framsteg

manadsuppfoljning = dg.define_asset_job(
    name=stages.JOB,
    # Everything but the year's reports, which a controller runs for a chosen period or year.
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups(stages.REPORTS),
    description=(
        "Månadsuppföljningen: läs inkorgen, bygg lagret, kör prognoserna, publicera och skriv "
        "rapporterna."
    ),
    executor_def=dg.in_process_executor,
)

# The year's reports (delårsrapport, årsredovisning, ...) from the UI: each asset's run config
# names its period or year (empty: the report period, the latest closed year).
rapporter = dg.define_asset_job(
    name=stages.REPORTS_JOB,
    selection=dg.AssetSelection.groups(stages.REPORTS),
    description=(
        "Årets övriga rapporter ur det publicerade lagret (delårsrapport, årsredovisningens "
        "underlag m.fl.) för den period eller det år som körningens konfiguration anger."
    ),
    executor_def=dg.in_process_executor,
)


# Evaluated every day at 06:00; the day of the month is a setting (read at each tick, so a
# controller changes it in styrhjul.yaml without restarting the UI).
@dg.schedule(
    job=manadsuppfoljning,
    cron_schedule="0 6 * * *",
    execution_timezone="Europe/Stockholm",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Kör månadsuppföljningen kl. 06.00 den dag i månaden som inställningen "
    "automatik.korningsdag anger (standard den 8:e), när filer ligger i inkorgen. Av tills en "
    "controller slår på den.",
)
def manadsschema(context: dg.ScheduleEvaluationContext, workspace: WorkspaceResource):
    ws = workspace.workspace
    try:
        day = settings.load_settings(ws.config_file)["automatik"]["korningsdag"]
    except settings.SettingsError as exc:
        return dg.SkipReason(str(exc))
    when = context.scheduled_execution_time
    if when.day != day:
        return dg.SkipReason(
            f"Månadsuppföljningen körs den {day}:e i månaden (automatik.korningsdag)."
        )
    if not ws.inbox_files():
        return dg.SkipReason(
            f"Inkorgen är tom den {day}:e; lägg månadens filer där och starta körningen."
        )
    return dg.RunRequest(run_key=f"schema-{when:%Y-%m}", tags={stages.TRIGGER_TAG: "schedule"})


defs = dg.Definitions(
    jobs=[manadsuppfoljning, rapporter], schedules=[manadsschema], loggers={"framsteg": framsteg}
)
