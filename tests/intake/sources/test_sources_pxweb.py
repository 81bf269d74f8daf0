"""SCB PxWebApi 2 answers: befolkning from json-stat2 and its totals."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import polars as pl
import pytest

from pipelines.lib.intake.sources import READERS, SourceError
from pipelines.lib.intake.sources.pxweb import (
    befolkning_from_jsonstat,
    check_totals,
    read_befolkning_json_file,
)

REPO = Path(__file__).resolve().parents[3]
PXWEB = REPO / "tests" / "fixtures" / "pxweb"


def recorded_path(name: str) -> Path:
    path = PXWEB / name
    if not path.is_file():
        pytest.fail(
            f"The recorded SCB answer {path} is missing from the repository's tests/fixtures."
        )
    return path


def recorded(name: str) -> dict:
    return json.loads(recorded_path(name).read_text(encoding="utf-8"))


def single_year_doc(
    *, year: str = "2019", region: str = "0680", base: int = 100, noise: dict | None = None
) -> dict:
    """A hand-made population table: ages 0..99, 100+ and the total × män, kvinnor, total.

    Men of age a are base + a, women base + 2a; totals are exact sums unless `noise`
    (position -> added amount) says otherwise.
    """
    ages = [str(a) for a in range(100)] + ["100+", "TotSA"]
    sexes = ["1", "2", "TotSa"]
    values = []
    for age in ages:
        if age == "TotSA":
            men = sum(base + a for a in range(101))
            women = sum(base + 2 * a for a in range(101))
        else:
            a = 100 if age == "100+" else int(age)
            men, women = base + a, base + 2 * a
        values += [men, women, men + women]
    for pos, delta in (noise or {}).items():
        values[pos] += delta
    return {
        "version": "2.0",
        "class": "dataset",
        "label": "Folkmängden efter region, ålder och kön. År 2019",
        "role": {"time": ["Tid"], "metric": ["ContentsCode"]},
        "id": ["Region", "Alder", "Kon", "ContentsCode", "Tid"],
        "size": [1, len(ages), 3, 1, 1],
        "dimension": {
            "Region": {"category": {"index": {region: 0}, "label": {region: "Jönköping"}}},
            "Alder": {
                "category": {
                    "index": {a: i for i, a in enumerate(ages)},
                    "label": {a: f"{a} år" for a in ages} | {"TotSA": "totalt, samtliga åldrar"},
                }
            },
            "Kon": {"category": {"index": sexes, "label": {"1": "män", "2": "kvinnor"}}},
            "ContentsCode": {"category": {"index": ["BE0101N1"]}},
            "Tid": {"category": {"index": [year]}},
        },
        "value": values,
    }


def tiny_doc(ages: list[str], sexes: list[str], times: list[str], **extra) -> dict:
    n = len(ages) * len(sexes) * len(times)
    doc = {
        "class": "dataset",
        "role": {"time": ["Tid"]},
        "id": ["Region", "Alder", "Kon", "Tid"],
        "size": [1, len(ages), len(sexes), len(times)],
        "dimension": {
            "Region": {"category": {"index": ["06"]}},
            "Alder": {"category": {"index": ages}},
            "Kon": {"category": {"index": sexes}},
            "Tid": {"category": {"index": times}},
        },
        "value": list(range(1, n + 1)),
    }
    return doc | extra


# ---------------------------------------------------------------------------------------------
# befolkning_from_jsonstat


def test_recorded_tab6471_as_befolkning():
    frame = befolkning_from_jsonstat(recorded("TAB6471_data.json"), "befolkning_TAB6471.json")
    assert frame.schema == pl.Schema(
        {
            "region": pl.String,
            "ar": pl.Int32,
            "manad": pl.Int32,
            "alder": pl.Int32,
            "aldersgrupp": pl.String,
            "kon": pl.String,
            "antal": pl.Int64,
            "typ": pl.String,
            "source_row": pl.Int64,
        }
    )
    # the TotSa (both sexes) rows are dropped: 21 län × 11 bands × 2 sexes × 4 months
    assert frame.height == 21 * 11 * 2 * 4
    assert set(frame["kon"]) == {"M", "K"}
    assert frame["alder"].null_count() == frame.height  # 10-year bands: no single age
    assert frame["aldersgrupp"].unique(maintain_order=True).to_list() == [
        "0-9",
        "10-19",
        "20-29",
        "30-39",
        "40-49",
        "50-59",
        "60-69",
        "70-79",
        "80-89",
        "90-99",
        "100+",  # SCB's code "100+10"
    ]
    assert set(frame["ar"]) == {2026} and frame["manad"].unique().sort().to_list() == [1, 2, 3, 4]
    assert set(frame["typ"]) == {"utfall"}
    # Jönköpings län, 0-9, kvinnor, 2026M01 is value[4*132 + 0*12 + 2*4 + 0] = value[536]
    hit = frame.filter(
        (pl.col("region") == "06")
        & (pl.col("aldersgrupp") == "0-9")
        & (pl.col("kon") == "K")
        & (pl.col("manad") == 1)
    )
    assert hit.select("antal", "source_row").rows() == [(17737, 537)]


def test_single_ages_annual_and_typ_parameter():
    frame = befolkning_from_jsonstat(single_year_doc(), "befolkning_x.json", typ="prognos")
    assert frame.height == 101 * 2
    assert frame["alder"].to_list()[:4] == [0, 0, 1, 1]
    assert frame["alder"].max() == 100  # "100+"
    assert frame["aldersgrupp"].null_count() == frame.height
    assert frame["manad"].null_count() == frame.height
    assert set(frame["ar"]) == {2019} and set(frame["typ"]) == {"prognos"}
    row = frame.filter((pl.col("alder") == 100) & (pl.col("kon") == "K")).row(0, named=True)
    assert row["antal"] == 300  # base 100 + 2 × 100
    with pytest.raises(ValueError, match="utfall"):
        befolkning_from_jsonstat(single_year_doc(), "x", typ="framskrivning")


def test_band_codes_and_keep_totals():
    doc = tiny_doc(["-4", "5-9", "100+5", "tot"], ["1", "2", "1+2"], ["2024"])
    kept = befolkning_from_jsonstat(doc, "x", keep_totals=True)
    assert kept.height == 12
    assert kept["aldersgrupp"].unique(maintain_order=True).to_list() == [
        "0-4",
        "5-9",
        "100+",
        "totalt",
    ]
    assert kept["kon"].unique(maintain_order=True).to_list() == ["M", "K", "T"]
    dropped = befolkning_from_jsonstat(doc, "x")
    assert dropped.height == 6  # 3 bands × 2 sexes


@pytest.mark.parametrize(
    ("doc", "column", "value"),
    [
        (tiny_doc(["0", "abc"], ["1"], ["2024"]), "Alder", "abc"),
        (tiny_doc(["0"], ["1", "3"], ["2024"]), "Kon", "3"),
        (tiny_doc(["0"], ["1"], ["2024K1"]), "Tid", "2024K1"),
        (tiny_doc(["0", "101"], ["1"], ["2024"]), "Alder", "101"),
    ],
)
def test_unmappable_codes_are_refused(doc, column, value):
    with pytest.raises(SourceError) as exc:
        befolkning_from_jsonstat(doc, "befolkning_fel.json")
    [problem] = exc.value.problems
    assert (problem.file, problem.column, problem.value) == ("befolkning_fel.json", column, value)


def test_extra_dimension_and_several_contents_are_refused_unless_chosen():
    doc = tiny_doc(["0"], ["1"], ["2024"])
    doc["id"].insert(3, "Fodelseland")
    doc["size"].insert(3, 2)
    doc["dimension"]["Fodelseland"] = {"category": {"index": ["SE", "UT"]}}
    doc["value"] = [5, 6]
    with pytest.raises(SourceError, match="Fodelseland"):
        befolkning_from_jsonstat(doc, "x")

    doc = tiny_doc(["0"], ["1"], ["2024"])
    doc["id"].append("ContentsCode")
    doc["size"].append(2)
    doc["dimension"]["ContentsCode"] = {"category": {"index": ["BE0101N1", "BE0101N2"]}}
    doc["value"] = [141081, 1200]
    with pytest.raises(SourceError, match="contents_code"):
        befolkning_from_jsonstat(doc, "x")
    frame = befolkning_from_jsonstat(doc, "x", contents_code="BE0101N1")
    assert frame.select("antal", "source_row").rows() == [(141081, 1)]


def test_missing_dimension_and_bad_cells_are_refused():
    doc = tiny_doc(["0"], ["1"], ["2024"])
    doc["id"][2] = "Kategori"
    doc["dimension"]["Kategori"] = doc["dimension"].pop("Kon")
    with pytest.raises(SourceError, match="kon"):
        befolkning_from_jsonstat(doc, "x")
    doc = tiny_doc(["0", "1"], ["1"], ["2024"], value=[10.5, -1])
    with pytest.raises(SourceError) as exc:
        befolkning_from_jsonstat(doc, "x")
    assert [p.row for p in exc.value.problems] == [1, 2]


# ---------------------------------------------------------------------------------------------
# check_totals


def test_recorded_totals_within_the_cell_key_tolerance():
    frame = befolkning_from_jsonstat(recorded("TAB6471_data.json"), "x", keep_totals=True)
    assert frame.height == 2772
    assert check_totals(frame) == []
    # SCB's noise is really there: with an exact rule for 2026 many totals differ
    exact = check_totals(frame, tolerance_from_year=2100)
    assert exact and all(m.dimension == "kon" for m in exact)
    assert all(abs(m.total - m.sum_of_parts) <= 8 for m in exact)


def test_before_2025_totals_must_be_exact():
    doc = recorded("TAB6471_data.json")
    old = copy.deepcopy(doc)
    codes = {f"2026M0{m}": f"2024M0{m}" for m in range(1, 5)}
    category = old["dimension"]["Tid"]["category"]
    category["index"] = {codes[c]: i for c, i in category["index"].items()}
    category["label"] = {codes[c]: codes[c] for c in category["label"]}
    frame = befolkning_from_jsonstat(old, "x", keep_totals=True)
    mismatches = check_totals(frame)
    assert mismatches
    assert all(m.allowed == 0 and m.total != m.sum_of_parts for m in mismatches)
    # Jönköpings län, 0-9, 2024M01: total 36510 (value[528]) vs 18772 + 17737 = 36509
    jkpg = [m for m in mismatches if (m.region, m.aldersgrupp, m.manad) == ("06", "0-9", 1)]
    assert [(m.total, m.sum_of_parts, m.source_row) for m in jkpg] == [(36510, 36509, 529)]
    assert "36510" in jkpg[0].describe() and "exakt" in jkpg[0].describe()


def test_age_totals_against_single_ages_and_bands():
    exact = befolkning_from_jsonstat(single_year_doc(), "x", keep_totals=True)
    assert check_totals(exact) == []
    # add 5 people to the men's total (position of age TotSA = 101, sex 1 = 0): 101*3 + 0
    noisy = single_year_doc(noise={303: 5})
    found = check_totals(befolkning_from_jsonstat(noisy, "x", keep_totals=True))
    assert [(m.dimension, m.kon, m.total - m.sum_of_parts, m.n_parts) for m in found] == [
        ("kon", "T", -5, 2),  # all ages: T (unchanged) vs M (+5) + K
        ("alder", "M", 5, 101),  # men: total vs 101 single ages
    ]
    # from 2025 the same small difference is within the tolerance
    later = single_year_doc(year="2025", noise={303: 5})
    assert check_totals(befolkning_from_jsonstat(later, "x", keep_totals=True)) == []
    # ... but a large one is not
    wrong = single_year_doc(year="2025", noise={303: 500})
    assert len(check_totals(befolkning_from_jsonstat(wrong, "x", keep_totals=True))) == 2

    bands = tiny_doc(["0-49", "50-99", "100+10", "TotSA"], ["1"], ["2019"], value=[5, 6, 1, 13])
    found = check_totals(befolkning_from_jsonstat(bands, "x", keep_totals=True))
    assert [(m.dimension, m.total, m.sum_of_parts, m.n_parts) for m in found] == [
        ("alder", 13, 12, 3)
    ]
    incomplete = tiny_doc(["0-49", "TotSA"], ["1"], ["2019"], value=[5, 13])
    assert check_totals(befolkning_from_jsonstat(incomplete, "x", keep_totals=True)) == []


def test_reader_on_recorded_file_and_rejections(tmp_path):
    extensions, reader = READERS["befolkning_"]
    assert extensions == (".json",)
    target = tmp_path / "befolkning_TAB6471.json"
    shutil.copy(recorded_path("TAB6471_data.json"), target)
    tables = reader(target)
    assert list(tables) == ["befolkning"]
    assert tables["befolkning"].height == 1848
    assert set(tables["befolkning"]["typ"]) == {"utfall"}

    prognos = tmp_path / "befolkning_prognos_2026.json"
    prognos.write_text(json.dumps(single_year_doc()), encoding="utf-8")
    assert set(read_befolkning_json_file(prognos)["befolkning"]["typ"]) == {"prognos"}

    wrong = tmp_path / "befolkning_fel.json"
    wrong.write_text(json.dumps(single_year_doc(noise={303: 5})), encoding="utf-8")
    with pytest.raises(SourceError) as exc:
        read_befolkning_json_file(wrong)
    assert {p.column for p in exc.value.problems} == {"antal"}
    # the men's age total (value[303], row 304) and the all-ages T total (value[305], row 306)
    assert {p.row for p in exc.value.problems} == {304, 306}

    broken = tmp_path / "befolkning_trasig.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(SourceError, match="JSON"):
        read_befolkning_json_file(broken)
