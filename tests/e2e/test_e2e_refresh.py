"""End to end: the real CLI on the generated demo workspace, checked against an independent
computation over the same input files (plain polars and Decimal, none of the product's readers).

The demo refresh runs once per module (about a minute on 2 cores); tests that change the
workspace work on their own copy of it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from calendar import monthrange
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.lib.demo import generate_demo
from pipelines.lib.labels import label
from tests.conftest import DEMO_SCALE

pytestmark = pytest.mark.e2e
SCALE = DEMO_SCALE


def styrhjul(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("STYRHJUL_HOME", "DAGSTER_HOME")}
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args, "--home", str(home)],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )


def query(home: Path, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(home / "warehouse" / "styrhjul.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---- the independent computation -------------------------------------------------------------


def _text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def read_any(path: Path) -> pl.DataFrame:
    """All columns as text, lower-case ASCII headers."""
    if path.suffix == ".xlsx":
        frame = pl.read_excel(path)
        frame = frame.with_columns(pl.all().cast(pl.String))
    else:
        text = _text(path).replace("\r\n", "\n")
        header = text.split("\n", 1)[0]
        sep = max(";\t,", key=header.count)
        frame = pl.read_csv(text.encode(), separator=sep, infer_schema=False)
    table = str.maketrans("åäöÅÄÖ", "aaoAAO")
    return frame.rename({c: c.strip().lower().translate(table) for c in frame.columns})


def kronor(value: str) -> Decimal:
    text = value.strip().replace("\xa0", "").replace("\u202f", "").replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    return Decimal(text).quantize(Decimal("0.01"))


def period_of(value: str) -> str:
    digits = value.replace("-", "").strip()
    return f"{digits[:4]}-{digits[4:6]}"


# R1: a row is valid from giltig_from to its explicit giltig_tom, else to the day before the next
# row of the same ansvar, else open; a month belongs to the organisation on its first day.
def independent_organisation(src: Path) -> dict[str, list[tuple[date, date, str]]]:
    """ansvar → [(from, to inclusive, nämnd)], effective-dated."""
    rows: dict[str, list[tuple[date, date | None, str]]] = defaultdict(list)
    for r in read_any(next(src.glob("organisation_*"))).iter_rows(named=True):
        tom = (r.get("giltig_tom") or "").strip()
        fran = date.fromisoformat(r["giltig_from"])
        rows[r["ansvar"]].append((fran, date.fromisoformat(tom) if tom else None, r["namnd"]))
    dated: dict[str, list[tuple[date, date, str]]] = {}
    for ansvar, versions in rows.items():
        versions.sort(key=lambda v: v[0])
        out = []
        for i, (fran, tom, namnd) in enumerate(versions):
            if tom is None:
                tom = versions[i + 1][0] - timedelta(days=1) if i + 1 < len(versions) else date.max
            out.append((fran, tom, namnd))
        dated[ansvar] = out
    return dated


def namnd_on(org: dict, ansvar: str, day: date) -> str | None:
    hits = [n for f, t, n in org[ansvar] if f <= day <= t]
    assert len(hits) <= 1, (ansvar, day, hits)
    return hits[0] if hits else None


def deliveries(*folders: Path, prefix: str) -> list[Path]:
    """The files of each refresh (one folder each, in order), each refresh's in name order."""
    return [p for f in folders for p in sorted(f.glob(prefix + "*"), key=lambda p: p.name)]


