"""Budget follow-up in the demo: who overspends, forecasts, the åtgärdsplan, the organisation."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from demo_readers import (
    ore_expr,
    read_budget,
    read_frame,
    read_organisation,
    read_periodisering,
    read_utfall,
)

from pipelines.lib.demo import generate_demo


def _org_on_day(organisation: pl.DataFrame, day: date) -> pl.DataFrame:
    """ansvar → nämnd on a day: the ansvar's latest row from on or before it, unless its
    explicit giltig_tom has passed (a row without one runs until the next row)."""
    return (
        organisation.filter(pl.col("giltig_from") <= day)
        .sort("giltig_from")
        .group_by("ansvar")
        .agg(pl.col("namnd").last(), pl.col("giltig_tom").last())
        .filter(pl.col("giltig_tom").is_null() | (pl.col("giltig_tom") >= day))
        .select("ansvar", "namnd")
    )


def _org_in_year(organisation: pl.DataFrame, year: int) -> pl.DataFrame:
    """ansvar → nämnd on 1 January of the year."""
    return _org_on_day(organisation, date(year, 1, 1))


def _org_per_month(organisation: pl.DataFrame, year: int) -> pl.DataFrame:
    """ansvar, manad → nämnd: a month belongs to the organisation on its first day."""
    return pl.concat(
        _org_on_day(organisation, date(year, m, 1)).with_columns(pl.lit(m).alias("manad"))
        for m in range(1, 13)
    )


def _budget_namnd(organisation: pl.DataFrame, year: int) -> pl.DataFrame:
    """ansvar → the nämnd its budget rows of the year belong to: on 1 January, or on its first
    day if it starts later in the year."""
    per_month = _org_per_month(organisation, year).sort("manad")
    return per_month.group_by("ansvar").agg(pl.col("namnd").first())


def _budget_in_force(budget: pl.DataFrame, year: int, month: int = 12) -> pl.DataFrame:
    """The year's budget in force at a month: internbudget (else KF), replaced for the ansvar
    of a dated revision decided by the end of the month."""
    b = budget.filter(pl.col("ar") == year)
    versions = set(b["version"])
    base = b.filter(pl.col("version") == ("internbudget" if "internbudget" in versions else "KF"))
    last_day = date(year, month, 28).isoformat()  # the revisions are decided mid-month
    rev = b.filter(
        (pl.col("version").str.to_lowercase() == "reviderad") & (pl.col("beslutsdatum") <= last_day)
    )
    base = base.filter(~pl.col("ansvar").is_in(rev["ansvar"].implode()))
    return pl.concat([base, rev])


def placed_budget(
    budget, organisation, periodisering, year: int, in_force_month: int = 12
) -> pl.DataFrame:
    """namnd, manad, ore: the periodised budget (klass 3–7), each month in that month's nämnd,
    the key renormalised over the months the ansvar exists."""
    b = _budget_in_force(budget, year, in_force_month).filter(pl.col("klass").is_between(3, 7))
    b = b.with_row_index("rad").with_columns(
        pl.when(pl.col("nyckel") != "")
        .then(pl.col("nyckel"))
        .when(pl.col("klass") == 5)
        .then(pl.lit("PERSONAL"))
        .otherwise(pl.lit("JAMN"))
        .alias("nyckel")
    )
    share = periodisering.filter(pl.col("ar") == year).select("nyckel", "manad", "andel")
    if "JAMN" not in set(share["nyckel"]):  # the standard even key, not delivered
        even = pl.DataFrame(
            {"nyckel": ["JAMN"] * 12, "manad": range(1, 13), "andel": [1 / 12] * 12}
        )
        share = pl.concat([share, even.cast(share.schema)])
    rows = b.join(share, on="nyckel").join(
        _org_per_month(organisation, year), on=["ansvar", "manad"], how="left"
    )
    assert rows.height == 12 * b.height
    rows = rows.with_columns(
        pl.when(pl.col("namnd").is_null()).then(0.0).otherwise(pl.col("andel")).alias("andel")
    ).with_columns((pl.col("andel") / pl.col("andel").sum().over("rad")).alias("andel"))
    return rows.filter(pl.col("namnd").is_not_null()).select(
        "namnd", "manad", (pl.col("ore") * pl.col("andel")).alias("ore")
    )


def ytd_per_namnd(utfall, budget, organisation, periodisering, year: int, month: int) -> dict:
    """Nämnd → (periodised budget ack, utfall ack) in öre, net cost klass 3–7."""
    placed = placed_budget(budget, organisation, periodisering, year, month)
    bud = (
        placed.filter(pl.col("manad") <= month)
        .group_by("namnd")
        .agg(pl.col("ore").sum().alias("budget"))
    )
    u = utfall.filter(
        (pl.col("ar") == year) & (pl.col("manad") <= month) & pl.col("klass").is_between(3, 7)
    ).join(_org_per_month(organisation, year), on=["ansvar", "manad"], how="left")
    assert u["namnd"].null_count() == 0
    out = u.group_by("namnd").agg(pl.col("ore").sum().alias("utfall"))
    rows = bud.join(out, on="namnd", how="full", coalesce=True).fill_null(0)
    return {n: (b_, u_) for n, b_, u_ in rows.select("namnd", "budget", "utfall").iter_rows()}


@pytest.fixture(scope="module")
def ytd(utfall, budget, organisation, periodisering):
    def f(year: int, month: int) -> dict:
        return ytd_per_namnd(utfall, budget, organisation, periodisering, year, month)

    return f


def _over(ytd_map: dict) -> set[str]:
    return {n for n, (b, u) in ytd_map.items() if u > b}


def test_two_namnder_are_over_their_periodised_budget_at_the_last_period(ytd, demo):
    summary, _ = demo
    ytd_10 = ytd(2026, 10)
    assert _over(ytd_10) == set(summary.overspending_namnder) == {"SOC", "AEN"}
    for namnd in ("SOC", "AEN"):
        b, u = ytd_10[namnd]
        assert 0.02 <= u / b - 1 <= 0.04, namnd


@pytest.mark.parametrize("seed", [1, 2])
def test_other_seeds_and_a_small_scale_overspend_the_same_way(tmp_path, seed):
    summary = generate_demo(tmp_path / "inkorg", scale=0.1, seed=seed)
    inbox, later_folder = summary.inbox, tmp_path / "senare"
    summary.deliver_later(later_folder)
    args = (read_utfall(inbox, later_folder), read_budget(inbox), read_organisation(inbox))
    periodisering = read_periodisering(inbox)
    assert _over(ytd_per_namnd(*args, periodisering, 2026, 10)) == {"SOC", "AEN"}
    assert _over(ytd_per_namnd(*args, periodisering, 2025, 12)) == set()


def test_the_overspending_grows_through_the_year(ytd):
    for namnd in ("SOC", "AEN"):
        early = [ytd(2026, m)[namnd] for m in (1, 2, 3)]
        late = ytd(2026, 10)[namnd]
        assert max(u / b for b, u in early) < late[1] / late[0]


def test_the_third_namnd_is_over_in_spring_and_back_by_autumn(ytd):
    assert "BUN" in _over(ytd(2026, 4)) and "BUN" in _over(ytd(2026, 5))
    assert "BUN" not in _over(ytd(2026, 9)) and "BUN" not in _over(ytd(2026, 10))


def test_no_namnd_is_over_budget_in_the_closed_years(ytd):
    for year in range(2022, 2026):
        for month in (1, 6, 12):
            assert _over(ytd(year, month)) == set(), (year, month)


def test_internbudget_keeps_each_namnds_net_frame(budget, organisation):
    org = _budget_namnd(organisation, 2026)
    b = budget.filter(
        (pl.col("ar") == 2026)
        & pl.col("klass").is_between(3, 7)
        & pl.col("version").is_in(["KF", "internbudget"])
    ).join(org, on="ansvar")
    net = (
        b.group_by("namnd", "version")
        .agg(pl.col("ore").sum())
        .pivot(on="version", index="namnd", values="ore")
    )
    assert (net["KF"] == net["internbudget"]).all()
    per_row = b.pivot(on="version", index=["ansvar", "verksamhet", "konto"], values="ore")
    assert (per_row["KF"] != per_row["internbudget"]).sum() > 10
    assert set(budget["ar"]) == set(range(2022, 2029))
    assert set(budget.filter(pl.col("ar") != 2026)["version"]) == {"KF"}
    assert set(budget.filter(pl.col("ar") == 2026)["version"]) == {
        "KF", "internbudget", "Reviderad",
    }  # fmt: skip
    assert {"PERSONAL", "JAMN", ""} <= set(budget["nyckel"])


def test_fin_carries_the_revenue_budget(budget, organisation):
    fin = set(organisation.filter(pl.col("namnd") == "FIN")["ansvar"])
    assert fin == {"90010", "90020", "90030"}
    class8 = budget.filter(pl.col("klass") == 8)
    assert set(class8["ansvar"]) <= fin
    assert class8.filter(pl.col("konto").str.starts_with("80"))["ore"].sum() < 0


def _prognos(inbox) -> dict[tuple[str, str], int]:
    p = read_frame(inbox / "prognos_2026.csv").with_columns(ore_expr("prognos").alias("ore"))
    return {(r["period"], r["namnd"]): r["ore"] for r in p.iter_rows(named=True)}


def _annual_budget(budget, organisation, periodisering, month: int) -> dict[str, int]:
    """Årsbudget per nämnd at a report month (öre, rounded): the budget in force then, each
    month in that month's nämnd."""
    placed = placed_budget(budget, organisation, periodisering, 2026, month)
    sums = placed.group_by("namnd").agg(pl.col("ore").sum())
    return {n: round(v) for n, v in sums.iter_rows()}


