import dagster as dg

from pipelines.defs.intake.sensors import inkorg_sensor
from pipelines.defs.resources import WorkspaceResource


def test_sensor_skips_an_empty_inbox_and_asks_once_per_set_of_files(workspace):
    context = dg.build_sensor_context(
        resources={"workspace": WorkspaceResource(home=str(workspace.home))}
    )
    assert isinstance(inkorg_sensor(context), dg.SkipReason)
    (workspace.inbox / "utfall_2026-11.csv").write_text("period;ansvar\n", encoding="utf-8")
    first = inkorg_sensor(context)
    assert isinstance(first, dg.RunRequest)
    assert inkorg_sensor(context).run_key == first.run_key  # same files: same run key
    (workspace.inbox / "prognos_2026-11.csv").write_text("period;namnd\n", encoding="utf-8")
    assert inkorg_sensor(context).run_key != first.run_key
