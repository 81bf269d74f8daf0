"""Budget follow-up in the demo: who overspends, forecasts, the åtgärdsplan, the organisation."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from demo_lasare import (
    las_budget,
    las_frame,
    las_organisation,
    las_periodisering,
    las_utfall,
    ore_uttryck,
)

from pipelines.lib.demo import generate_demo


def _org_for_dag(organisation: pl.DataFrame, dag: date) -> pl.DataFrame:
    """ansvar → nämnd on a day: the ansvar's latest row from on or before it, unless its
    explicit giltig_tom has passed (a row without one runs until the next row)."""
    return (
        organisation.filter(pl.col("giltig_from") <= dag)
        .sort("giltig_from")
        .group_by("ansvar")
        .agg(pl.col("namnd").last(), pl.col("giltig_tom").last())
        .filter(pl.col("giltig_tom").is_null() | (pl.col("giltig_tom") >= dag))
        .select("ansvar", "namnd")
    )


def _org_for_ar(organisation: pl.DataFrame, ar: int) -> pl.DataFrame:
    """ansvar → nämnd on 1 January of the year."""
    return _org_for_dag(organisation, date(ar, 1, 1))


def _org_per_manad(organisation: pl.DataFrame, ar: int) -> pl.DataFrame:
    """ansvar, manad → nämnd: a month belongs to the organisation on its first day."""
    return pl.concat(
        _org_for_dag(organisation, date(ar, m, 1)).with_columns(pl.lit(m).alias("manad"))
        for m in range(1, 13)
    )


def _budgetnamnd(organisation: pl.DataFrame, ar: int) -> pl.DataFrame:
    """ansvar → the nämnd its budget rows of the year belong to: on 1 January, or on its first
    day if it starts later in the year."""
    per_manad = _org_per_manad(organisation, ar).sort("manad")
    return per_manad.group_by("ansvar").agg(pl.col("namnd").first())


def _budget_i_kraft(budget: pl.DataFrame, ar: int, manad: int = 12) -> pl.DataFrame:
    """The year's budget in force at a month: internbudget (else KF), replaced for the ansvar
    of a dated revision decided by the end of the month."""
    b = budget.filter(pl.col("ar") == ar)
    versioner = set(b["version"])
    bas = b.filter(pl.col("version") == ("internbudget" if "internbudget" in versioner else "KF"))
    sista = date(ar, manad, 28).isoformat()  # the revisions are decided mid-month
    rev = b.filter(
        (pl.col("version").str.to_lowercase() == "reviderad") & (pl.col("beslutsdatum") <= sista)
    )
    bas = bas.filter(~pl.col("ansvar").is_in(rev["ansvar"].implode()))
    return pl.concat([bas, rev])


def budget_placerad(
    budget, organisation, periodisering, ar: int, i_kraft_manad: int = 12
) -> pl.DataFrame:
    """namnd, manad, ore: the periodised budget (klass 3–7), each month in that month's nämnd,
    the key renormalised over the months the ansvar exists."""
    b = _budget_i_kraft(budget, ar, i_kraft_manad).filter(pl.col("klass").is_between(3, 7))
    b = b.with_row_index("rad").with_columns(
        pl.when(pl.col("nyckel") != "")
        .then(pl.col("nyckel"))
        .when(pl.col("klass") == 5)
        .then(pl.lit("PERSONAL"))
        .otherwise(pl.lit("JAMN"))
        .alias("nyckel")
    )
    andel = periodisering.filter(pl.col("ar") == ar).select("nyckel", "manad", "andel")
    if "JAMN" not in set(andel["nyckel"]):  # the standard even key, not delivered
        jamn = pl.DataFrame(
            {"nyckel": ["JAMN"] * 12, "manad": range(1, 13), "andel": [1 / 12] * 12}
        )
        andel = pl.concat([andel, jamn.cast(andel.schema)])
    rows = b.join(andel, on="nyckel").join(
        _org_per_manad(organisation, ar), on=["ansvar", "manad"], how="left"
    )
    assert rows.height == 12 * b.height
    rows = rows.with_columns(
        pl.when(pl.col("namnd").is_null()).then(0.0).otherwise(pl.col("andel")).alias("andel")
    ).with_columns((pl.col("andel") / pl.col("andel").sum().over("rad")).alias("andel"))
    return rows.filter(pl.col("namnd").is_not_null()).select(
        "namnd", "manad", (pl.col("ore") * pl.col("andel")).alias("ore")
    )


def ack_per_namnd(utfall, budget, organisation, periodisering, ar: int, manad: int) -> dict:
    """Nämnd → (periodised budget ack, utfall ack) in öre, net cost klass 3–7."""
    placerad = budget_placerad(budget, organisation, periodisering, ar, manad)
    bud = (
        placerad.filter(pl.col("manad") <= manad)
        .group_by("namnd")
        .agg(pl.col("ore").sum().alias("budget"))
    )
    u = utfall.filter(
        (pl.col("ar") == ar) & (pl.col("manad") <= manad) & pl.col("klass").is_between(3, 7)
    ).join(_org_per_manad(organisation, ar), on=["ansvar", "manad"], how="left")
    assert u["namnd"].null_count() == 0
    ut = u.group_by("namnd").agg(pl.col("ore").sum().alias("utfall"))
    rows = bud.join(ut, on="namnd", how="full", coalesce=True).fill_null(0)
    return {n: (b_, u_) for n, b_, u_ in rows.select("namnd", "budget", "utfall").iter_rows()}


@pytest.fixture(scope="module")
def ack(utfall, budget, organisation, periodisering):
    def f(ar: int, manad: int) -> dict:
        return ack_per_namnd(utfall, budget, organisation, periodisering, ar, manad)

    return f


def _over(ack_map: dict) -> set[str]:
    return {n for n, (b, u) in ack_map.items() if u > b}


def test_two_nämnder_are_over_their_periodised_budget_at_the_last_period(ack, demo):
    summary, _ = demo
    ack_10 = ack(2026, 10)
    assert _over(ack_10) == set(summary.overspending_namnder) == {"SOC", "AEN"}
    for namnd in ("SOC", "AEN"):
        b, u = ack_10[namnd]
        assert 0.02 <= u / b - 1 <= 0.04, namnd


@pytest.mark.parametrize("seed", [1, 2])
def test_other_seeds_and_a_small_scale_overspend_the_same_way(tmp_path, seed):
    summary = generate_demo(tmp_path / "inkorg", scale=0.1, seed=seed)
    inbox, senare = summary.inbox, tmp_path / "senare"
    summary.deliver_later(senare)
    args = (las_utfall(inbox, senare), las_budget(inbox), las_organisation(inbox))
    periodisering = las_periodisering(inbox)
    assert _over(ack_per_namnd(*args, periodisering, 2026, 10)) == {"SOC", "AEN"}
    assert _over(ack_per_namnd(*args, periodisering, 2025, 12)) == set()


def test_the_overspending_grows_through_the_year(ack):
    for namnd in ("SOC", "AEN"):
        tidigt = [ack(2026, m)[namnd] for m in (1, 2, 3)]
        sent = ack(2026, 10)[namnd]
        assert max(u / b for b, u in tidigt) < sent[1] / sent[0]


def test_the_third_nämnd_is_over_in_spring_and_back_by_autumn(ack):
    assert "BUN" in _over(ack(2026, 4)) and "BUN" in _over(ack(2026, 5))
    assert "BUN" not in _over(ack(2026, 9)) and "BUN" not in _over(ack(2026, 10))


def test_no_nämnd_is_over_budget_in_the_closed_years(ack):
    for ar in range(2022, 2026):
        for manad in (1, 6, 12):
            assert _over(ack(ar, manad)) == set(), (ar, manad)


def test_internbudget_keeps_each_nämnds_net_frame(budget, organisation):
    org = _budgetnamnd(organisation, 2026)
    b = budget.filter(
        (pl.col("ar") == 2026)
        & pl.col("klass").is_between(3, 7)
        & pl.col("version").is_in(["KF", "internbudget"])
    ).join(org, on="ansvar")
    netto = (
        b.group_by("namnd", "version")
        .agg(pl.col("ore").sum())
        .pivot(on="version", index="namnd", values="ore")
    )
    assert (netto["KF"] == netto["internbudget"]).all()
    radvis = b.pivot(on="version", index=["ansvar", "verksamhet", "konto"], values="ore")
    assert (radvis["KF"] != radvis["internbudget"]).sum() > 10
    assert set(budget["ar"]) == set(range(2022, 2029))
    assert set(budget.filter(pl.col("ar") != 2026)["version"]) == {"KF"}
    assert set(budget.filter(pl.col("ar") == 2026)["version"]) == {
        "KF", "internbudget", "Reviderad",
    }  # fmt: skip
    assert {"PERSONAL", "JAMN", ""} <= set(budget["nyckel"])


def test_fin_carries_the_revenue_budget(budget, organisation):
    fin = set(organisation.filter(pl.col("namnd") == "FIN")["ansvar"])
    assert fin == {"90010", "90020", "90030"}
    klass8 = budget.filter(pl.col("klass") == 8)
    assert set(klass8["ansvar"]) <= fin
    assert klass8.filter(pl.col("konto").str.starts_with("80"))["ore"].sum() < 0


def _prognos(inbox) -> dict[tuple[str, str], int]:
    p = las_frame(inbox / "prognos_2026.csv").with_columns(ore_uttryck("prognos").alias("ore"))
    return {(r["period"], r["namnd"]): r["ore"] for r in p.iter_rows(named=True)}


def _arsbudget(budget, organisation, periodisering, manad: int) -> dict[str, int]:
    """Årsbudget per nämnd at a report month (öre, rounded): the budget in force then, each
    month in that month's nämnd."""
    placerad = budget_placerad(budget, organisation, periodisering, 2026, manad)
    summor = placerad.group_by("namnd").agg(pl.col("ore").sum())
    return {n: round(v) for n, v in summor.iter_rows()}