def independent_ledger(*folders: Path) -> dict[tuple[str, str], Decimal]:
    """Net cost (classes 3–7) per (nämnd, period), per ('KOMMUN', period) without INT rows and
    per ('INTERN', period) of the INT rows alone. A later delivery of a period replaces it."""
    org = independent_organisation(folders[0])
    ledger: dict[str, list[dict]] = {}
    for path in deliveries(*folders, prefix="utfall_"):
        frame = read_any(path)
        by_period: dict[str, list[dict]] = defaultdict(list)
        for row in frame.iter_rows(named=True):
            by_period[period_of(row["period"])].append(row)
        ledger.update(by_period)
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for delivered, rows in ledger.items():
        # Period 13, the year-end closing entries, is a delivery of its own (it never replaces
        # December) and its net cost belongs to December.
        period = f"{delivered[:4]}-12" if delivered[5:] == "13" else delivered
        first_day = date(int(period[:4]), int(period[5:]), 1)
        for row in rows:
            if row["konto"].strip()[0] not in "34567":
                continue
            amount = kronor(row["belopp"])
            namnd = namnd_on(org, row["ansvar"], first_day)
            assert namnd is not None, (row["ansvar"], period)
            totals[(namnd, period)] += amount
            if (row.get("motpart") or "").strip() == "INT":
                totals[("INTERN", period)] += amount
            else:
                totals[("KOMMUN", period)] += amount
    return totals


RANK = {"kf": 1, "internbudget": 2, "reviderad": 3}


def round_ore(x: Fraction) -> Decimal:
    """Half away from zero, to the öre."""
    cents = int(abs(x) * 100 + Fraction(1, 2))
    return Decimal(cents if x >= 0 else -cents) / 100


def independent_budget_groups(src: Path, ar: int) -> dict[tuple, list[dict]]:
    """R2: the year's budget rows by (version, in force from, nämnd); a file replaces only the
    groups it contains. A row's nämnd is its ansvar's on 1 January (or on its first valid day
    in the year)."""
    org = independent_organisation(src)
    groups: dict[tuple, list[dict]] = {}
    for path in deliveries(src, prefix="budget_"):
        in_file: dict[tuple, list[dict]] = defaultdict(list)
        for row in read_any(path).iter_rows(named=True):
            if int(row["ar"]) != ar:
                continue
            version = (row.get("version") or "").strip().lower() or "kf"
            assert version in RANK, version
            beslut = (row.get("beslutsdatum") or "").strip()
            in_force = date.fromisoformat(beslut) if beslut else date(ar, 1, 1)
            days = sorted({date(ar, 1, 1)} | {f for f, _, _ in org[row["ansvar"]] if f.year == ar})
            namnd = next(n for d in days if (n := namnd_on(org, row["ansvar"], d)))
            in_file[(version, in_force, namnd)].append(row)
        groups.update(in_file)
    return groups


def shares(src: Path, ar: int) -> dict[str, list[Fraction]]:
    keys: dict[str, list[Fraction]] = defaultdict(lambda: [Fraction(0)] * 12)
    for r in read_any(src / f"periodisering_{ar}.csv").iter_rows(named=True):
        keys[r["nyckel"]][int(r["manad"]) - 1] = Fraction(r["andel"].replace(",", "."))
    # The standard even key (not delivered by the demo): exactly 1/12 a month.
    keys.setdefault("JAMN", [Fraction(1, 12)] * 12)
    return keys


def periodised(row: dict, keys: dict, org: dict, ar: int) -> list[tuple[str | None, Decimal]]:
    """R3: (nämnd of the month, budget of the month) for the 12 months of one budget row."""
    klass = row["konto"].strip()[0]
    key = (row.get("nyckel") or "").strip() or ("PERSONAL" if klass == "5" else "JAMN")
    namnder = [namnd_on(org, row["ansvar"], date(ar, m, 1)) for m in range(1, 13)]
    s = [k if n else Fraction(0) for k, n in zip(keys[key], namnder, strict=True)]
    total = sum(s)
    amount = Fraction(kronor(row["belopp"]))
    out, cum, before = [], Fraction(0), Decimal("0.00")
    for m in range(12):
        cum += s[m]
        now = round_ore(amount * cum / total)
        out.append((namnder[m], now - before))
        before = now
    return out


