"""One writer from the UI: a second run of the monthly refresh waits in the queue.

The workspace's own dagster.yaml (the one `styrhjul ui` uses) is loaded as it is written, with
only the run launcher replaced by Dagster's recording test launcher, so that "launched" means
"the queue let it start" and nothing runs a refresh. The queue daemon's iteration is the one the
UI's daemon runs."""

from __future__ import annotations

import yaml
from dagster import DagsterInstance, DagsterRunStatus
from dagster._core.remote_origin import InProcessCodeLocationOrigin
from dagster._core.test_utils import InProcessTestWorkspaceLoadTarget, create_run_for_test
from dagster._core.types.loadable_target_origin import LoadableTargetOrigin
from dagster._core.workspace.context import WorkspaceProcessContext
from dagster._daemon.run_coordinator.queued_run_coordinator_daemon import (
    QueuedRunCoordinatorDaemon,
)

from pipelines.lib import stages
from pipelines.lib.workspace import REPOSITORY, Workspace


def test_a_second_ui_run_waits_in_the_queue_while_one_runs(tmp_path):
    ws = Workspace(tmp_path).ensure()
    config_file = ws.dagster_home / "dagster.yaml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["run_launcher"] = {"module": "dagster._core.test_utils", "class": "MockedRunLauncher"}
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")

    origin = InProcessCodeLocationOrigin(
        LoadableTargetOrigin(module_name="pipelines.definitions", working_directory=str(REPOSITORY))
    )
    with (
        DagsterInstance.from_config(str(ws.dagster_home)) as instance,
        WorkspaceProcessContext(instance, InProcessTestWorkspaceLoadTarget(origin)) as context,
    ):
        request = context.create_request_context()
        location = next(iter(request.get_code_location_entries().values())).code_location
        job = location.get_repository("__repository__").get_full_job(stages.JOB)
        runs = [
            create_run_for_test(
                instance,
                job_name=stages.JOB,
                remote_job_origin=job.get_remote_origin(),
                job_code_origin=job.get_python_origin(),
            )
            for _ in range(2)
        ]
        for run in runs:
            instance.submit_run(run.run_id, workspace=request)
        assert [instance.get_run_by_id(r.run_id).status for r in runs] == [
            DagsterRunStatus.QUEUED
        ] * 2

        daemon = QueuedRunCoordinatorDaemon(interval_seconds=1)
        list(daemon.run_iteration(context))
        list(daemon.run_iteration(context))

        launched = [run.run_id for run in instance.run_launcher.queue()]
        assert launched == [runs[0].run_id]
        assert instance.get_run_by_id(runs[1].run_id).status == DagsterRunStatus.QUEUED
