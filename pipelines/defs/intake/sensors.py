"""In the UI: a refresh starts by itself when files wait in the inbox (the sensor is off until a
controller turns it on; the CLI's `styrhjul refresh` does the same on demand)."""

import dagster as dg

from pipelines.defs.resources import WorkspaceResource
from pipelines.lib import stages
from pipelines.lib.intake import sha256_file


@dg.sensor(
    job_name=stages.JOB,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Startar månadsuppföljningen när nya filer ligger i inkorgen.",
)
def inkorg_sensor(context: dg.SensorEvaluationContext, workspace: WorkspaceResource):
    files = workspace.workspace.inbox_files()
    if not files:
        return dg.SkipReason("Inkorgen är tom.")
    # The same files (by content) start one run, not one a minute.
    key = "-".join(sorted(sha256_file(p)[:12] for p in files))
    return dg.RunRequest(run_key=key)
