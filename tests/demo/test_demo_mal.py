"""Goals, Kolada answers, own measures, assumptions and the risk register of the demo."""

from __future__ import annotations

import json
from collections import Counter

import yaml
from demo_lasare import las_frame

MAL_KOLUMNER = {"id", "niva", "org", "ar", "titel", "perspektiv", "foralder"}
INDIKATOR_KOLUMNER = {"mal", "indikator", "kalla", "riktning", "utgangsvarde", "malvarde"}


def _register(inbox) -> dict:
    return yaml.safe_load((inbox / "mal_2026.yaml").read_text(encoding="utf-8"))


def test_goal_register_has_the_contracts_columns_and_a_målkedja(inbox):
    reg = _register(inbox)
    assert set(reg) == {"mal", "indikatorer"}
    mal = {m["id"]: m for m in reg["mal"]}
    assert len(mal) == len(reg["mal"])
    for m in reg["mal"]:
        assert set(m) >= MAL_KOLUMNER
        assert m["ar"] == 2026
        assert m["perspektiv"] in {"medborgare", "ekonomi", "medarbetare", "hallbarhet"}
    kf = [m for m in reg["mal"] if m["niva"] == "kommun"]
    assert 3 <= len(kf) <= 4 and {m["org"] for m in kf} == {"KOMMUN"}
    assert all(m["foralder"] is None for m in kf)
    namnd = [m for m in reg["mal"] if m["niva"] == "namnd"]
    for m in namnd:
        assert mal[m["foralder"]]["niva"] == "kommun"
    per_namnd = Counter(m["org"] for m in namnd)
    assert all(1 <= n <= 3 for n in per_namnd.values())
    assert len(per_namnd) >= 10
    verksamhet = [m for m in reg["mal"] if m["niva"] == "verksamhet"]
    assert len(verksamhet) >= 2
    for m in verksamhet:
        assert mal[m["foralder"]]["niva"] == "namnd"


def test_exactly_one_goal_lacks_an_indicator(inbox):
    reg = _register(inbox)
    med = {i["mal"] for i in reg["indikatorer"]}
    utan = [m["id"] for m in reg["mal"] if m["id"] not in med]
    assert utan == ["OFN1"]
    ids = {m["id"] for m in reg["mal"]}
    for ind in reg["indikatorer"]:
        assert set(ind) == INDIKATOR_KOLUMNER
        assert ind["mal"] in ids
        assert ind["kalla"] in {"kolada", "scb", "egen"}
        assert ind["riktning"] in {"hogre", "lagre"}
        assert isinstance(ind["utgangsvarde"], float) and isinstance(ind["malvarde"], float)


def test_kolada_answers_have_the_v3_shape(inbox):
    svar = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(inbox.glob("kolada_*"))]
    assert len(svar) == 2
    kpier, kommuner, nulls = set(), set(), 0
    for s in svar:
        assert set(s) == {"count", "values", "next_url"} and s["next_url"] is None
        assert s["count"] == len(s["values"])
        for post in s["values"]:
            assert set(post) == {"kpi", "municipality", "period", "values"}
            assert 2019 <= post["period"] <= 2025
            kpier.add(post["kpi"])
            kommuner.add(post["municipality"])
            for v in post["values"]:
                assert set(v) == {"gender", "status", "value", "count"}
                assert v["gender"] in {"T", "K", "M"}
                nulls += v["value"] is None
    assert 8 <= len(kpier) <= 10
    assert kommuner == {"0680", "0580", "0581", "0780", "1880", "1980"}
    assert nulls > 0
    invanare = next(
        p
        for s in svar
        for p in s["values"]
        if (p["kpi"], p["municipality"], p["period"]) == ("N01951", "0680", 2019)
    )
    assert {v["gender"]: v["value"] for v in invanare["values"]} == {
        "T": 141_081, "M": 70_816, "K": 70_265,
    }  # fmt: skip


def test_goal_indicators_have_values_to_follow(inbox):
    reg = _register(inbox)
    egna = las_frame(next(inbox.glob("indikator_*")))
    assert set(egna.columns) == {"indikator", "org", "period", "varde"}
    kanda = set(egna["indikator"])
    kolada = {
        p["kpi"]
        for path in inbox.glob("kolada_*")
        for p in json.loads(path.read_text(encoding="utf-8"))["values"]
    }
    saknas = {i["indikator"] for i in reg["indikatorer"] if i["indikator"] not in kanda | kolada}
    assert saknas == {"VALDELTAGANDE"}  # no value yet: the product shows "saknar värde"
    sjuk = egna.filter(egna["indikator"] == "SJUKFRANVARO")
    assert {"KOMMUN", "AEN", "SOC", "BUN"} <= set(sjuk["org"])


def test_assumptions_cover_the_projection_years(inbox):
    a = las_frame(next(inbox.glob("antaganden_*")))
    assert set(a.columns) == {"ar", "parameter", "varde", "kalla"}
    assert set(a["parameter"]) == {
        "skatteunderlag_tillvaxt", "pkv", "skattesats", "statsbidrag_per_inv",
        "real_kostnadsdrift", "finansnetto", "balanskrav_undantag", "resultatreserv_reservation",
        "resultatreserv_disposition",
    }  # fmt: skip
    # History years too: the projection's base year and its backtest need them.
    assert sorted(set(a["ar"])) == [str(x) for x in range(2022, 2037)]
    assert a.height == 15 * 6 + 5 * 3  # the balanskrav parameters for the ledger years only
    assert set(a.filter(a["parameter"] == "skattesats")["varde"]) == {"21,64"}
    assert all(k for k in a["kalla"])


def test_risk_register_has_two_to_four_risks_per_nämnd(inbox):
    r = las_frame(next(inbox.glob("risk_*")))
    per_namnd = Counter(r["namnd"])
    assert len(per_namnd) >= 10
    assert all(2 <= n <= 4 for n in per_namnd.values())
    assert set(r["sannolikhet"]) <= set("12345") and set(r["konsekvens"]) <= set("12345")
    assert set(r["ar"]) == {"2026"}