def independent_budgetavvikelse(*folders: Path, ar: int, months: range) -> dict:
    """(org, 'YYYY-MM') → budget_ack, utfall_ack, avvikelse_ack, arsbudget, helarsprognos and
    helarsavvikelse for every nämnd and 'KOMMUN', by R1–R5."""
    src = folders[0]
    org = independent_organisation(src)
    keys = shares(src, ar)
    groups = independent_budget_groups(src, ar)
    ledger = independent_ledger(*folders)
    placed = {
        g: [periodised(r, keys, org, ar) for r in rows if r["konto"].strip()[0] in "34567"]
        for g, rows in groups.items()
    }
    prognos: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for path in deliveries(*folders, prefix="prognos_"):
        for r in read_any(path).iter_rows(named=True):
            prognos[r["namnd"]][period_of(r["period"])] = kronor(r["prognos"])
    namnder = {n for (n, p) in ledger if n not in ("KOMMUN", "INTERN") and p.startswith(f"{ar}")}
    namnder |= {n for rows in placed.values() for row in rows for n, _ in row if n}
    namnder |= set(prognos)
    result = {}
    for m in months:
        period = f"{ar}-{m:02d}"
        last_day = date(ar, m, monthrange(ar, m)[1])
        in_force: dict[str, tuple] = {}
        for g in groups:
            version, beslut, namnd = g
            if beslut <= last_day and (
                namnd not in in_force or (RANK[version], beslut) > in_force[namnd][:2]
            ):
                in_force[namnd] = (RANK[version], beslut, g)
        budget: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal("0.00")] * 12)
        for _, _, g in in_force.values():
            for row in placed[g]:
                for i, (n, amount) in enumerate(row):
                    if n:
                        budget[n][i] += amount
        kommun: dict[str, Decimal] = defaultdict(Decimal)
        for n in namnder:
            b_ack, arsbudget = sum(budget[n][:m]), sum(budget[n])
            u_ack = sum(ledger.get((n, f"{ar}-{k:02d}"), Decimal(0)) for k in range(1, m + 1))
            delivered = [p for p in prognos.get(n, {}) if p.startswith(f"{ar}-") and p <= period]
            # R4: förvaltningens prognos in force, else budgetbaserad.
            official = prognos[n][max(delivered)] if delivered else u_ack + (arsbudget - b_ack)
            result[(n, period)] = {
                "budget_ack": b_ack,
                "utfall_ack": u_ack,
                "avvikelse_ack": b_ack - u_ack,
                "arsbudget": arsbudget,
                "helarsprognos": official,
                "helarsavvikelse": arsbudget - official,
            }
            kommun["budget_ack"] += b_ack
            kommun["arsbudget"] += arsbudget
            kommun["prognos"] += official
        u_ack = sum(ledger.get(("KOMMUN", f"{ar}-{k:02d}"), Decimal(0)) for k in range(1, m + 1))
        intern = sum(ledger.get(("INTERN", f"{ar}-{k:02d}"), Decimal(0)) for k in range(1, m + 1))
        prognos_kommun = kommun["prognos"] - intern  # R5: internal trade eliminated
        result[("KOMMUN", period)] = {
            "budget_ack": kommun["budget_ack"],
            "utfall_ack": u_ack,
            "avvikelse_ack": kommun["budget_ack"] - u_ack,
            "arsbudget": kommun["arsbudget"],
            "helarsprognos": prognos_kommun,
            "helarsavvikelse": kommun["arsbudget"] - prognos_kommun,
        }
    return result


# ---- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(published_demo, tmp_path_factory):
    """The demo municipality refreshed once through `styrhjul demo` (shared with other modules:
    read it, never change it), plus its input files."""
    root = tmp_path_factory.mktemp("e2e")
    src = root / "indata"
    summary = generate_demo(src, scale=SCALE)  # the same files the demo command writes
    later = root / "andra_leveransen"  # what the demo delivers to its second refresh
    summary.deliver_later(later)
    return {
        "home": published_demo["home"],
        "src": src,
        "folders": (src, later),
        "summary": summary,
        "stdout": published_demo["stdout"],
    }


