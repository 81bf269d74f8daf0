"""The demo's files: every input kind present, real-world shapes, determinism, scale, speed."""

from __future__ import annotations

import re
import time
from pathlib import Path

import openpyxl
import polars as pl
from demo_readers import read_frame, read_utfall

from pipelines.lib.demo import generate_demo

PREFIXES = (
    "utfall_", "budget_", "periodisering_", "prognos_", "organisation_", "atgardsplan_",
    "befolkning_", "kolada_", "indikator_", "mal_", "antaganden_", "investering_", "risk_",
    "analys_", "uppdrag_", "uppdragsstatus_",
)  # fmt: skip


def test_every_input_kind_of_the_contract_is_written(demo):
    summary, _ = demo
    names = sorted(p.name for p in summary.inbox.iterdir())
    assert names == summary.files
    for prefix in PREFIXES:
        assert any(n.startswith(prefix) for n in names), prefix
    for name in names:
        assert name.startswith(PREFIXES), name
        assert Path(name).suffix in (".csv", ".xlsx", ".json", ".yaml"), name


def test_same_arguments_give_byte_identical_files(demo, tmp_path):
    summary, _ = demo
    again = generate_demo(tmp_path / "igen")
    assert again.files == summary.files
    for name in summary.files:
        assert (tmp_path / "igen" / name).read_bytes() == (summary.inbox / name).read_bytes(), name
    assert again.later == summary.later


def test_another_seed_gives_other_amounts_but_the_same_shape(tmp_path):
    a = generate_demo(tmp_path / "a", scale=0.1, seed=1)
    b = generate_demo(tmp_path / "b", scale=0.1, seed=2)
    assert a.files == b.files
    assert (a.inbox / "utfall_2022.csv").read_bytes() != (b.inbox / "utfall_2022.csv").read_bytes()
    assert (a.inbox / "organisation_2022-2026.csv").read_bytes() == (
        b.inbox / "organisation_2022-2026.csv"
    ).read_bytes()


def test_scale_sets_the_number_of_ansvar_and_ledger_rows(demo, demo_small):
    large, seconds_large = demo
    small, seconds_small = demo_small
    print(
        f"\nskala 1: {large.ansvar} ansvar, {large.ledger_rows} huvudboksrader, "
        f"{seconds_large:.1f} s"
        f"\nskala 0.1: {small.ansvar} ansvar, {small.ledger_rows} huvudboksrader, "
        f"{seconds_small:.1f} s"
    )
    assert 150 <= large.ansvar <= 250
    assert 15 <= small.ansvar <= 30
    assert small.ledger_rows < large.ledger_rows / 5


def test_generation_is_fast(tmp_path):
    """Performance targets: scale 1 under 15 s and scale 0.1 under 3 s (CPU time)."""
    start = time.process_time()
    generate_demo(tmp_path / "liten", scale=0.1)
    small = time.process_time() - start
    start = time.process_time()
    generate_demo(tmp_path / "stor", scale=1.0)
    large = time.process_time() - start
    print(f"\nCPU-tid: skala 0.1 {small:.1f} s, skala 1 {large:.1f} s")
    assert small < 3.0
    assert large < 15.0


def test_ledger_files_have_the_mixed_real_world_shapes(inbox):
    b2022 = (inbox / "utfall_2022.csv").read_bytes()
    assert b2022.decode("utf-8").splitlines()[1].startswith("202201;")
    assert re.search(rb";-?\d+,\d\d\n", b2022)

    t2023 = (inbox / "utfall_2023.csv").read_text(encoding="utf-8")
    assert t2023.splitlines()[0].split("\t")[0] == "PERIOD"
    assert t2023.splitlines()[1].startswith("2023-01\t")
    assert re.search(r"\t-?\d{1,3}( \d{3})+,\d\d\n", t2023)

    raw2024 = (inbox / "utfall_2024.csv").read_bytes()
    try:
        raw2024.decode("utf-8")
        is_utf8 = True
    except UnicodeDecodeError:
        is_utf8 = False
    assert not is_utf8, "utfall_2024.csv ska vara Windows-1252"
    t2024 = raw2024.decode("cp1252")
    header = t2024.split("\r\n")[0]
    assert "Kontobenämning" in header and "ANSVAR" in header and "Period" in header
    assert re.search("-\\d{1,3}(\u00a0\\d{3})+,\\d\\d\r\n", t2024)
    assert t2024.split("\r\n")[1].startswith("202401;")

    b2026 = (inbox / "utfall_2026.csv").read_bytes()
    assert b2026.startswith(b"\xef\xbb\xbf")
    first = b2026[3:].decode("utf-8").splitlines()[1]
    assert first.startswith('"2026-01","')
    assert re.fullmatch(r'(".*",){6}-?\d+\.\d\d', first)

    wb = openpyxl.load_workbook(inbox / "utfall_2025.xlsx", read_only=True)
    ws = wb.worksheets[0]
    rows = ws.iter_rows(min_row=1, max_row=2, values_only=True)
    header, row = next(rows), next(rows)
    wb.close()
    assert [h.lower() for h in header] == [
        "period", "ansvar", "verksamhet", "konto", "projekt", "motpart", "belopp",
    ]  # fmt: skip
    assert row[0] == "2025-01" and isinstance(row[1], str) and isinstance(row[3], str)
    assert isinstance(row[-1], float | int)


