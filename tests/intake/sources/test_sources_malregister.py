"""The goal register (mal_*.yaml / .xlsx): reading, normalising, and every validation rule."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from pipelines.lib.intake.sources import READERS, SourceError
from pipelines.lib.intake.sources.malregister import read_malregister, validate_malregister

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def write(tmp_path: Path, text: str, name: str = "mal_2026.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def goal(gid, niva, org, parent=None, perspektiv="medborgare", ar=2026):
    lines = [
        f"  - id: {gid}",
        f"    niva: {niva}",
        f'    org: "{org}"',
        f"    ar: {ar}",
        f"    titel: Mål {gid}",
        f"    perspektiv: {perspektiv}",
    ]
    if parent is not None:
        lines.append(f"    foralder: {parent}")
    return "\n".join(lines)


def indicator(mal, kpi="N15419", riktning="högre", malvarde="85"):
    lines = [f"  - mal: {mal}", f"    indikator: {kpi}", "    kalla: kolada"]
    if riktning is not None:
        lines.append(f"    riktning: {riktning}")
    if malvarde is not None:
        lines.append(f"    malvarde: {malvarde}")
    return "\n".join(lines)


def register(tmp_path, goals, indicators=()):
    text = "mal:\n" + "\n".join(goals) + "\nindikatorer:\n" + "\n".join(indicators) + "\n"
    path = tmp_path / "mal_test.yaml"
    path.write_text(text, encoding="utf-8")
    tables = read_malregister(path, validate=False)
    return tables["mal"], tables["malindikator"]


def reasons(problems) -> str:
    return "\n".join(p.reason for p in problems)


CHAIN = [
    goal("KF1", "kommun", "0680"),
    goal("BUN1", "namnd", "BUN", parent="KF1"),
    goal("UTBF1", "forvaltning", "UTBF", parent="BUN1"),
    goal("SKOLA1", "verksamhet", "GRS", parent="UTBF1"),
]


# ---------------------------------------------------------------------------------------------
# reading


def test_read_example_yaml_types_and_normalisation():
    tables = read_malregister(FIXTURES / "mal_exempel.yaml")
    mal, ind = tables["mal"], tables["malindikator"]
    assert mal.schema == pl.Schema(
        {
            "id": pl.String,
            "niva": pl.String,
            "org": pl.String,
            "ar": pl.Int32,
            "titel": pl.String,
            "perspektiv": pl.String,
            "foralder": pl.String,
            "agenda2030": pl.String,
            "source_row": pl.Int64,
        }
    )
    assert ind.schema == pl.Schema(
        {
            "mal": pl.String,
            "ar": pl.Int32,
            "indikator": pl.String,
            "kalla": pl.String,
            "riktning": pl.String,
            "utgangsvarde": pl.Float64,
            "malvarde": pl.Float64,
            "source_row": pl.Int64,
        }
    )
    assert mal["id"].to_list() == ["KF1", "BUN1", "BUN1.1", "KF2"]
    assert mal["org"].to_list() == ["0680", "BUN", "UTBF", "0680"]  # leading zero kept
    assert mal["niva"].to_list() == ["kommun", "namnd", "forvaltning", "kommun"]  # "nivå" key
    assert mal["perspektiv"].to_list() == ["medborgare", "medborgare", "medarbetare", "hallbarhet"]
    assert mal["foralder"].to_list() == [None, "KF1", "BUN1", None]  # "förälder" key
    assert mal["agenda2030"].to_list() == ["4.1", None, None, None]  # text, not the float 4.1
    assert mal["source_row"].to_list() == [3, 10, 17, 24]  # the line where each item starts
    assert ind["riktning"].to_list() == ["hogre", "hogre", "lagre"]
    assert ind["ar"].to_list() == [2026, 2026, 2026]  # each goal's year: its only year here
    assert ind["malvarde"].to_list() == [85.5, 90.0, 3000.0]  # decimal comma
    assert ind["utgangsvarde"].to_list() == [80.0, None, 3400.0]  # space thousands separator
    assert ind["source_row"].to_list() == [31, 37, 42]
    # BUN1.1 has no indicator: reported later as a målkedja defect, never rejected here


def test_registered_reader_for_mal_files():
    extensions, reader = READERS["mal_"]
    assert extensions == (".yaml", ".yml", ".xlsx")
    assert set(reader(FIXTURES / "mal_exempel.yaml")) == {"mal", "malindikator"}


def test_unreadable_values_are_all_reported(tmp_path):
    path = write(
        tmp_path,
        """\
        mal:
          - id: A
            niva: kommun
            org: "0680"
            ar: tjugo
            perspektiv: ekonomi
        indikatorer:
          - mal: A
            indikator: N1
            riktning: upp
            malvarde: mycket
        """,
    )
    with pytest.raises(SourceError) as exc:
        read_malregister(path)
    found = {(p.row, p.column) for p in exc.value.problems}
    assert found == {(2, "titel"), (2, "ar"), (8, "riktning"), (8, "malvarde")}
    text = reasons(exc.value.problems)
    assert "'A'" in text and "'högre' eller 'lägre'" in text


def test_invalid_yaml_and_wrong_shape(tmp_path):
    with pytest.raises(SourceError) as exc:
        read_malregister(write(tmp_path, "mal:\n  - id: [A\n"))
    assert "YAML" in exc.value.problems[0].reason
    with pytest.raises(SourceError, match="'mal'"):
        read_malregister(write(tmp_path, "- a\n- b\n"))
    with pytest.raises(SourceError, match="yaml"):
        read_malregister(write(tmp_path, "x", name="mal_2026.txt"))


def test_read_raises_validation_problems_by_default(tmp_path):
    path = write(tmp_path, "mal:\n" + goal("N1", "namnd", "BUN", parent="SAKNAS") + "\n")
    with pytest.raises(SourceError) as exc:
        read_malregister(path)
    [problem] = exc.value.problems
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "mal_2026.yaml",
        2,
        "foralder",
        "SAKNAS",
    )
    assert "'N1'" in problem.reason and "SAKNAS" in problem.reason


# ---------------------------------------------------------------------------------------------
# validation rules


def test_valid_chain_without_indicators_is_accepted(tmp_path):
    mal, ind = register(tmp_path, CHAIN, [indicator("KF1")])
    assert validate_malregister(mal, ind, None) == []
    orgs = {"kommun": {"0680"}, "namnd": {"BUN"}, "forvaltning": {"UTBF"}, "verksamhet": {"GRS"}}
    assert validate_malregister(mal, ind, orgs) == []


def test_unknown_parent(tmp_path):
    mal, ind = register(tmp_path, [goal("BUN1", "namnd", "BUN", parent="KF9")])
    [problem] = validate_malregister(mal, ind, None, file_name="mal_test.yaml")
    assert problem.file == "mal_test.yaml" and problem.row == 2 and problem.column == "foralder"
    assert "'BUN1'" in problem.reason and "'KF9'" in problem.reason and "finns" in problem.reason


def test_cycle_is_named(tmp_path):
    goals = [
        goal("N1", "namnd", "BUN", parent="N2"),
        goal("N2", "namnd", "SOC", parent="N3"),
        goal("N3", "namnd", "KOF", parent="N1"),
    ]
    mal, ind = register(tmp_path, goals)
    problems = validate_malregister(mal, ind, None)
    cycles = [p for p in problems if "cykel" in p.reason]
    assert len(cycles) == 1
    assert "N1 → N2 → N3 → N1" in cycles[0].reason
    assert cycles[0].row == 2


def test_self_parent_is_a_cycle(tmp_path):
    mal, ind = register(tmp_path, [goal("N1", "namnd", "BUN", parent="N1")])
    [problem] = validate_malregister(mal, ind, None)
    assert "cykel" in problem.reason and "N1 → N1" in problem.reason


def test_parent_must_be_at_a_higher_level(tmp_path):
    goals = [
        goal("KF1", "kommun", "0680"),
        goal("N1", "namnd", "BUN", parent="KF1"),
        goal("V0", "verksamhet", "GRS", parent="N1"),  # skipping förvaltning is allowed
        goal("V1", "verksamhet", "GRS", parent="V0"),
        goal("KF2", "kommun", "0680", parent="KF1"),
    ]
    mal, ind = register(tmp_path, goals)
    problems = validate_malregister(mal, ind, None)
    assert [(p.column, p.value) for p in problems] == [("foralder", "V0"), ("foralder", "KF1")]
    text = reasons(problems)
    assert "'V1'" in text and "högre nivå (kommun, namnd, forvaltning)" in text
    assert "'KF2'" in text and "kan inte ha en förälder" in text


def test_indicator_without_malvarde_or_riktning(tmp_path):
    mal, ind = register(
        tmp_path,
        [goal("KF1", "kommun", "0680")],
        [indicator("KF1", "N1", malvarde=None), indicator("KF1", "N2", riktning=None)],
    )
    problems = validate_malregister(mal, ind, None)
    assert [(p.column, p.row) for p in problems] == [("malvarde", 9), ("riktning", 13)]
    assert "målvärde" in problems[0].reason and "'KF1'" in problems[0].reason
    assert "riktning" in problems[1].reason and "'N2'" in problems[1].reason


def test_indicator_for_unknown_goal(tmp_path):
    mal, ind = register(tmp_path, [goal("KF1", "kommun", "0680")], [indicator("KF7")])
    [problem] = validate_malregister(mal, ind, None)
    assert problem.column == "mal" and problem.value == "KF7" and "inte finns" in problem.reason


def test_duplicate_goal_id_and_duplicate_indicator(tmp_path):
    mal, ind = register(
        tmp_path,
        [goal("KF1", "kommun", "0680"), goal("KF1", "kommun", "0680")],
        [indicator("KF1"), indicator("KF1")],
    )
    problems = validate_malregister(mal, ind, None)
    assert [(p.column, p.row) for p in problems] == [("id", 8), ("indikator", 20)]
    assert "flera gånger (rad 2 och rad 8) för år 2026" in problems[0].reason


def test_a_goal_kept_into_the_next_year_keeps_its_id(tmp_path):
    # G1 in 2025 and in 2026 is one goal kept, not a duplicate; each year has its own nämnd
    # goal under it and its own indicator, and an indicator says its year when the file has
    # the id in both.
    goals = [
        goal("G1", "kommun", "0680", ar=2025),
        goal("N1", "namnd", "BUN", parent="G1", ar=2025),
        goal("G1", "kommun", "0680", ar=2026),
        goal("N1", "namnd", "BUN", parent="G1", ar=2026),
    ]
    indicators = [
        indicator("G1", "N15419") + "\n    ar: 2025",
        indicator("G1", "N15419") + "\n    ar: 2026",  # the same KPI, but the other year's goal
        indicator("G1", "U21468") + "\n    ar: 2026",
    ]
    mal, ind = register(tmp_path, goals, indicators)
    assert validate_malregister(mal, ind, None) == []
    assert ind.select("mal", "ar", "indikator").rows() == [
        ("G1", 2025, "N15419"),
        ("G1", 2026, "N15419"),
        ("G1", 2026, "U21468"),
    ]


def test_goal_id_twice_in_one_year_is_an_error_even_with_other_years(tmp_path):
    goals = [
        goal("G1", "kommun", "0680", ar=2025),
        goal("G1", "kommun", "0680", ar=2026),
        goal("G1", "kommun", "0680", ar=2026),
    ]
    mal, ind = register(tmp_path, goals)
    [problem] = validate_malregister(mal, ind, None)
    assert (problem.column, problem.row, problem.value) == ("id", 14, "G1")
    assert "flera gånger (rad 8 och rad 14) för år 2026" in problem.reason


def test_parent_is_the_goal_of_the_same_year(tmp_path):
    goals = [
        goal("KF1", "kommun", "0680", ar=2025),
        goal("N1", "namnd", "BUN", parent="KF1", ar=2026),
    ]
    mal, ind = register(tmp_path, goals)
    [problem] = validate_malregister(mal, ind, None)
    assert (problem.column, problem.row, problem.value) == ("foralder", 8, "KF1")
    assert "för år 2026 (bara för 2025)" in problem.reason


def test_cycles_are_per_year(tmp_path):
    # N1 → N2 in 2025 and N2 → N1 in 2026 is no cycle: each year's chain is its own.
    goals = [
        goal("N1", "namnd", "BUN", parent="N2", ar=2025),
        goal("N2", "namnd", "SOC", ar=2025),
        goal("N2", "namnd", "SOC", parent="N1", ar=2026),
        goal("N1", "namnd", "BUN", ar=2026),
    ]
    mal, ind = register(tmp_path, goals)
    problems = validate_malregister(mal, ind, None)
    assert [p for p in problems if "cykel" in p.reason] == []
    # (the parents at the same level are reported, nothing else)
    assert [(p.column, p.row) for p in problems] == [("foralder", 2), ("foralder", 15)]

    goals = [
        goal("N1", "namnd", "BUN", parent="N2", ar=2026),
        goal("N2", "namnd", "SOC", parent="N1", ar=2026),
        goal("N1", "namnd", "BUN", ar=2025),
    ]
    mal, ind = register(tmp_path, goals)
    cycles = [p for p in validate_malregister(mal, ind, None) if "cykel" in p.reason]
    assert len(cycles) == 1 and "N1 → N2 → N1" in cycles[0].reason and cycles[0].row == 2


def test_indicator_without_year_for_an_id_in_several_years(tmp_path):
    goals = [goal("G1", "kommun", "0680", ar=2025), goal("G1", "kommun", "0680", ar=2026)]
    mal, ind = register(
        tmp_path,
        goals,
        [indicator("G1"), indicator("G1", "N2") + "\n    ar: 2027"],
    )
    assert ind["ar"].to_list() == [None, 2027]
    problems = validate_malregister(mal, ind, None)
    assert [(p.column, p.row) for p in problems] == [("ar", 15), ("mal", 20)]
    assert "finns för flera år (2025, 2026); ange 'ar'" in problems[0].reason
    assert "inte finns i målregistret för år 2027" in problems[1].reason


def test_perspektiv_and_niva_must_be_known(tmp_path):
    mal, ind = register(
        tmp_path,
        [
            goal("KF1", "kommun", "0680", perspektiv="kvalitet"),
            goal("N1", "Nämnd", "BUN", perspektiv="Hållbarhet"),
        ],
    )
    problems = validate_malregister(mal, ind, None)
    found = [(p.column, p.value) for p in problems]
    assert found == [("perspektiv", "kvalitet"), ("niva", "Nämnd")]
    assert "medborgare, ekonomi, medarbetare, hallbarhet" in problems[0].reason
    assert mal["perspektiv"][1] == "hallbarhet"  # 'Hållbarhet' accepted and normalised


def test_unknown_org_or_level_only_with_known_orgs(tmp_path):
    mal, ind = register(tmp_path, CHAIN)
    orgs = {"kommun": {"0680"}, "namnd": {"SOC"}, "forvaltning": {"UTBF"}}
    problems = validate_malregister(mal, ind, orgs)
    assert [(p.column, p.value) for p in problems] == [("org", "BUN"), ("niva", "verksamhet")]
    assert "'BUN1'" in problems[0].reason and "'SKOLA1'" in problems[1].reason
    assert validate_malregister(mal, ind, None) == []


# ---------------------------------------------------------------------------------------------
# Excel


def write_xlsx(path: Path, mal_rows, ind_rows, sheets=("mal", "indikatorer")):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in zip(sheets, (mal_rows, ind_rows), strict=True):
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)


def test_xlsx_variant_reads_like_the_yaml(tmp_path):
    path = tmp_path / "mal_2026.xlsx"
    write_xlsx(
        path,
        [
            ["ID", "Nivå", "Org", "År", "Titel", "Perspektiv", "Förälder", "Agenda2030"],
            ["KF1", "kommun", "0680", 2026, "Fler barn klarar skolan", "medborgare", None, "4.1"],
            ["BUN1", "namnd", "BUN", 2026, "Ökad måluppfyllelse", "Medborgare", "KF1", None],
            [None, None, None, None, None, None, None, None],
            ["KF2", "kommun", "0680", 2026.0, "Minskad klimatpåverkan", "hållbarhet", None, None],
        ],
        [
            ["mal", "indikator", "källa", "riktning", "utgångsvärde", "målvärde"],
            ["KF1", "N15419", "kolada", "Högre", 80, 85.5],
            ["KF2", "N00401", "kolada", "lägre", "3 400", 3000],
        ],
        sheets=("Mal", "indikatorer"),
    )
    tables = read_malregister(path)
    mal, ind = tables["mal"], tables["malindikator"]
    assert mal.select("id", "niva", "org", "ar", "perspektiv", "foralder").rows() == [
        ("KF1", "kommun", "0680", 2026, "medborgare", None),
        ("BUN1", "namnd", "BUN", 2026, "medborgare", "KF1"),
        ("KF2", "kommun", "0680", 2026, "hallbarhet", None),
    ]
    assert mal["source_row"].to_list() == [2, 3, 5]  # Excel row numbers; the empty row skipped
    assert ind.drop("source_row").rows() == [
        ("KF1", 2026, "N15419", "kolada", "hogre", 80.0, 85.5),
        ("KF2", 2026, "N00401", "kolada", "lagre", 3400.0, 3000.0),
    ]
    assert ind["source_row"].to_list() == [2, 3]


def test_xlsx_missing_sheet_and_bad_rows(tmp_path):
    path = tmp_path / "mal_fel.xlsx"
    write_xlsx(path, [["id"]], [["mal"]], sheets=("mal", "kpi"))
    with pytest.raises(SourceError, match="indikatorer"):
        read_malregister(path)

    path = tmp_path / "mal_kedja.xlsx"
    header = ["id", "niva", "org", "ar", "titel", "perspektiv", "foralder"]
    write_xlsx(
        path,
        [header, ["N1", "namnd", "BUN", 2026, "t", "ekonomi", "KF1"]],
        [["mal", "indikator", "riktning", "malvarde"], ["N1", "X", "högre", None]],
    )
    with pytest.raises(SourceError) as exc:
        read_malregister(path)
    assert [(p.row, p.column) for p in exc.value.problems] == [(2, "foralder"), (2, "malvarde")]


# ---------------------------------------------------------------------------------------------
# One rule with the rest of the intake: numbers, riktning, headers, one opening per file


@pytest.mark.parametrize(
    ("text", "expected"),
    [("85", 85.0), ("85,5", 85.5), ("1 234,5", 1234.5), ("-0,25", -0.25), ("1.234,5", 1234.5)],
)
def test_goal_values_follow_the_intakes_number_rule(tmp_path, text, expected):
    mal, ind = register(
        tmp_path, [goal("KF1", "kommun", "0680")], [indicator("KF1", malvarde=f'"{text}"')]
    )
    assert ind["malvarde"].to_list() == [expected]


@pytest.mark.parametrize("text", ["1 2 3,4", "12 34", "1,234,567.50", "85 kr", "1E6"])
def test_goal_values_the_intake_rejects_are_rejected_here_too(tmp_path, text):
    # amounts.parse_number rejects each of these in a ledger file; the goal register agrees
    path = write(
        tmp_path,
        "mal:\n"
        + goal("KF1", "kommun", "0680")
        + "\nindikatorer:\n"
        + indicator("KF1", malvarde=f'"{text}"')
        + "\n",
    )
    with pytest.raises(SourceError) as exc:
        read_malregister(path)
    assert [(p.column, p.value) for p in exc.value.problems] == [("malvarde", text)]


@pytest.mark.parametrize(
    ("word", "code"),
    [("Högre är bättre", "hogre"), ("öka", "hogre"), ("higher", "hogre"), ("minska", "lagre")],
)
def test_riktning_words_are_the_intakes(tmp_path, word, code):
    _, ind = register(tmp_path, [goal("KF1", "kommun", "0680")], [indicator("KF1", riktning=word)])
    assert ind["riktning"].to_list() == [code]


def test_headers_are_normalised_by_the_intakes_header_rule(tmp_path):
    # "Org." and "Titel " normalise to org and titel by readers.normalise_header (the rule every
    # ledger file's header goes through), so the goal register reads them the same way
    path = tmp_path / "mal_2026.xlsx"
    write_xlsx(
        path,
        [
            ["ID", "Nivå", "Org.", "År", "Titel ", "Perspektiv"],
            ["KF1", "kommun", "0680", 2026, "Fler barn klarar skolan", "medborgare"],
        ],
        [["Mål", "Indikator", "Riktning", "Målvärde"], ["KF1", "N15419", "högre", 85]],
    )
    tables = read_malregister(path)
    assert tables["mal"].select("id", "org", "titel").rows() == [
        ("KF1", "0680", "Fler barn klarar skolan")
    ]
    assert tables["malindikator"].select("mal", "malvarde").rows() == [("KF1", 85.0)]


def test_an_xlsx_goal_register_is_opened_once(tmp_path, monkeypatch):
    from pipelines.lib.intake import parse_file

    path = tmp_path / "mal_2026.xlsx"
    write_xlsx(
        path,
        [
            ["id", "niva", "org", "ar", "titel", "perspektiv"],
            ["KF1", "kommun", "0680", 2026, "t", "ekonomi"],
        ],
        [["mal", "indikator", "riktning", "malvarde"], ["KF1", "N15419", "högre", 85]],
    )
    opened = []
    real = openpyxl.load_workbook
    monkeypatch.setattr(
        openpyxl, "load_workbook", lambda *a, **k: opened.append(a) or real(*a, **k)
    )
    parsed = parse_file(path, date(2026, 11, 28))
    assert parsed.ok, parsed.problems
    assert len(opened) == 1