@pytest.fixture
def copy_of(demo, tmp_path):
    """A private copy of the published demo workspace for tests that change it."""
    home = tmp_path / "ws"
    shutil.copytree(demo["home"], home, ignore=shutil.ignore_patterns("*.lock", "bygge"))
    return home


# ---- tests -----------------------------------------------------------------------------------


def test_demo_prints_the_warehouse_and_the_flagged_namnder(demo):
    out = demo["stdout"]
    assert "Publicerat lager:" in out and "Senaste period:   2026-10" in out
    flagged = query(
        demo["home"],
        "select namnd_namn from marts.atgardsplan where period = '2026-10' and flagga",
    )
    assert {name for (name,) in flagged}, "the demo has nämnder that need an åtgärdsplan"
    for (name,) in flagged:
        assert name in out
    codes = {
        c
        for (c,) in query(
            demo["home"], "select namnd from marts.atgardsplan where period = '2026-10' and flagga"
        )
    }
    assert set(demo["summary"].overspending_namnder) <= codes


def test_the_demo_delivers_the_correction_in_a_second_refresh(demo):
    assert demo["summary"].later_files == ["utfall_2026_09_rattelse.csv"]
    runs = query(
        demo["home"],
        "select source_file, list(distinct run_id) from raw.leveranser "
        "where source_file in ('utfall_2026.csv', 'utfall_2026_09_rattelse.csv') group by 1",
    )
    [[first], [second]] = [r for _, r in sorted(runs)]
    assert first != second  # two refreshes, the correction in the later one
    out = demo["stdout"]
    assert out.index("utfall_2026_09_rattelse.csv") < out.index("Publicerat lager:")


def test_runs_are_tagged_with_the_period_and_the_trigger(demo):
    import dagster as dg

    from pipelines.lib import stages

    instance = dg.DagsterInstance.from_config(str(demo["home"] / "dagster"))
    try:
        runs = instance.get_runs(filters=dg.RunsFilter(job_name=stages.JOB))
        tags = [run.tags for run in runs]
    finally:
        instance.dispose()
    # The demo's two refreshes and, between them, the run that closes 2025 (its December).
    assert len(tags) == 3
    assert {t[stages.TRIGGER_TAG] for t in tags} == {"cli"}
    assert sorted(t[stages.PERIOD_TAG] for t in tags) == ["2025-12", "2026-10", "2026-10"]


def test_raw_and_mart_assets_carry_their_row_counts_in_dagsters_key(demo):
    """The UI's row count column: dbt's tables (counted after dbt has let go of the file) and
    the intake's raw tables, equal to the published tables' rows."""
    import dagster as dg
    import duckdb

    instance = dg.DagsterInstance.from_config(str(demo["home"] / "dagster"))
    keys = [["marts", "budgetavvikelse"], ["marts", "fct_ekonomi_manad"], ["raw", "utfall"]]
    try:
        counts = {
            tuple(key): instance.get_latest_materialization_event(dg.AssetKey(key))
            .asset_materialization.metadata["dagster/row_count"]
            .value
            for key in keys
        }
    finally:
        instance.dispose()
    con = duckdb.connect(str(demo["home"] / "warehouse" / "styrhjul.duckdb"), read_only=True)
    try:
        for (schema, table), count in counts.items():
            assert count == con.execute(f"select count(*) from {schema}.{table}").fetchall()[0][0]
            assert count > 0
    finally:
        con.close()


def test_budgetavvikelse_matches_the_independent_computation(demo):
    ledger = independent_ledger(*demo["folders"])
    expected = {k: v for k, v in ledger.items() if k[0] != "INTERN"}
    rows = query(
        demo["home"],
        "select case when niva = 'kommun' then 'KOMMUN' else org end, period, utfall_manad "
        "from marts.budgetavvikelse where niva in ('kommun', 'namnd')",
    )
    actual = {(org, period): amount for org, period, amount in rows}
    nonzero = {k: v for k, v in expected.items() if v != 0}
    assert {k: actual.get(k) for k in nonzero} == nonzero
    # Every month of every nämnd, not just a sample: the mart has no other non-zero months.
    assert {k for k, v in actual.items() if v != 0} == set(nonzero)


