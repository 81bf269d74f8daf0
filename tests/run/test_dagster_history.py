"""The workspace's Dagster run history (pipelines/lib/run/dagster_history.py): what one process
writes with its kept-open databases, another reads, run by run and asset by asset."""

import dagster as dg

from pipelines.lib.run.dagster_history import KEPT_ENGINES, StyrhjulEventLogStorage


@dg.asset
def ett_lager() -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"rader": 3})


def test_runs_written_by_one_instance_are_read_by_another(workspace):
    writer = dg.DagsterInstance.from_config(str(workspace.dagster_home))
    try:
        assert isinstance(writer.event_log_storage, StyrhjulEventLogStorage)
        runs = [
            dg.materialize([ett_lager], instance=writer).run_id for _ in range(KEPT_ENGINES + 2)
        ]
        # More runs than kept databases: the oldest engines were disposed and reopen on demand.
        assert len(writer.event_log_storage._engines) == KEPT_ENGINES
        assert len(writer.get_run_records()) == len(runs)
    finally:
        writer.dispose()
    reader = dg.DagsterInstance.from_config(str(workspace.dagster_home))
    try:
        for run_id in runs:
            types = {e.dagster_event_type for e in reader.all_logs(run_id) if e.dagster_event}
            assert dg.DagsterEventType.RUN_SUCCESS in types
        latest = reader.get_latest_materialization_event(dg.AssetKey("ett_lager"))
        assert latest is not None and latest.run_id == runs[-1]
        assert latest.asset_materialization.metadata["rader"].value == 3
    finally:
        reader.dispose()


def test_commits_are_synchronous_normal_in_wal_mode(workspace):
    instance = dg.DagsterInstance.from_config(str(workspace.dagster_home))
    try:
        storage = instance.event_log_storage
        with storage.index_connection() as conn:
            assert conn.exec_driver_sql("pragma journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("pragma synchronous").scalar() == 1  # NORMAL
    finally:
        instance.dispose()
