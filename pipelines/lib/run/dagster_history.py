"""The workspace's Dagster run history: Dagster's own SQLite event log, made cheaper to write.

Dagster's SqliteEventLogStorage creates an engine without a pool for every write, so each of
the ~800 events of a refresh (one per dbt model, test and asset, planned and done) opens the
run's database, commits with a full sync and closes it, and the last close of a WAL database
checkpoints it: together about 6 s of a refresh (measured with py-spy on the demo). Here each
database keeps one pooled connection for the process, and commits use `synchronous=NORMAL`,
which in WAL mode stays consistent after a crash and may lose only the last events of a run
in a power cut: acceptable for a run log, never for the warehouse (DuckDB's own file).

Configured in the workspace's dagster.yaml (pipelines/lib/workspace.py); the databases stay
where Dagster's default puts them (<DAGSTER_HOME>/history/runs), so existing history is kept.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sqlite import create_db_conn_string
from dagster._serdes import ConfigurableClassData

# Open run databases per process: the UI reads many runs, the CLI writes one and the index.
KEPT_ENGINES = 8


def _synchronous_normal(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("pragma synchronous = normal")


class StyrhjulEventLogStorage(SqliteEventLogStorage):
    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        self._engines: OrderedDict[str, sa.Engine] = OrderedDict()
        super().__init__(base_dir, inst_data)

    @classmethod
    def from_config_value(
        cls, inst_data: ConfigurableClassData | None, config_value: dict
    ) -> StyrhjulEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> sa.Engine:
        engine = self._engines.pop(shard, None)
        if engine is None:
            engine = sa.create_engine(
                create_db_conn_string(self._base_dir, shard),
                pool_size=1,
                connect_args={"timeout": 30},  # Dagster's own busy timeout
            )
            sa.event.listen(engine, "connect", _synchronous_normal)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
        self._engines[shard] = engine  # the most recently used last
        while len(self._engines) > KEPT_ENGINES:
            self._engines.popitem(last=False)[1].dispose()
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[sa.Connection]:
        # As Dagster's own: one connection at a time per storage, in a transaction.
        with self._db_lock, self._engine(shard).connect() as conn, conn.begin():
            yield conn

    def dispose(self) -> None:
        with self._db_lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()
        super().dispose()