def test_kommun_is_the_sum_of_the_namnder_and_of_the_ledger(demo):
    rows = query(
        demo["home"],
        """
        select period,
               sum(utfall_manad) filter (where niva = 'kommun'),
               sum(utfall_manad) filter (where niva = 'namnd')
        from marts.budgetavvikelse group by period
        """,
    )
    ledger = independent_ledger(*demo["folders"])
    unbalanced = set()
    for period, kommun, namnder in rows:
        intern = ledger.get(("INTERN", period), Decimal(0))
        assert kommun == ledger[("KOMMUN", period)], period
        assert namnder == kommun + intern, period  # the nämnder keep their internal trade
        if intern:
            unbalanced.add(period)
    assert unbalanced == {"2026-04"}  # the one month with a purchase no sale matches


MONTHS_2026 = range(1, 11)
COLUMNS = (
    "budget_ack", "utfall_ack", "avvikelse_ack", "arsbudget", "helarsprognos", "helarsavvikelse",
)  # fmt: skip


@pytest.fixture(scope="module")
def expected_2026(demo):
    return independent_budgetavvikelse(*demo["folders"], ar=2026, months=MONTHS_2026)


def mart_2026(demo) -> dict[tuple[str, str], dict[str, Decimal]]:
    rows = query(
        demo["home"],
        f"select case when niva = 'kommun' then 'KOMMUN' else org end, period, "
        f"{', '.join(COLUMNS)} from marts.budgetavvikelse "
        "where niva in ('kommun', 'namnd') and ar = 2026",
    )
    return {(r[0], r[1]): dict(zip(COLUMNS, r[2:], strict=True)) for r in rows}


def test_arsbudget_and_deviation_match_the_independent_computation(demo, expected_2026):
    """R1–R5 per nämnd and for the kommun, every month of 2026, to the öre."""
    actual = mart_2026(demo)
    zero = dict.fromkeys(COLUMNS, Decimal("0.00"))
    keys = set(expected_2026) | {k for k in actual if k[1] in expected_2026_periods()}
    mismatches = {
        k: (expected_2026.get(k, zero), actual.get(k))
        for k in sorted(keys)
        if expected_2026.get(k, zero) != actual.get(k, zero)
    }
    lines = [f"{k}: väntat {e}, fick {a}" for k, (e, a) in mismatches.items()]
    assert not mismatches, f"{len(lines)} avvikande:\n" + "\n".join(lines[:40])


def expected_2026_periods() -> set[str]:
    return {f"2026-{m:02d}" for m in MONTHS_2026}


def test_the_report_period_deviation_per_namnd(demo, expected_2026):
    """The report period alone, so a failure there is named on its own."""
    actual = mart_2026(demo)
    for (org, period), values in expected_2026.items():
        if period == "2026-10":
            assert actual.get((org, period)) == values, org


def test_atgardsplan_flags_a_negative_helarsavvikelse(demo, expected_2026):
    rows = query(
        demo["home"],
        "select namnd, period, flagga, helarsavvikelse from marts.atgardsplan where ar = 2026",
    )
    assert rows
    for namnd, period, flagga, helarsavvikelse in rows:
        expected = expected_2026[(namnd, period)]["helarsavvikelse"]
        assert helarsavvikelse == expected, (namnd, period)
        assert flagga == (expected < 0), (namnd, period)  # default tolerans 0


def test_the_moving_ansvar_counts_in_one_namnd_per_month(demo):
    rows = query(
        demo["home"],
        "select period, list(distinct namnd order by namnd) from marts.fct_ekonomi_manad "
        "where ansvar = '45999' and ar = 2026 and utfall <> 0 group by period order by period",
    )
    assert dict(rows) == {f"2026-{m:02d}": ["TN" if m < 5 else "KFN"] for m in MONTHS_2026}