def test_forecasts_show_the_deficits_from_april_and_may(inbox, budget, organisation, periodisering):
    prognos = _prognos(inbox)
    namnder = {n for _, n in prognos}
    assert namnder == set(_arsbudget(budget, organisation, periodisering, 10))
    assert "IFO" not in namnder  # merged into SOC in 2025

    def underskott(manad: int) -> set[str]:
        arsbudget = _arsbudget(budget, organisation, periodisering, manad)
        return {n for n in namnder if prognos[(f"2026-{manad:02d}", n)] > arsbudget[n]}

    assert underskott(3) == set()
    assert underskott(4) == {"SOC", "BUN"}
    assert underskott(5) == {"SOC", "AEN", "BUN"}
    for manad in range(6, 11):
        assert underskott(manad) == {"SOC", "AEN"}, manad
    assert prognos[("2026-10", "SOC")] > prognos[("2026-06", "SOC")]
    # Tekniska nämnden forecasts on its revised budget from the month it is decided.
    fore = _arsbudget(budget, organisation, periodisering, 5)["TN"]
    efter = _arsbudget(budget, organisation, periodisering, 6)["TN"]
    assert efter - fore == 300_000_000  # +4 mnkr on one row, −1 mnkr on another
    # Without the revision the forecast would fall a little (a growing surplus); it rises.
    assert prognos[("2026-06", "TN")] - prognos[("2026-05", "TN")] > 150_000_000


