import datetime as dt
from zoneinfo import ZoneInfo

import dagster as dg
import yaml

from pipelines.defs.jobs import manadsschema
from pipelines.defs.resources import WorkspaceResource
from pipelines.lib import stages
from pipelines.lib.workspace import DAGSTER_YAML_MARKER, dagster_yaml_text

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _tick(workspace, day: int):
    context = dg.build_schedule_context(
        resources={"workspace": WorkspaceResource(home=str(workspace.home))},
        scheduled_execution_time=dt.datetime(2026, 12, day, 6, 0, tzinfo=STOCKHOLM),
    )
    return manadsschema(context)


def test_the_schedule_is_off_until_a_controller_turns_it_on_and_runs_at_six_in_stockholm():
    assert manadsschema.default_status == dg.DefaultScheduleStatus.STOPPED
    assert manadsschema.cron_schedule == "0 6 * * *"
    assert manadsschema.execution_timezone == "Europe/Stockholm"


def test_the_schedule_runs_on_the_eighth_by_default_when_files_wait(workspace):
    (workspace.inbox / "utfall_2026-11.csv").write_text("period;ansvar\n", encoding="utf-8")
    assert isinstance(_tick(workspace, 7), dg.SkipReason)
    request = _tick(workspace, 8)
    assert isinstance(request, dg.RunRequest)
    assert request.tags[stages.TRIGGER_TAG] == "schedule"
    assert request.run_key == "schema-2026-12"  # one scheduled run a month


def test_the_day_is_a_setting(workspace):
    workspace.config_file.write_text("automatik:\n  korningsdag: 3\n", encoding="utf-8")
    (workspace.inbox / "utfall_2026-11.csv").write_text("period;ansvar\n", encoding="utf-8")
    assert isinstance(_tick(workspace, 3), dg.RunRequest)
    skipped = _tick(workspace, 8)
    assert "den 3:e i månaden" in skipped.skip_message


def test_an_empty_inbox_on_the_day_is_skipped_with_a_reason(workspace):
    skipped = _tick(workspace, 8)
    assert isinstance(skipped, dg.SkipReason)
    assert "Inkorgen är tom den 8:e" in skipped.skip_message


def test_one_writer_runs_from_the_ui_wait_in_the_queue(workspace):
    config = yaml.safe_load((workspace.dagster_home / "dagster.yaml").read_text(encoding="utf-8"))
    assert config["run_coordinator"]["class"] == "QueuedRunCoordinator"
    assert config["run_coordinator"]["config"]["max_concurrent_runs"] == 1
    instance = dg.DagsterInstance.from_config(str(workspace.dagster_home))
    try:
        assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
    finally:
        instance.dispose()


def test_an_earlier_own_dagster_yaml_is_updated_and_a_users_own_is_kept(workspace):
    dagster_yaml = workspace.dagster_home / "dagster.yaml"
    dagster_yaml.write_text(f"{DAGSTER_YAML_MARKER}: old\ntelemetry: {{}}\n", encoding="utf-8")
    workspace.ensure()
    assert dagster_yaml.read_text(encoding="utf-8") == dagster_yaml_text(workspace.dagster_home)
    dagster_yaml.write_text("telemetry:\n  enabled: true\n", encoding="utf-8")
    workspace.ensure()
    assert dagster_yaml.read_text(encoding="utf-8") == "telemetry:\n  enabled: true\n"