def test_the_new_unit_has_no_budget_before_july(demo):
    org = independent_organisation(demo["src"])
    keys = shares(demo["src"], 2026)
    groups = independent_budget_groups(demo["src"], 2026)
    expected = [Decimal("0.00")] * 12
    for g, rows in groups.items():
        if g[0] == "internbudget":
            for r in rows:
                if r["ansvar"] == "40999" and r["konto"][0] in "34567":
                    for i, (_, amount) in enumerate(periodised(r, keys, org, 2026)):
                        expected[i] += amount
    assert expected[:6] == [0] * 6 and all(expected[6:])
    rows = query(
        demo["home"],
        "select manad, sum(budget) from marts.fct_ekonomi_manad where ansvar = '40999' "
        "and ar = 2026 and ingar_i_nettokostnad group by manad",
    )
    actual = {m: v for m, v in rows if v}
    assert actual == {m + 1: v for m, v in enumerate(expected) if v}


def test_the_revision_changes_one_namnds_arsbudget_from_june(demo, expected_2026):
    actual = mart_2026(demo)
    namnder = {org for org, _ in expected_2026 if org != "KOMMUN"}
    for namnd in namnder:
        per_month = [actual[(namnd, f"2026-{m:02d}")]["arsbudget"] for m in MONTHS_2026]
        if namnd == "TN":
            assert len(set(per_month[:5])) == 1 and len(set(per_month[5:])) == 1
            assert per_month[5] - per_month[4] == Decimal("3000000.00")
        else:
            assert len(set(per_month)) == 1, namnd  # untouched by TN's revision


def test_forecast_marts_are_published(demo):
    methods = {
        m
        for (m,) in query(demo["home"], "select distinct metod from marts.helarsprognos_precision")
    }
    # Förvaltningens prognoser exist only in the report year, so no closed year tests them.
    assert methods == {"statistisk", "takt", "budgetbaserad", "kombination"}
    [(namnder, nested, official)] = query(
        demo["home"],
        "select count(distinct namnd), "
        "count(*) filter (where helarsprognos_lag95 <= helarsprognos_lag80 "
        "and helarsprognos_lag80 <= helarsprognos_hog80 "
        "and helarsprognos_hog80 <= helarsprognos_hog95), count(*) filter (where officiell) "
        "from marts.helarsprognos_statistisk "
        "where period = (select max(period) from marts.helarsprognos_statistisk)",
    )
    # One official figure per nämnd, and every method's intervals nested (80 % inside 95 %).
    assert namnder >= 12 and official == namnder
    [(rows,)] = query(
        demo["home"],
        "select count(*) from marts.helarsprognos_statistisk where period = "
        "(select max(period) from marts.helarsprognos_statistisk)",
    )
    assert nested == rows
    scenarios = query(
        demo["home"], "select scenario, count(*) from marts.langtidsprognos group by 1 order by 1"
    )
    assert scenarios == [("bas", 10), ("hog", 10), ("lag", 10)]


def test_every_figure_traces_to_its_file_and_row(demo):
    [(missing,)] = query(
        demo["home"],
        "select count(*) from raw.utfall where source_file is null or source_row is null "
        "or file_sha256 is null",
    )
    assert missing == 0
    archived = {p.stem for p in (demo["home"] / "archive").iterdir()}
    shas = {s for (s,) in query(demo["home"], "select distinct file_sha256 from raw.leveranser")}
    assert shas <= archived
    assert not list((demo["home"] / "inbox").iterdir())  # loaded files leave the inbox


def test_rerun_on_the_same_inputs_gives_identical_marts(demo, copy_of):
    sql = "select * from marts.budgetavvikelse order by niva, org, period"
    before = query(copy_of, sql)
    result = styrhjul(copy_of, "refresh")
    assert result.returncode == 0, result.stderr
    assert query(copy_of, sql) == before