def test_the_corrected_month_is_held_back_for_a_second_refresh(
    demo, inbox, second_delivery, utfall, tmp_path
):
    summary, _ = demo
    assert not list(inbox.glob("*rattelse*"))  # not in the first refresh's inbox
    assert summary.later_files == ["utfall_2026_09_rattelse.csv"]
    assert [p.name for p in second_delivery.iterdir()] == summary.later_files
    correction_file = second_delivery / "utfall_2026_09_rattelse.csv"
    assert summary.row_counts[correction_file.name] == read_frame(correction_file).height
    correction = read_frame(correction_file)
    assert set(correction["period"]) == {"202609"}
    assert set(utfall.filter(pl.col("period") == "2026-09")["fil"]) == {correction_file.name}
    first = read_utfall_file(inbox / "utfall_2026.csv", tmp_path / "a")
    first = first.filter(pl.col("period") == "2026-09")
    corrected = read_utfall_file(correction_file, tmp_path / "b")
    keys = ["ansvar", "verksamhet", "konto", "projekt", "motpart"]
    diff = first.join(corrected, on=keys, how="full", coalesce=True, suffix="_r").filter(
        pl.col("ore").fill_null(0) != pl.col("ore_r").fill_null(0)
    )
    assert 2 <= diff.height <= 4  # a double booking, a typo, an amount on the wrong ansvar
    assert (diff["motpart"] == "EXT").all()
    assert first.height <= corrected.height <= first.height + 1
    for delivery in (first, corrected):  # internal trade balances in both deliveries
        assert delivery.filter(pl.col("motpart") == "INT")["ore"].sum() == 0


def test_the_previous_years_goal_register_keeps_one_goal_id(inbox):
    import yaml

    register = {
        year: yaml.safe_load((inbox / f"mal_{year}.yaml").read_text(encoding="utf-8"))
        for year in (2025, 2026)
    }
    ids = {year: {m["id"] for m in r["mal"]} for year, r in register.items()}
    assert "KS1" in ids[2025] & ids[2026]
    assert all(m["ar"] == year for year, r in register.items() for m in r["mal"])
    indicators = {
        year: {i["indikator"] for i in r["indikatorer"] if i["mal"] == "KS1"}
        for year, r in register.items()
    }
    assert indicators == {2025: {"N00097"}, 2026: {"RESULTATANDEL"}}
    for year, r in register.items():  # each year's målkedja closes within that year's register
        assert {m["foralder"] for m in r["mal"]} - {None} <= ids[year], year


def read_utfall_file(path: Path, folder: Path) -> pl.DataFrame:
    folder.mkdir()
    (folder / path.name).write_bytes(path.read_bytes())
    return read_utfall(folder)


def test_no_file_carries_anything_like_a_personnummer(inbox):
    pattern = re.compile(r"(?<![\d-])(\d{6}-\d{4}|\d{12})(?![\d-])")
    for path in inbox.iterdir():
        if path.suffix == ".xlsx":
            continue
        data = path.read_bytes()
        text = data.decode("cp1252") if path.name == "utfall_2024.csv" else data.decode("utf-8")
        hit = pattern.search(text)
        assert hit is None, (path.name, hit and hit.group(0))


def test_summary_names_the_overspending_namnder(demo):
    summary, _ = demo
    assert summary.latest_period == "2026-10"
    assert summary.overspending_namnder == ("AEN", "SOC")
    assert summary.recovering_namnd == "BUN"
    assert summary.namnd_with_atgardsplan == "SOC"
    assert summary.ledger_rows == sum(
        n for f, n in summary.row_counts.items() if f.startswith("utfall_")
    )
