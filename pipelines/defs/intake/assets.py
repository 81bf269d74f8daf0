"""Intake: the inbox's files, checked and loaded into the build copy's raw schema."""

import datetime as dt

import dagster as dg
from pydantic import Field

from pipelines.defs.resources import RefreshLock, WorkspaceResource
from pipelines.lib import settings, stages
from pipelines.lib.intake import archive, inbox, quarantine
from pipelines.lib.intake.bokslut import MANADSPERIOD_SQL
from pipelines.lib.intake.kolada_fetch import fetch_to_inbox
from pipelines.lib.intake.problems import display_name
from pipelines.lib.intake.raw_tables import CONTROL_TABLES, RAW_TABLES
from pipelines.lib.run import teststopp
from pipelines.lib.warehouse import build_db
from pipelines.lib.workspace import Workspace


class IntakeConfig(dg.Config):
    period: str = Field(
        default="", description="Rapportperiod YYYY-MM; tom = den senaste månaden i huvudboken."
    )
    stang_period: str = Field(
        default="", description="Stäng denna period (YYYY-MM) i samma körning."
    )
    las_inkorgen: bool = Field(
        default=True, description="Läs inkorgens filer (falskt vid enbart periodstängning)."
    )


# The ledger closes once a month and the refresh follows within days (automatik.korningsdag,
# default the 8th): the UI warns when no ledger has been loaded for 35 days and marks it overdue
# after 45, so a month whose utfall never arrived shows up without anyone asking.
LEDGER_FRESHNESS = dg.FreshnessPolicy.time_window(
    fail_window=dt.timedelta(days=45), warn_window=dt.timedelta(days=35)
)


class InputRejected(dg.Failure):
    """Files were quarantined; the CLI maps this to exit code 2."""


def _tag_run(context: dg.AssetExecutionContext, period: str) -> None:
    """The period is known only once the ledger is read; a run launched from the UI carries no
    trigger tag of its own (the CLI, the schedule and the sensor set theirs)."""
    tags = {stages.PERIOD_TAG: period}
    if stages.TRIGGER_TAG not in context.run.tags:
        tags[stages.TRIGGER_TAG] = "ui"
    context.instance.add_run_tags(context.run_id, tags)


def _settings(ws: Workspace) -> dict:
    """The workspace's validated settings. A bad settings file is rejected input like a bad
    file (exit 2, nothing published), with its own Swedish sentences."""
    try:
        return settings.load_settings(ws.config_file)
    except settings.SettingsError as exc:
        raise InputRejected(description=str(exc), metadata={inbox.REJECTED_TAG: True}) from None


@dg.asset(
    key=[stages.KOLADA_STEP],
    group_name=stages.INTAKE,
    owners=stages.owners(stages.INTAKE),
    kinds={"python"},
    description="Hämtar Kolada-värden till inkorgen som kolada_*.json när arbetsytan är "
    "konfigurerad online (kolada.online: true); annars läses kolada_-filer som lagts i inkorgen.",
)
def kolada_fetch(
    context: dg.AssetExecutionContext, workspace: WorkspaceResource
) -> dg.MaterializeResult:
    ws = workspace.workspace
    conf = _settings(ws)
    if not conf.get("kolada", {}).get("online"):
        return dg.MaterializeResult(metadata={"lage": "offline: kolada_-filer i inkorgen"})
    written = fetch_to_inbox(ws, conf, dt.date.today())
    if written is not None:
        context.log.info(f"Hämtade Kolada-värden till {written.name}")
    return dg.MaterializeResult(metadata={"fil": written.name if written else "inga KPI:er"})


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["raw", table],
            group_name=stages.INTAKE,
            owners=stages.owners(stages.INTAKE),
            kinds={"duckdb"},
            description=f"raw.{table}: inläst ur inkorgen med revisionskolumner.",
            deps=[[stages.KOLADA_STEP]] if table == "kolada" else [],
            freshness_policy=LEDGER_FRESHNESS if table == "utfall" else None,
        )
        for table in [*RAW_TABLES, *CONTROL_TABLES]
    ],
    name=stages.INTAKE_STEP,
    description="Läser, kontrollerar och laddar inkorgens filer i byggkopian.",
)
def intake(
    context: dg.AssetExecutionContext,
    config: IntakeConfig,
    workspace: WorkspaceResource,
    refresh_lock: RefreshLock,
):
    """Examine all inbox files; quarantine the bad ones (and stop), load the good ones. The
    refresh lock is the run's (see RefreshLock)."""
    yield from _intake(context, config, workspace.workspace)