def test_redelivered_month_changes_exactly_that_month(demo, copy_of):
    sql = (
        "select org, period, utfall_manad from marts.budgetavvikelse "
        "where niva = 'namnd' order by 1, 2"
    )
    before = {(o, p): v for o, p, v in query(copy_of, sql)}
    # Re-deliver 2026-08: the same rows as delivered, one amount raised by 1 000,00 kr.
    frame = read_any(demo["src"] / "utfall_2026.csv").filter(pl.col("period") == "2026-08")
    first = frame.row(0, named=True)
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.lit(str(kronor(first["belopp"]) + 1000)))
        .otherwise(pl.col("belopp"))
        .alias("belopp")
    )
    frame.write_csv(copy_of / "inbox" / "utfall_2026-08_rattelse.csv", separator=";")
    result = styrhjul(copy_of, "refresh")
    assert result.returncode == 0, result.stderr
    after = {(o, p): v for o, p, v in query(copy_of, sql)}
    changed = {k for k in before if before[k] != after[k]}
    namnd = query(
        copy_of,
        "select namnd from marts.dim_organisation where ansvar = ? and galler_idag",
        [first["ansvar"]],
    )[0][0]
    assert changed == {(namnd, "2026-08")}
    assert after[(namnd, "2026-08")] - before[(namnd, "2026-08")] == Decimal("1000.00")


def test_a_bad_file_is_quarantined_and_nothing_is_published(demo, copy_of):
    published = copy_of / "warehouse" / "styrhjul.duckdb"
    digest = sha256(published)
    (copy_of / "inbox" / "utfall_2026-11.csv").write_text(
        "period;ansvar;verksamhet;konto;belopp\n202611;10010;100;5310;12,3,4\n", encoding="utf-8"
    )
    (copy_of / "inbox" / "prognos_2026-11.csv").write_text(
        "period;namnd;prognos\n2026-10;SOC;100\n", encoding="utf-8"
    )
    result = styrhjul(copy_of, "refresh")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "utfall_2026-11.csv" in result.stderr and "Inget publicerades" in result.stderr
    fel = copy_of / "quarantine" / "utfall_2026-11.csv.fel.txt"
    assert "Rad 2, kolumn belopp, värde '12,3,4'" in fel.read_text(encoding="utf-8")
    assert (copy_of / "inbox" / "prognos_2026-11.csv").exists()  # the good file waits
    assert sha256(published) == digest


def test_a_missing_month_of_the_report_year_stops_the_refresh(demo, copy_of):
    """December delivered while November is missing: exit 2 naming November; the file is not
    wrong, so it stays in the inbox and nothing is quarantined or published."""
    published = copy_of / "warehouse" / "styrhjul.duckdb"
    digest = sha256(published)
    december = copy_of / "inbox" / "utfall_2026-12.csv"
    december.write_text(
        "period;ansvar;verksamhet;konto;belopp\n202612;10010;100;5310;12,00\n", encoding="utf-8"
    )
    result = styrhjul(copy_of, "refresh")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Utfall saknas för 2026-11" in result.stderr
    assert "Traceback" not in result.stderr and "dbt" not in result.stderr
    assert december.exists() and not list((copy_of / "quarantine").glob("utfall_2026-12*"))
    assert sha256(published) == digest


def test_two_files_delivering_one_month_stop_the_refresh_and_stay(demo, copy_of):
    published = copy_of / "warehouse" / "styrhjul.duckdb"
    digest = sha256(published)
    header = "period;ansvar;verksamhet;konto;belopp\n"
    first = copy_of / "inbox" / "utfall_2026-11.csv"
    second = copy_of / "inbox" / "utfall_2026-11_rattelse.csv"
    first.write_text(header + "202611;10010;100;5310;12,00\n", encoding="utf-8")
    second.write_text(header + "202611;10010;100;5310;13,00\n", encoding="utf-8")
    result = styrhjul(copy_of, "refresh")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "utfall_2026-11.csv och utfall_2026-11_rattelse.csv" in result.stderr
    assert "en i taget" in result.stderr
    assert first.exists() and second.exists()
    assert not list((copy_of / "quarantine").glob("utfall_2026-11*"))
    assert sha256(published) == digest