def test_forecasts_show_the_deficits_from_april_and_may(inbox, budget, organisation, periodisering):
    prognos = _prognos(inbox)
    namnder = {n for _, n in prognos}
    assert namnder == set(_annual_budget(budget, organisation, periodisering, 10))
    assert "IFO" not in namnder  # merged into SOC in 2025

    def deficits(month: int) -> set[str]:
        annual_budget = _annual_budget(budget, organisation, periodisering, month)
        return {n for n in namnder if prognos[(f"2026-{month:02d}", n)] > annual_budget[n]}

    assert deficits(3) == set()
    assert deficits(4) == {"SOC", "BUN"}
    assert deficits(5) == {"SOC", "AEN", "BUN"}
    for month in range(6, 11):
        assert deficits(month) == {"SOC", "AEN"}, month
    assert prognos[("2026-10", "SOC")] > prognos[("2026-06", "SOC")]
    # Tekniska nämnden forecasts on its revised budget from the month it is decided.
    before = _annual_budget(budget, organisation, periodisering, 5)["TN"]
    after = _annual_budget(budget, organisation, periodisering, 6)["TN"]
    assert after - before == 300_000_000  # +4 mnkr on one row, −1 mnkr on another
    # Without the revision the forecast would fall a little (a growing surplus); it rises.
    assert prognos[("2026-06", "TN")] - prognos[("2026-05", "TN")] > 150_000_000