def _intake(context: dg.AssetExecutionContext, config: IntakeConfig, ws: Workspace):
    build_db.prepare_build_copy(ws)
    conf = _settings(ws)
    # Links and other non-regular entries too: the screening refuses them by name.
    files = inbox.inbox_entries(ws.inbox) if config.las_inkorgen else []
    context.log.info(f"{len(files)} fil(er) i inkorgen")

    with build_db.build_connection(ws) as con:
        outcome = inbox.examine(
            con,
            files,
            dt.date.today(),
            limits=settings.Inlasning(**conf["inlasning"]),
            report_period=config.period,
        )
        if outcome.rejected:
            stored = {
                path: quarantine(path, problems, ws.quarantine)
                for path, problems in outcome.rejected.items()
            }
            summary = inbox.rejection_summary(outcome.rejected, ws.quarantine, outcome.held, stored)
            if outcome.ambiguous:
                summary += "\n" + inbox.ambiguity_summary(outcome.ambiguous)
            raise InputRejected(
                description=summary,
                metadata={
                    "avvisade_filer": [display_name(p.name) for p in outcome.rejected],
                    "kvar_i_inkorgen": [display_name(p.name) for p in outcome.held],
                    inbox.REJECTED_TAG: True,
                },
            )
        if outcome.ambiguous:
            raise InputRejected(
                description=inbox.ambiguity_summary(outcome.ambiguous),
                metadata={inbox.REJECTED_TAG: True},
            )
        # A month missing in the report year: refused before anything is archived, so the
        # files stay in the inbox for the rerun.
        if outcome.missing_months:
            raise InputRejected(
                description=inbox.missing_months_summary(
                    outcome.missing_months, outcome.report_period
                ),
                metadata={"saknade_manader": outcome.missing_months, inbox.REJECTED_TAG: True},
            )
        for delivery in outcome.accepted:
            archive(delivery.path, ws.archive)
            context.log.info(f"{delivery.path.name}: {delivery.kind}, {delivery.rows} rader")
        loaded = inbox.load_deliveries(con, outcome.accepted, context.run_id)
        teststopp.point(teststopp.INTAKE, ws.home)

        con.execute("delete from raw.installningar")
        con.executemany("insert into raw.installningar values (?, ?)", settings.flatten(conf))
        period = config.period or (
            con.execute(f"select max({MANADSPERIOD_SQL}) from raw.utfall").fetchall()[0][0] or ""
        )
        if not period:
            raise dg.Failure(
                "Det finns inget utfall inläst; lägg huvudbokens utfall_-filer i inkorgen."
            )
        has_period = con.execute(
            "select count(*) from raw.utfall where period = ?", [period]
        ).fetchall()[0][0]
        if not has_period:
            raise dg.Failure(f"Perioden {period} finns inte i huvudbokens utfall.")
        _tag_run(context, period)
        typ = "stangning" if config.stang_period else "uppdatering"
        con.execute(
            "insert into raw.korningar values (?, ?, ?, ?)",
            [context.run_id, period, dt.datetime.now().replace(microsecond=0), typ],
        )
        if config.stang_period:
            con.execute(
                "insert into raw.periodstangningar "
                "select ?, ?, ? where not exists "
                "(select 1 from raw.periodstangningar where period = ?)",
                [
                    config.stang_period,
                    dt.datetime.now().replace(microsecond=0),
                    context.run_id,
                    config.stang_period,
                ],
            )
        counts = {
            table: con.execute(f"select count(*) from raw.{table}").fetchall()[0][0]
            for table in [*RAW_TABLES, *CONTROL_TABLES]
        }

    context.log.info(
        f"Period {period}: {len(outcome.accepted)} fil(er) inlästa, "
        f"{len(outcome.already_loaded)} redan inlästa sedan tidigare"
    )
    for table in [*RAW_TABLES, *CONTROL_TABLES]:
        yield dg.MaterializeResult(
            asset_key=["raw", table],
            metadata={
                "dagster/row_count": counts[table],
                "rader_nya": loaded.get(table, 0),
                "period": period,
            },
        )
