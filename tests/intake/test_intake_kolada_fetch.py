"""Online Kolada: fetched pages land in the inbox as a kolada_*.json the one parser reads."""

import datetime as dt
import json

from pipelines.lib.intake.kolada_fetch import fetch_to_inbox
from pipelines.lib.intake.sources.kolada import KoladaClient, read_kolada_file
from pipelines.lib.settings import DEFAULTS


class FakeResponse:
    status_code = 200
    headers: dict = {}

    def __init__(self, payload):
        self._payload = payload
        self.text = json.dumps(payload)

    def json(self):
        return self._payload


class FakeSession:
    def __init__(self):
        self.urls = []

    def get(self, url, params=None, timeout=None):
        self.urls.append(url)
        return FakeResponse(
            {
                "count": 1,
                "values": [
                    {
                        "kpi": "N15419",
                        "municipality": "0680",
                        "period": 2024,
                        "values": [{"gender": "T", "status": "", "value": 71.5, "count": 1}],
                    }
                ],
                "next_url": None,
            }
        )


def test_online_fetch_writes_a_file_the_intake_parser_reads(workspace):
    settings = {**DEFAULTS, "kolada": {"online": True, "kpi": ["N15419"]}}
    session = FakeSession()
    client = KoladaClient(base_url="https://kolada.invalid/v3", session=session)
    written = fetch_to_inbox(workspace, settings, dt.date(2026, 11, 28), client)
    assert written.parent == workspace.inbox and written.name.startswith("kolada_")
    assert "N15419" in session.urls[0] and "0680" in session.urls[0]
    frame = read_kolada_file(written)["kolada"]
    assert frame.select("kpi", "kommun", "period", "kon", "varde").rows() == [
        ("N15419", "0680", 2024, "T", 71.5)
    ]


def test_nothing_to_fetch_writes_nothing(workspace):
    assert fetch_to_inbox(workspace, DEFAULTS, dt.date(2026, 11, 28)) is None
    assert not list(workspace.inbox.iterdir())


def test_the_goal_registers_kpis_come_from_the_register_in_force(workspace):
    import duckdb

    from pipelines.lib.intake.kolada_fetch import kpis_in_goal_register

    workspace.published_db.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(workspace.published_db))
    con.execute("create schema raw")
    # 2026's register was delivered twice (load 1, then load 2): only load 2 is in force.
    con.execute(
        "create table raw.mal as select * from (values ('M1', 2026, 1), (' M1 ', 2026, 2), "
        "('M2', 2025, 1)) as t(id, ar, load_id)"
    )
    con.execute(
        """
        create table raw.malindikator as select * from (values
            ('M1', 'N_GAMMAL', 'kolada', 2026, 1),
            ('M1', ' N_NY ', 'Kolada', 2026, 2),
            ('M1', 'EGEN1', 'egen', 2026, 2),
            ('M2', 'N_2025', 'kolada', null, 1)
        ) as t(mal, indikator, kalla, ar, load_id)
        """
    )
    con.close()
    assert kpis_in_goal_register(workspace) == ["N_2025", "N_NY"]