def test_one_action_plan_decided_for_one_overspending_namnd(inbox):
    plans = read_frame(inbox / "atgardsplan_2026.csv")
    assert plans.height == 1
    plan = plans.row(0, named=True)
    assert plan["namnd"] == "SOC"
    assert date.fromisoformat(plan["beslutsdatum"]) == date(2026, 5, 20)
    assert plan["diarienummer"] == "SOCN 2026/0123"
    assert plan["kommentar"]


def test_the_reorganisation_keeps_the_ansvar_codes(organisation):
    ifo = organisation.filter(pl.col("namnd") == "IFO")
    assert ifo.height >= 1
    assert set(ifo["giltig_tom"]) == {date(2024, 12, 31)}
    moved = organisation.filter(
        pl.col("ansvar").is_in(ifo["ansvar"].implode()) & (pl.col("namnd") == "SOC")
    )
    assert moved.height == ifo.height
    assert set(moved["giltig_from"]) == {date(2025, 1, 1)}
    assert moved["giltig_tom"].null_count() == moved.height
    # Every other ansvar but the one moving in 2026 has exactly one open-ended row.
    others = organisation.filter(
        ~pl.col("ansvar").is_in(ifo["ansvar"].implode()) & (pl.col("ansvar") != "45999")
    )
    assert others["ansvar"].n_unique() == others.height
    assert others["giltig_tom"].null_count() == others.height
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
    for year in range(2022, 2029):
        if year <= 2026:
            org = _org_per_month(organisation, year)
            u = utfall.filter(pl.col("ar") == year).join(org, on=["ansvar", "manad"], how="anti")
            assert u.height == 0, year
        known = set(_budget_namnd(organisation, year)["ansvar"])
        assert set(budget.filter(pl.col("ar") == year)["ansvar"]) <= known, year


