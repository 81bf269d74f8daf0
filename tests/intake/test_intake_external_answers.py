"""A Kolada answer and an SCB json-stat2 answer dropped in the inbox load with the right totals."""

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.lib.intake.inbox import examine_inbox, load_deliveries
from pipelines.lib.intake.raw_tables import create_statements

REPO = Path(__file__).resolve().parents[2]
PXWEB = REPO / "tests" / "fixtures" / "pxweb" / "TAB6471_data.json"
KOLADA = REPO / "tests" / "intake" / "sources" / "fixtures" / "kolada_N01951_0680.json"
NO_ORG = pl.DataFrame(
    schema={
        "ansvar": pl.String, "forvaltning": pl.String, "namnd": pl.String,
        "verksamhetsomrade": pl.String, "giltig_from": pl.Date, "giltig_tom": pl.Date,
    }
)  # fmt: skip


@pytest.fixture
def loaded(tmp_path):
    if not PXWEB.exists():
        pytest.fail(f"The recorded SCB answer is missing: {PXWEB}.")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(PXWEB, inbox / "befolkning_tab6471.json")
    shutil.copy(KOLADA, inbox / "kolada_n01951.json")
    outcome = examine_inbox(sorted(inbox.iterdir()), dt.date(2026, 11, 28), NO_ORG, set())
    assert outcome.ok, outcome.rejected
    con = duckdb.connect()
    for statement in create_statements():
        con.execute(statement)
    load_deliveries(con, outcome.accepted, "test-run")
    yield con
    con.close()


def test_scb_answer_loads_every_cell_of_men_and_women(loaded):
    doc = json.loads(PXWEB.read_text(encoding="utf-8"))
    sizes = dict(zip(doc["id"], doc["size"], strict=True))
    values = doc["value"]
    kon_codes = list(doc["dimension"]["Kon"]["category"]["index"])
    # Cells whose Kon is 1 (män) or 2 (kvinnor); Kon is the third of five dimensions, row-major.
    inner = sizes["ContentsCode"] * sizes["Tid"]
    expected = 0
    for i, value in enumerate(values):
        kon = kon_codes[(i // inner) % sizes["Kon"]]
        if kon in ("1", "2") and value is not None:
            expected += value
    rows, total, months = loaded.execute(
        "select count(*), sum(antal), count(distinct manad) from raw.befolkning"
    ).fetchall()[0]
    assert rows == sizes["Region"] * sizes["Alder"] * 2 * sizes["Tid"]
    assert total == expected
    assert months == 4
    [(kon,)] = loaded.execute(
        "select string_agg(distinct kon, ',' order by kon) from raw.befolkning"
    ).fetchall()
    assert kon == "K,M"


def test_kolada_answer_loads_with_its_null(loaded):
    rows = loaded.execute(
        "select period, kon, varde from raw.kolada order by period, kon"
    ).fetchall()
    assert rows == [(2019, "K", 70265.0), (2019, "M", 70816.0), (2019, "T", 141081.0),
                    (2020, "T", None)]  # fmt: skip
