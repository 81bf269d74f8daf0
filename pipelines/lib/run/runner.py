"""Running the monthly refresh job in-process from the CLI, recorded in the workspace's instance."""

from __future__ import annotations

import contextlib
import logging
import sys
from dataclasses import dataclass

from pipelines.lib import stages
from pipelines.lib.intake.inbox import REJECTED_TAG
from pipelines.lib.run import failures, progress
from pipelines.lib.workspace import Workspace


@dataclass
class RunOutcome:
    success: bool
    rejected: bool
    message: str
    run_id: str
    detail: str = ""  # the technical failure (dbt's errors), shown with --debug


def _failure_message(result) -> tuple[bool, str, str]:
    """(input rejected?, the controller's message, the technical detail for --debug) of a failed
    execute_in_process result."""
    for event in result.all_events:
        # A resource that could not be set up (the refresh lock held by another run) stops the
        # run before any step; its own message is the one to show.
        if event.event_type_value == "RESOURCE_INIT_FAILURE":
            error = getattr(event.event_specific_data, "error", None)
            if error is not None:
                return False, error.message.split(": ", 1)[-1].strip(), _error_text(error)
    for event in result.all_events:
        if not event.is_step_failure:
            continue
        data = event.step_failure_data
        user = data.user_failure_data
        if user is not None and user.metadata.get(REJECTED_TAG) is not None:
            return True, user.description or "Indata avvisades.", ""
        detail = _error_text(data.error)
        if event.step_key in (stages.DBT_STEP, stages.DBT_AFTER_FORECAST_STEP):
            dbt_errors = _dbt_errors(user.description if user else "", data.error)
            return False, failures.dbt_failure_message(dbt_errors), dbt_errors
        if data.error is not None and "DagsterAssetCheckFailedError" in (data.error.cls_name or ""):
            for evaluation in result.get_asset_check_evaluations():
                if not evaluation.passed:
                    details = [
                        str(item)
                        for value in evaluation.metadata.values()
                        if isinstance(getattr(value, "value", None), list)
                        for item in value.value
                    ]
                    message = failures.check_failure_message(
                        evaluation.check_name, evaluation.description, details
                    )
                    return False, message, detail
        if user is not None and user.description:
            return False, user.description, detail
        return False, f"Steget {event.step_key} misslyckades. {failures.LOG_HINT}.", detail
    return (
        False,
        "Körningen misslyckades utan felmeddelande; se Dagster-loggen (styrhjul ui).",
        "",
    )


def _error_text(error) -> str:
    """The error chain's messages, innermost last (for --debug)."""
    parts = []
    while error is not None:
        if error.message.strip():
            parts.append(error.message.strip())
        error = error.cause
    return "\n".join(parts)


def _dbt_errors(text: str | None, error) -> str:
    """The dbt errors themselves (which model or test, and why), not dagster-dbt's wrapping."""
    text = text or ""
    while error is not None and "Errors parsed from dbt logs:" not in text:
        text = error.message or text
        error = error.cause
    _, _, parsed = text.partition("Errors parsed from dbt logs:")
    return "\n".join(line.rstrip() for line in (parsed or text).splitlines() if line.strip())


def run_refresh(
    ws: Workspace,
    period: str | None = None,
    close_period: str | None = None,
    read_inbox: bool = True,
    quiet: bool = False,
) -> RunOutcome:
    ws.activate()
    # Imported here: loading the definitions parses the dbt project and needs the environment.
    from dagster import DagsterInstance

    from pipelines.definitions import defs

    job = defs.resolve_job_def(stages.JOB)
    run_config = {
        "ops": {
            stages.INTAKE_STEP: {
                "config": {
                    "period": period or "",
                    "stang_period": close_period or "",
                    "las_inkorgen": read_inbox,
                }
            }
        },
        # Only our progress lines at the terminal; the full log is in the instance (the UI).
        "loggers": {} if quiet else {"framsteg": {}},
    }
    logging.getLogger("dagster").setLevel(logging.ERROR)
    log_file = ws.home / "logs" / "senaste_korning.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    progress.STREAM = sys.stdout
    try:
        with (
            DagsterInstance.get() as instance,
            open(log_file, "w", encoding="utf-8") as log,
            contextlib.redirect_stdout(log),
        ):
            result = job.execute_in_process(
                run_config=run_config,
                instance=instance,
                raise_on_error=False,
                tags={stages.TRIGGER_TAG: "cli"},
            )
    finally:
        progress.STREAM = None
    if result.success:
        return RunOutcome(True, False, "", result.run_id)
    rejected, message, detail = _failure_message(result)
    return RunOutcome(False, rejected, message, result.run_id, detail)
