"""Kolada API v3: parsing answers and the client, fully offline (a fake session).

Retrying is the HTTP library's; tests/intake/sources/test_sources_http.py proves it on a local
server.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from pipelines.lib.intake.problems import IntakeError
from pipelines.lib.intake.sources import READERS, FetchError, SourceError
from pipelines.lib.intake.sources.kolada import (
    KOLADA_BASE_URL,
    KoladaClient,
    parse_kolada,
    read_kolada_file,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BASE = "https://kolada.invalid/v3"  # never contacted: every test uses a fake session


class FakeResponse:
    def __init__(self, status_code=200, payload=None, headers=None, text=""):
        self.status_code = status_code
        self._payload = payload
        self.headers = headers or {}
        self.text = text or (json.dumps(payload) if payload is not None else "")

    def json(self):
        if self._payload is None:
            raise ValueError("no JSON")
        return self._payload


class FakeSession:
    """Serves responses: a dict url -> list of responses (served in turn), or a callable."""

    def __init__(self, routes):
        self.routes = routes
        self.calls: list[tuple[str, dict | None, float | None]] = []

    def get(self, url, params=None, timeout=None):
        self.calls.append((url, params, timeout))
        if callable(self.routes):
            return self.routes(url)
        queue = self.routes.get(url)
        if not queue:
            raise AssertionError(f"unexpected request {url}")
        item = queue.pop(0)
        if isinstance(item, Exception):
            raise item
        return item


def record(kpi, kommun, year, *values):
    return {
        "kpi": kpi,
        "municipality": kommun,
        "period": year,
        "values": [{"gender": g, "status": "", "value": v, "count": 1} for g, v in values],
    }


def page(records, next_url=None, key="next_url"):
    return {"count": len(records), "values": records, key: next_url}


def client(session, **kwargs):
    return KoladaClient(base_url=BASE, session=session, **kwargs)


URL_0680 = f"{BASE}/data/kpi/N01951/municipality/0680/year/2019"


# ---------------------------------------------------------------------------------------------
# parse_kolada


def test_parse_readme_example_from_bytes():
    data = (FIXTURES / "kolada_N01951_0680.json").read_bytes()
    frame = parse_kolada(data, "kolada_N01951_0680.json")
    assert frame.schema == pl.Schema(
        {
            "kpi": pl.String,
            "kommun": pl.String,
            "period": pl.Int32,
            "kon": pl.String,
            "varde": pl.Float64,
            "status": pl.String,
            "source_row": pl.Int64,
        }
    )
    assert frame.rows() == [
        ("N01951", "0680", 2019, "T", 141081.0, None, 1),
        ("N01951", "0680", 2019, "M", 70816.0, None, 1),
        ("N01951", "0680", 2019, "K", 70265.0, None, 1),
        ("N01951", "0680", 2020, "T", None, "Missing", 2),
    ]


def test_null_value_gives_null_varde():
    frame = parse_kolada(
        page([record("N00401", "0680", 2024, ("T", None), ("K", 3.5))]), "kolada_x.json"
    )
    assert frame["varde"].to_list() == [None, 3.5]
    assert frame["varde"].dtype == pl.Float64


def test_bom_and_list_of_pages_number_records_across_pages():
    pages = [
        page([record("A", "0680", 2023, ("T", 1)), record("A", "0680", 2024, ("T", 2))]),
        page([record("A", "0685", 2024, ("T", 3))]),
    ]
    data = b"\xef\xbb\xbf" + json.dumps(pages).encode()
    frame = parse_kolada(data, "kolada_sidor.json")
    assert frame["source_row"].to_list() == [1, 2, 3]
    assert frame["kommun"].to_list() == ["0680", "0680", "0685"]


def test_reject_json_without_values_list():
    with pytest.raises(SourceError) as exc:
        parse_kolada({"count": 0, "next_url": None}, "kolada_fel.json")
    [problem] = exc.value.problems
    assert problem.file == "kolada_fel.json"
    assert problem.column == "values"
    assert "values" in problem.reason and "Kolada" in problem.reason


def test_reject_invalid_json_text():
    with pytest.raises(SourceError) as exc:
        parse_kolada(b'{"values": [', "kolada_trasig.json")
    assert "inte giltig JSON" in exc.value.problems[0].reason


def test_reject_bad_gender_naming_the_record():
    doc = page(
        [
            record("N01951", "0680", 2019, ("T", 1)),
            record("N01951", "0680", 2020, ("X", 2)),
        ]
    )
    with pytest.raises(SourceError) as exc:
        parse_kolada(doc, "kolada_kon.json")
    [problem] = exc.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "gender", "X")
    assert "post 2" in problem.reason and "N01951" in problem.reason
    assert "T (totalt), K (kvinnor) eller M (män)" in problem.reason


def test_reject_non_numeric_value_and_collect_every_problem():
    doc = page(
        [
            record("N01951", "0680", 2019, ("T", "141 081")),
            record("N01951", 680, 2019, ("T", 1)),
            record("N01951", "0680", "tjugo", ("T", True)),
        ]
    )
    with pytest.raises(SourceError) as exc:
        parse_kolada(doc, "kolada_tal.json")
    found = {(p.row, p.column) for p in exc.value.problems}
    assert found == {(1, "value"), (2, "municipality"), (3, "period"), (3, "value")}
    value_problem = next(p for p in exc.value.problems if p.row == 1)
    assert value_problem.value == "141 081" and "inte ett tal" in value_problem.reason
    # the intake catches it as one of its own
    assert isinstance(exc.value, IntakeError)


def test_read_kolada_file_and_registered_reader(tmp_path):
    extensions, reader = READERS["kolada_"]
    assert extensions == (".json",)
    tables = reader(FIXTURES / "kolada_N01951_0680.json")
    assert list(tables) == ["kolada"]
    assert tables["kolada"].height == 4
    bad = tmp_path / "kolada_tom.json"
    bad.write_text("[]", encoding="utf-8")
    with pytest.raises(SourceError):
        read_kolada_file(bad)


# ---------------------------------------------------------------------------------------------
# KoladaClient


def test_default_base_url_is_kolada_v3():
    assert KOLADA_BASE_URL == "https://api.kolada.se/v3"
    assert KoladaClient(session=FakeSession({})).base_url == KOLADA_BASE_URL


def test_three_pages_linked_by_next_url():
    p2 = f"{BASE}/data/kpi/N01951/municipality/0680/year/2019?page=2&per_page=2"
    p3 = f"{BASE}/data/kpi/N01951/municipality/0680/year/2019?page=3&per_page=2"
    session = FakeSession(
        {
            URL_0680: [FakeResponse(payload=page([record("N1", "0680", 2019, ("T", 1))], p2))],
            p2: [FakeResponse(payload=page([record("N2", "0680", 2019, ("M", 2))], p3))],
            p3: [FakeResponse(payload=page([record("N3", "0680", 2019, ("K", 3))], None))],
        }
    )
    kolada = client(session, timeout=12)
    frame = kolada.fetch_values(["N01951"], ["0680"], [2019])
    assert frame.select("kpi", "kon", "varde", "source_row").rows() == [
        ("N1", "T", 1.0, 1),
        ("N2", "M", 2.0, 2),
        ("N3", "K", 3.0, 3),
    ]
    assert [url for url, _, _ in session.calls] == [URL_0680, p2, p3]
    assert session.calls[1][0] == p2  # the second page was requested by its next_url
    assert all(timeout == 12 for _, _, timeout in session.calls)


def test_next_page_key_and_relative_link_are_followed():
    p2 = f"{BASE}/data/kpi/N01951/municipality/0680/year/2019?page=2"
    session = FakeSession(
        {
            URL_0680: [
                FakeResponse(
                    payload=page(
                        [record("N1", "0680", 2019, ("T", 1))],
                        "/v3/data/kpi/N01951/municipality/0680/year/2019?page=2",
                        key="next_page",
                    )
                )
            ],
            p2: [FakeResponse(payload=page([record("N2", "0680", 2019, ("T", 2))], None, "x"))],
        }
    )
    kolada = client(session)
    pages = kolada.fetch_raw_pages(["N01951"], ["0680"], [2019])
    assert [p["values"][0]["kpi"] for p in pages] == ["N1", "N2"]
    assert session.calls[1][0] == p2


def test_404_is_not_retried_and_names_the_status():
    session = FakeSession({URL_0680: [FakeResponse(404, text="Not found")]})
    kolada = client(session)
    with pytest.raises(FetchError, match="HTTP 404"):
        kolada.fetch_values(["N01951"], ["0680"], [2019])
    assert len(session.calls) == 1


def test_a_next_url_on_another_host_is_never_requested():
    session = FakeSession(
        {
            URL_0680: [
                FakeResponse(
                    payload=page(
                        [record("N1", "0680", 2019, ("T", 1))],
                        "https://elsewhere.invalid/v3/data/kpi/N01951?page=2",
                    )
                )
            ]
        }
    )
    kolada = client(session)
    with pytest.raises(FetchError, match="elsewhere.invalid.*konfigurerade adressen"):
        kolada.fetch_raw_pages(["N01951"], ["0680"], [2019])
    assert [url for url, _, _ in session.calls] == [URL_0680]


def test_30_kpis_are_split_into_25_and_5():
    kpis = [f"N{i:05d}" for i in range(30)]

    def answer(url):
        ids = url.split("/data/kpi/")[1].split("/")[0].split(",")
        return FakeResponse(payload=page([record(k, "0680", 2024, ("T", 1)) for k in ids]))

    session = FakeSession(answer)
    kolada = client(session)
    frame = kolada.fetch_values(kpis, ["0680"], [2024])
    segments = [url.split("/data/kpi/")[1].split("/")[0].split(",") for url, _, _ in session.calls]
    assert [len(s) for s in segments] == [25, 5]
    assert segments[0] + segments[1] == kpis
    assert frame["kpi"].to_list() == kpis
    assert frame["source_row"].to_list() == list(range(1, 31))


def test_municipalities_are_chunked_too_and_ids_validated():
    kommuner = [f"{i:04d}" for i in range(100, 160)]  # 60 ids -> 25 + 25 + 10
    urls = KoladaClient(base_url=BASE, session=FakeSession({})).request_urls(
        ["N1", "N2"], kommuner, [2023, 2024]
    )
    counts = [len(u.split("/municipality/")[1].split("/")[0].split(",")) for u in urls]
    assert counts == [25, 25, 10]
    assert all(u.endswith("/year/2023,2024") for u in urls)
    with pytest.raises(ValueError, match="kommun-id"):
        KoladaClient(base_url=BASE, session=FakeSession({})).request_urls(["N1"], ["680"], [2024])


def test_a_page_linking_to_itself_stops():
    session = FakeSession(
        lambda url: FakeResponse(payload=page([record("N1", "0680", 2019, ("T", 1))], URL_0680))
    )
    kolada = client(session)
    with pytest.raises(FetchError, match="slinga"):
        kolada.fetch_raw_pages(["N01951"], ["0680"], [2019])
    assert len(session.calls) == 1


def test_bad_answer_from_api_is_a_source_error():
    session = FakeSession(
        {URL_0680: [FakeResponse(payload=page([record("N1", "0680", 2019, ("Q", 1))]))]}
    )
    kolada = client(session)
    with pytest.raises(SourceError) as exc:
        kolada.fetch_values(["N01951"], ["0680"], [2019])
    assert exc.value.problems[0].column == "gender"