def test_one_action_plan_decided_for_one_overspending_nämnd(inbox):
    planer = las_frame(inbox / "atgardsplan_2026.csv")
    assert planer.height == 1
    plan = planer.row(0, named=True)
    assert plan["namnd"] == "SOC"
    assert date.fromisoformat(plan["beslutsdatum"]) == date(2026, 5, 20)
    assert plan["diarienummer"] == "SOCN 2026/0123"
    assert plan["kommentar"]


def test_the_reorganisation_keeps_the_ansvar_codes(organisation):
    ifo = organisation.filter(pl.col("namnd") == "IFO")
    assert ifo.height >= 1
    assert set(ifo["giltig_tom"]) == {date(2024, 12, 31)}
    flyttade = organisation.filter(
        pl.col("ansvar").is_in(ifo["ansvar"].implode()) & (pl.col("namnd") == "SOC")
    )
    assert flyttade.height == ifo.height
    assert set(flyttade["giltig_from"]) == {date(2025, 1, 1)}
    assert flyttade["giltig_tom"].null_count() == flyttade.height
    # Every other ansvar but the one moving in 2026 has exactly one open-ended row.
    ovriga = organisation.filter(
        ~pl.col("ansvar").is_in(ifo["ansvar"].implode()) & (pl.col("ansvar") != "45999")
    )
    assert ovriga["ansvar"].n_unique() == ovriga.height
    assert ovriga["giltig_tom"].null_count() == ovriga.height
    assert organisation["ansvar"].str.contains(r"^\d{5}$").all()
    namnder = set(organisation["namnd"])
    assert namnder == {
        "KS", "BUN", "UAN", "SBN", "TN", "MHN", "SOC", "IFO", "AEN", "KFN", "VALN", "OFN",
        "KRIS", "FIN",
    }  # fmt: skip
    assert organisation["forvaltning"].n_unique() == 8


