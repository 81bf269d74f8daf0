"""Goals, Kolada answers, own measures, assumptions and the risk register of the demo."""

from __future__ import annotations

import json
from collections import Counter

import yaml
from demo_readers import read_frame

GOAL_COLUMNS = {"id", "niva", "org", "ar", "titel", "perspektiv", "foralder"}
INDIKATOR_COLUMNS = {"mal", "indikator", "kalla", "riktning", "utgangsvarde", "malvarde"}


def _register(inbox) -> dict:
    return yaml.safe_load((inbox / "mal_2026.yaml").read_text(encoding="utf-8"))


def test_goal_register_has_the_contracts_columns_and_a_malkedja(inbox):
    register = _register(inbox)
    assert set(register) == {"mal", "indikatorer"}
    goals_by_id = {m["id"]: m for m in register["mal"]}
    assert len(goals_by_id) == len(register["mal"])
    for m in register["mal"]:
        assert set(m) >= GOAL_COLUMNS
        assert m["ar"] == 2026
        assert m["perspektiv"] in {"medborgare", "ekonomi", "medarbetare", "hallbarhet"}
    kf = [m for m in register["mal"] if m["niva"] == "kommun"]
    assert 3 <= len(kf) <= 4 and {m["org"] for m in kf} == {"KOMMUN"}
    assert all(m["foralder"] is None for m in kf)
    namnd = [m for m in register["mal"] if m["niva"] == "namnd"]
    for m in namnd:
        assert goals_by_id[m["foralder"]]["niva"] == "kommun"
    per_namnd = Counter(m["org"] for m in namnd)
    assert all(1 <= n <= 3 for n in per_namnd.values())
    assert len(per_namnd) >= 10
    verksamhet = [m for m in register["mal"] if m["niva"] == "verksamhet"]
    assert len(verksamhet) >= 2
    for m in verksamhet:
        assert goals_by_id[m["foralder"]]["niva"] == "namnd"


def test_exactly_one_goal_lacks_an_indicator(inbox):
    register = _register(inbox)
    with_indicator = {i["mal"] for i in register["indikatorer"]}
    without = [m["id"] for m in register["mal"] if m["id"] not in with_indicator]
    assert without == ["OFN1"]
    ids = {m["id"] for m in register["mal"]}
    for indicator in register["indikatorer"]:
        assert set(indicator) == INDIKATOR_COLUMNS
        assert indicator["mal"] in ids
        assert indicator["kalla"] in {"kolada", "scb", "egen"}
        assert indicator["riktning"] in {"hogre", "lagre"}
        assert isinstance(indicator["utgangsvarde"], float) and isinstance(
            indicator["malvarde"], float
        )


def test_kolada_answers_have_the_v3_shape(inbox):
    answers = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(inbox.glob("kolada_*"))]
    assert len(answers) == 2
    kpis, municipalities, nulls = set(), set(), 0
    for s in answers:
        assert set(s) == {"count", "values", "next_url"} and s["next_url"] is None
        assert s["count"] == len(s["values"])
        for post in s["values"]:
            assert set(post) == {"kpi", "municipality", "period", "values"}
            assert 2019 <= post["period"] <= 2025
            kpis.add(post["kpi"])
            municipalities.add(post["municipality"])
            for v in post["values"]:
                assert set(v) == {"gender", "status", "value", "count"}
                assert v["gender"] in {"T", "K", "M"}
                nulls += v["value"] is None
    assert 8 <= len(kpis) <= 10
    assert municipalities == {"0680", "0580", "0581", "0780", "1880", "1980"}
    assert nulls > 0
    inhabitants = next(
        p
        for s in answers
        for p in s["values"]
        if (p["kpi"], p["municipality"], p["period"]) == ("N01951", "0680", 2019)
    )
    assert {v["gender"]: v["value"] for v in inhabitants["values"]} == {
        "T": 141_081, "M": 70_816, "K": 70_265,
    }  # fmt: skip


def test_goal_indicators_have_values_to_follow(inbox):
    register = _register(inbox)
    own = read_frame(next(inbox.glob("indikator_*")))
    assert set(own.columns) == {"indikator", "org", "period", "varde"}
    known = set(own["indikator"])
    kolada = {
        p["kpi"]
        for path in inbox.glob("kolada_*")
        for p in json.loads(path.read_text(encoding="utf-8"))["values"]
    }
    missing = {
        i["indikator"] for i in register["indikatorer"] if i["indikator"] not in known | kolada
    }
    assert missing == {"VALDELTAGANDE"}  # no value yet: the product shows "saknar värde"
    sick_leave = own.filter(own["indikator"] == "SJUKFRANVARO")
    assert {"KOMMUN", "AEN", "SOC", "BUN"} <= set(sick_leave["org"])


def test_assumptions_cover_the_projection_years(inbox):
    a = read_frame(next(inbox.glob("antaganden_*")))
    assert set(a.columns) == {"ar", "parameter", "varde", "kalla"}
    assert set(a["parameter"]) == {
        "skatteunderlag_tillvaxt", "pkv", "skattesats", "statsbidrag_per_inv",
        "real_kostnadsdrift", "finansnetto", "befolkning_riket_tillvaxt", "laneskuld",
        "ranta", "balanskrav_undantag", "resultatreserv_reservation", "resultatreserv_disposition",
    }  # fmt: skip
    # History years too: the projection's base year and its backtest need them.
    assert sorted(set(a["ar"])) == [str(x) for x in range(2022, 2037)]
    assert a.height == 15 * 9 + 5 * 3  # the balanskrav parameters for the ledger years only
    assert set(a.filter(a["parameter"] == "skattesats")["varde"]) == {"21,64"}
    assert all(k for k in a["kalla"])


def test_risk_register_has_two_to_four_risks_per_namnd(inbox):
    r = read_frame(next(inbox.glob("risk_*")))
    per_namnd = Counter(r["namnd"])
    assert len(per_namnd) >= 10
    assert all(2 <= n <= 4 for n in per_namnd.values())
    assert set(r["sannolikhet"]) <= set("12345") and set(r["konsekvens"]) <= set("12345")
    assert set(r["ar"]) == {"2026"}