def test_a_second_refresh_is_refused_while_one_runs(demo, copy_of):
    """The refresh lock (held by a run from its first to its last step) refuses a second
    writer with one Swedish sentence; the published warehouse is untouched."""
    import yaml

    from pipelines.lib.warehouse import build_db
    from pipelines.lib.workspace import Workspace

    ws = Workspace.resolve(copy_of)
    conf = yaml.safe_load(ws.config_file.read_text(encoding="utf-8")) or {}
    conf.setdefault("automatik", {})["vanta_pa_uppdatering_sekunder"] = 1
    ws.config_file.write_text(yaml.safe_dump(conf, allow_unicode=True), encoding="utf-8")
    published = copy_of / "warehouse" / "styrhjul.duckdb"
    digest = sha256(published)
    with build_db.refresh_lock(ws):
        # --full: with an empty inbox and a current warehouse a plain refresh has nothing to do
        # and needs no lock.
        result = styrhjul(copy_of, "refresh", "--full")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "En annan uppdatering av arbetsytan pågår; väntar" in result.stdout
    assert "pågår (väntade 1 s); inget ändrades" in result.stderr
    assert "Traceback" not in result.stderr
    assert sha256(published) == digest


def test_a_reader_holding_the_warehouse_open_never_blocks_a_refresh(demo, copy_of):
    published = copy_of / "warehouse" / "styrhjul.duckdb"
    reader = duckdb.connect(str(published), read_only=True)
    try:
        before = reader.execute("select count(*) from marts.budgetavvikelse").fetchall()
        result = styrhjul(copy_of, "refresh")
        assert result.returncode == 0, result.stderr
        # The open connection still reads a complete warehouse.
        assert reader.execute("select count(*) from marts.budgetavvikelse").fetchall() == before
    finally:
        reader.close()


def test_status_lists_the_open_flags(demo):
    result = styrhjul(demo["home"], "status")
    assert result.returncode == 0
    assert "Öppna åtgärdsplansflaggor:" in result.stdout
    flagged = query(
        demo["home"],
        "select namnd_namn, status from marts.atgardsplan where period = '2026-10' and flagga",
    )
    assert flagged
    for name, status in flagged:
        # The mart holds the code, the controller reads its label.
        line = next(row for row in result.stdout.splitlines() if name in row)
        assert f": {label('atgardsplan_status', status)}, " in line


def test_a_closed_period_keeps_what_was_reported(demo, copy_of):
    result = styrhjul(copy_of, "close", "--period", "2026-10")
    assert result.returncode == 0, result.stdout + result.stderr
    [(status, versions)] = query(
        copy_of, "select status, versioner from marts.perioder where period = '2026-10'"
    )
    assert (status, versions) == ("stangd", 1)
    reported = query(
        copy_of,
        "select org, utfall_ack from marts.budgetavvikelse_rapporterad "
        "where period = '2026-10' and niva = 'kommun' and version = 1",
    )
    # A later correction of the closed month becomes version 2; version 1 is unchanged.
    frame = read_any(demo["src"] / "utfall_2026.csv").filter(pl.col("period") == "2026-10")
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.lit("1000000,00"))
        .otherwise(pl.col("belopp"))
        .alias("belopp")
    )
    frame.write_csv(copy_of / "inbox" / "utfall_2026-10_rattelse.csv", separator=";")
    assert styrhjul(copy_of, "refresh").returncode == 0
    [(versions, corrected)] = query(
        copy_of,
        "select versioner, rattad_efter_stangning from marts.perioder where period = '2026-10'",
    )
    assert (versions, corrected) == (2, True)
    assert (
        query(
            copy_of,
            "select org, utfall_ack from marts.budgetavvikelse_rapporterad "
            "where period = '2026-10' and niva = 'kommun' and version = 1",
        )
        == reported
    )