def test_every_ledger_and_budget_ansvar_is_in_the_organisation_for_its_period(
    utfall, budget, organisation
):
    for ar in range(2022, 2029):
        if ar <= 2026:
            org = _org_per_manad(organisation, ar)
            u = utfall.filter(pl.col("ar") == ar).join(org, on=["ansvar", "manad"], how="anti")
            assert u.height == 0, ar
        kanda = set(_budgetnamnd(organisation, ar)["ansvar"])
        assert set(budget.filter(pl.col("ar") == ar)["ansvar"]) <= kanda, ar


def test_a_unit_moves_between_nämnder_on_1_may(organisation, utfall, budget):
    rader = organisation.filter(pl.col("ansvar") == "45999").sort("giltig_from")
    assert rader["namnd"].to_list() == ["TN", "KFN"]
    assert rader["forvaltning"].to_list() == ["TEK", "KOF"]
    assert rader["giltig_from"].to_list() == [date(2022, 1, 1), date(2026, 5, 1)]
    # No giltig_tom: the second row ends the first.
    assert rader["giltig_tom"].null_count() == 2
    org = _org_per_manad(organisation, 2026).filter(pl.col("ansvar") == "45999")
    assert dict(org.select("manad", "namnd").iter_rows()) == {
        m: "TN" if m < 5 else "KFN" for m in range(1, 13)
    }
    # A real unit: ledger every month and a budget, which is Tekniska nämnden's (1 January).
    u = utfall.filter((pl.col("ansvar") == "45999") & (pl.col("ar") == 2026))
    assert set(u["manad"]) == set(range(1, 11))
    assert budget.filter((pl.col("ansvar") == "45999") & (pl.col("ar") == 2026))["ore"].sum() > 0


def test_a_new_unit_starts_on_1_july(organisation, utfall, budget):
    rader = organisation.filter(pl.col("ansvar") == "40999")
    assert rader.height == 1
    assert rader.row(0, named=True)["giltig_from"] == date(2026, 7, 1)
    assert rader.row(0, named=True)["namnd"] == "SBN"
    u = utfall.filter(pl.col("ansvar") == "40999")
    assert u.height > 0 and set(u["period"]) == {"2026-07", "2026-08", "2026-09", "2026-10"}
    b = budget.filter(pl.col("ansvar") == "40999")
    assert set(b["ar"]) == {2026, 2027, 2028}  # an annual budget, no earlier years
    assert b.filter((pl.col("ar") == 2026) & pl.col("klass").is_between(3, 7))["ore"].sum() > 0


def test_the_revised_budget_holds_one_nämnds_whole_budget(inbox, budget, organisation):
    path = inbox / "budget_2026_tn_reviderad.csv"
    rev = las_frame(path)
    assert set(rev["version"]) == {"Reviderad"}
    assert set(rev["beslutsdatum"]) == {"2026-06-15"}
    assert set(rev["ar"]) == {"2026"}
    namnd = _budgetnamnd(organisation, 2026)
    tn = set(namnd.filter(pl.col("namnd") == "TN")["ansvar"])
    assert set(rev["ansvar"]) == tn  # only TN's ansvar, all of them
    ib = budget.filter(
        (pl.col("ar") == 2026) & (pl.col("version") == "internbudget") & pl.col("ansvar").is_in(tn)
    )
    r = budget.filter(pl.col("fil") == path.name)
    keys = ["ansvar", "verksamhet", "konto"]
    diff = ib.join(r, on=keys, how="full", coalesce=True, suffix="_r").filter(
        pl.col("ore").fill_null(0) != pl.col("ore_r").fill_null(0)
    )
    assert sorted((diff["ore_r"] - diff["ore"]).to_list()) == [-100_000_000, 400_000_000]
    assert "45999" not in set(diff["ansvar"])  # the moving unit's rows are unchanged