def test_a_unit_moves_between_namnder_on_1_may(organisation, utfall, budget):
    rows = organisation.filter(pl.col("ansvar") == "45999").sort("giltig_from")
    assert rows["namnd"].to_list() == ["TN", "KFN"]
    assert rows["forvaltning"].to_list() == ["TEK", "KOF"]
    assert rows["giltig_from"].to_list() == [date(2022, 1, 1), date(2026, 5, 1)]
    # No giltig_tom: the second row ends the first.
    assert rows["giltig_tom"].null_count() == 2
    org = _org_per_month(organisation, 2026).filter(pl.col("ansvar") == "45999")
    assert dict(org.select("manad", "namnd").iter_rows()) == {
        m: "TN" if m < 5 else "KFN" for m in range(1, 13)
    }
    # A real unit: ledger every month and a budget, which is Tekniska nämnden's (1 January).
    u = utfall.filter((pl.col("ansvar") == "45999") & (pl.col("ar") == 2026))
    assert set(u["manad"]) == set(range(1, 11))
    assert budget.filter((pl.col("ansvar") == "45999") & (pl.col("ar") == 2026))["ore"].sum() > 0


def test_a_new_unit_starts_on_1_july(organisation, utfall, budget):
    rows = organisation.filter(pl.col("ansvar") == "40999")
    assert rows.height == 1
    assert rows.row(0, named=True)["giltig_from"] == date(2026, 7, 1)
    assert rows.row(0, named=True)["namnd"] == "SBN"
    u = utfall.filter(pl.col("ansvar") == "40999")
    assert u.height > 0 and set(u["period"]) == {"2026-07", "2026-08", "2026-09", "2026-10"}
    b = budget.filter(pl.col("ansvar") == "40999")
    assert set(b["ar"]) == {2026, 2027, 2028}  # an annual budget, no earlier years
    assert b.filter((pl.col("ar") == 2026) & pl.col("klass").is_between(3, 7))["ore"].sum() > 0


def test_the_revised_budget_holds_one_namnds_whole_budget(inbox, budget, organisation):
    path = inbox / "budget_2026_tn_reviderad.csv"
    rev = read_frame(path)
    assert set(rev["version"]) == {"Reviderad"}
    assert set(rev["beslutsdatum"]) == {"2026-06-15"}
    assert set(rev["ar"]) == {"2026"}
    namnd = _budget_namnd(organisation, 2026)
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
