"""parse_file: typed tables for good files, and every problem, located, for bad ones."""

from __future__ import annotations

import datetime as dt
from datetime import date
from decimal import Decimal

import openpyxl
import polars as pl
import pytest

from pipelines.lib.intake import kinds
from pipelines.lib.intake.kinds import KNOWN_PREFIXES, FileKind, kind_for, register_reader
from pipelines.lib.intake.parse import (
    FOOTER_REASON,
    MISSING_VALUE_REASON,
    parse_file,
    parse_files,
    type_table,
)
from pipelines.lib.intake.personnummer import (
    PERSONNUMMER_REASON,
    looks_like_personnummer,
    mask_personnummer,
)
from pipelines.lib.intake.problems import IntakeError, Problem

TODAY = date(2026, 11, 15)
UTFALL_HEADER = "period;ansvar;verksamhet;konto;belopp"


def write(tmp_path, name, *lines, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def parse(tmp_path, name, *lines, encoding="utf-8"):
    return parse_file(write(tmp_path, name, *lines, encoding=encoding), TODAY)


def write_xlsx(tmp_path, name, rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def located(problems):
    """(row, column, reason) of each problem."""
    return [(p.row, p.column, p.reason) for p in problems]


# ---------------------------------------------------------------------------------------------
# Good files


def test_good_utfall_csv_cp1252(tmp_path):
    parsed = parse(
        tmp_path,
        "Utfall_2026-10.csv",
        "Period;Ansvar;Verksamhet;Konto;Belopp;Projekt;Motpart",
        "202610; 1001 ;100;4110;-1 234 567,50;;Extern",
        "",
        "2026-09;1002;200;3010;1234,5;P1;Intern åtgärd",
        encoding="cp1252",
    )
    assert parsed.ok, parsed.problems
    assert parsed.kind.name == "utfall"
    assert parsed.encoding == "cp1252"
    frame = parsed.tables["utfall"]
    assert frame.columns == [
        "period",
        "ansvar",
        "verksamhet",
        "konto",
        "belopp",
        "projekt",
        "motpart",
        "source_row",
    ]
    assert frame.schema["belopp"] == pl.Decimal(18, 2)
    assert frame["period"].to_list() == ["2026-10", "2026-09"]
    assert frame["ansvar"].to_list() == ["1001", "1002"]  # codes stripped, kept as text
    assert frame["belopp"].to_list() == [Decimal("-1234567.50"), Decimal("1234.50")]
    assert frame["projekt"].to_list() == [None, "P1"]
    assert frame["motpart"].to_list() == ["Extern", "Intern åtgärd"]
    assert frame["source_row"].to_list() == [2, 4]


def test_missing_optional_columns_are_typed_nulls(tmp_path):
    parsed = parse(tmp_path, "utfall_x.csv", UTFALL_HEADER, "202610;1;2;4110;5")
    assert parsed.ok
    frame = parsed.tables["utfall"]
    assert frame.schema["projekt"] == pl.String
    assert frame["projekt"].to_list() == [None]


def test_current_month_is_not_in_the_future(tmp_path):
    parsed = parse(tmp_path, "utfall_x.csv", UTFALL_HEADER, "202611;1;2;4110;5")
    assert parsed.ok


def test_good_utfall_xlsx(tmp_path):
    path = write_xlsx(
        tmp_path,
        "utfall_2026.xlsx",
        [
            ["Period", "Ansvar", "Verksamhet", "Konto", "Belopp"],
            [202610, 1001, "100", 4110, 1234.5],
            ["2026-10", "0123", 100, 4110.0, -99],
        ],
    )
    parsed = parse_file(path, TODAY)
    assert parsed.ok, parsed.problems
    frame = parsed.tables["utfall"]
    assert frame["konto"].to_list() == ["4110", "4110"]
    assert frame["ansvar"].to_list() == ["1001", "0123"]
    assert frame["period"].to_list() == ["2026-10", "2026-10"]
    assert frame["belopp"].to_list() == [Decimal("1234.50"), Decimal("-99.00")]
    assert parsed.encoding is None


def test_good_budget_with_year_and_version(tmp_path):
    parsed = parse(
        tmp_path,
        "budget_2027.csv",
        "År,Ansvar,Verksamhet,Konto,Belopp,Version",
        '2027,1001,100,5110,"12 000 000,00",KF',
    )
    assert parsed.ok, parsed.problems
    frame = parsed.tables["budget"]
    assert frame.schema["ar"] == pl.Int32
    # Versions match case-insensitively; the warehouse maps them to their canonical names.
    assert frame.row(0) == (
        2027,
        "1001",
        "100",
        "5110",
        Decimal("12000000.00"),
        "kf",
        None,
        None,
        2,
    )


def test_budget_version_is_case_insensitive_with_a_decision_date(tmp_path):
    parsed = parse(
        tmp_path,
        "budget_2026_tn_reviderad.csv",
        "ar;ansvar;verksamhet;konto;belopp;version;beslutsdatum",
        "2026;1001;100;5110;1000,00;Reviderad;2026-06-15",
        "2026;1001;100;5110;1000,00;INTERNBUDGET;",
    )
    assert parsed.ok, parsed.problems
    frame = parsed.tables["budget"]
    assert frame["version"].to_list() == ["reviderad", "internbudget"]
    assert frame["beslutsdatum"].to_list() == [dt.date(2026, 6, 15), None]


def test_unknown_budget_version_is_rejected_with_the_known_ones(tmp_path):
    parsed = parse(
        tmp_path,
        "budget_2026.csv",
        "ar;ansvar;verksamhet;konto;belopp;version",
        "2026;1001;100;5110;1000,00;Tillaggsbudget",
    )
    assert not parsed.ok
    (problem,) = parsed.problems
    assert problem.column == "version" and problem.row == 2
    assert "kf, internbudget, reviderad" in problem.reason


def test_good_periodisering(tmp_path):
    rows = [f"2027;lon;{m};{share}" for m, share in enumerate(["0,09"] * 10 + ["0,05", "0,05"], 1)]
    parsed = parse(tmp_path, "periodisering_2027.csv", "ar;nyckel;manad;andel", *rows)
    assert parsed.ok, parsed.problems
    frame = parsed.tables["periodisering"]
    assert frame.schema["manad"] == pl.Int32
    assert frame.schema["andel"] == pl.Float64
    assert frame["manad"].to_list() == list(range(1, 13))


def test_good_organisation_with_dates(tmp_path):
    parsed = parse(
        tmp_path,
        "organisation_2026.csv",
        "Ansvar;Ansvar namn;Förvaltning;Förvaltning namn;Nämnd;Nämnd namn;Giltig från;Giltig till",
        "1001;Kansli;KLF;Kommunledningsförvaltningen;KS;Kommunstyrelsen;2026-01-01;20261231",
        "1002;Skola;UF;Utbildningsförvaltningen;BUN;Barn- och utbildningsnämnden;2026-01-01;",
    )
    assert parsed.ok, parsed.problems
    frame = parsed.tables["organisation"]
    assert frame["giltig_from"].to_list() == [dt.date(2026, 1, 1)] * 2
    assert frame["giltig_tom"].to_list() == [dt.date(2026, 12, 31), None]
    assert frame["namnd_namn"].to_list()[1] == "Barn- och utbildningsnämnden"


def test_good_befolkning_maps_kon_and_100_plus(tmp_path):
    parsed = parse(
        tmp_path,
        "befolkning_2025.csv",
        "region;år;ålder;kön;antal;typ",
        "0680;2025;0;män;1 012;utfall",
        "0680;2025;100+;Kvinnor;41;Prognos",
        "0680;2025;35;1;900;utfall",
        "0680;2025;36;K;880;utfall",
    )
    assert parsed.ok, parsed.problems
    frame = parsed.tables["befolkning"]
    assert frame["kon"].to_list() == ["M", "K", "M", "K"]
    assert frame["alder"].to_list() == [0, 100, 35, 36]
    assert frame["antal"].to_list() == [1012, 41, 900, 880]
    assert frame.schema["antal"] == pl.Int64
    assert frame["typ"].to_list() == ["utfall", "prognos", "utfall", "utfall"]


def test_good_indikator_year_and_month_periods(tmp_path):
    parsed = parse(
        tmp_path,
        "indikator_2026.csv",
        "indikator;org;period;värde",
        "nojdhet;KS;2025;78,5",
        "vantetid;SN;202609;12",
    )
    assert parsed.ok, parsed.problems
    frame = parsed.tables["indikator"]
    assert frame["period"].to_list() == ["2025", "2026-09"]
    assert frame["varde"].to_list() == [78.5, 12.0]


@pytest.mark.parametrize(
    ("name", "lines", "table", "first_row"),
    [
        (
            "prognos_2026-10.csv",
            ["period;nämnd;prognos", "202610;BUN;-3 500 000"],
            "prognos",
            ("2026-10", "BUN", Decimal("-3500000.00"), 2),
        ),
        (
            "atgardsplan_2026.csv",
            ["nämnd;beslutsdatum;diarienummer;belopp;kommentar", "SN;2026-10-20;SN 2026/112;;"],
            "atgardsplan",
            ("SN", dt.date(2026, 10, 20), "SN 2026/112", None, None, 2),
        ),
        (
            "antaganden_2026.csv",
            ["år;parameter;värde;källa", "2027;skatteunderlag_tillvaxt;3,9;SKR cirkulär 26:12"],
            "antaganden",
            (2027, "skatteunderlag_tillvaxt", Decimal("3.9000"), "SKR cirkulär 26:12", 2),
        ),
        (
            "investering_2026.csv",
            ["projekt;nämnd;år;belopp;typ;avskrivningstid", "P7;BUN;2027;25 000 000;Plan;33"],
            "investering",
            ("P7", "BUN", 2027, Decimal("25000000.00"), "plan", 33, None, 2),
        ),
        (
            "risk_2026.csv",
            ["nämnd;år;risk;sannolikhet;konsekvens;status", "KS;2026;Totalt avbrott i IT;3;4;"],
            "risk",
            ("KS", 2026, "Totalt avbrott i IT", 3, 4, None, None, None, None, 2),
        ),
    ],
)
def test_good_files_of_other_kinds(tmp_path, name, lines, table, first_row):
    parsed = parse(tmp_path, name, *lines)
    assert parsed.ok, parsed.problems
    assert parsed.tables[table].row(0) == first_row


def test_parse_files(tmp_path):
    good = write(tmp_path, "utfall_a.csv", UTFALL_HEADER, "202610;1;2;4110;5")
    bad = write(tmp_path, "okand_a.csv", "a", "1")
    results = parse_files([good, bad], TODAY)
    assert [r.ok for r in results] == [True, False]
    assert [r.name for r in results] == ["utfall_a.csv", "okand_a.csv"]


# ---------------------------------------------------------------------------------------------
# One bad file per failure kind


def test_unknown_prefix_lists_known_prefixes(tmp_path):
    parsed = parse(tmp_path, "huvudbok_2026.csv", UTFALL_HEADER, "202610;1;2;4110;5")
    [problem] = parsed.problems
    assert parsed.kind is None
    assert problem.file == "huvudbok_2026.csv"
    assert "Filnamnet börjar inte med något känt prefix" in problem.reason
    assert "Kända prefix: utfall_, budget_, periodisering_" in problem.reason
    assert all(prefix in problem.reason for prefix in KNOWN_PREFIXES)
    assert (problem.row, problem.column) == (None, None)


def test_unsupported_extension(tmp_path):
    parsed = parse(tmp_path, "utfall_2026.xls", "whatever")
    [problem] = parsed.problems
    assert problem.reason == (
        "Filtypen .xls stöds inte för utfall_-filer. Spara filen som .csv, .txt eller .xlsx"
    )


def test_json_kind_without_registered_reader(tmp_path, monkeypatch):
    monkeypatch.setattr(kinds, "_READERS", {})
    parsed = parse(tmp_path, "kolada_2026.json", "{}")
    assert located(parsed.problems) == [
        (None, None, "Det finns ingen inläsare för kolada_-filer i den här installationen")
    ]


def test_cannot_decode(tmp_path):
    path = tmp_path / "utfall_2026.csv"
    path.write_bytes(b"period;belopp\n202610;\x81\xe5\n")
    [problem] = parse_file(path, TODAY).problems
    assert "varken" in problem.reason and "Windows-1252" in problem.reason


def test_empty_file(tmp_path):
    path = tmp_path / "utfall_2026.csv"
    path.write_bytes(b"")
    assert located(parse_file(path, TODAY).problems) == [(None, None, "Filen är tom.")]


def test_header_only(tmp_path):
    parsed = parse(tmp_path, "utfall_2026.csv", UTFALL_HEADER)
    assert located(parsed.problems) == [
        (None, None, "Filen innehåller bara en rubrikrad och inga datarader")
    ]


def test_missing_required_columns_are_all_named(tmp_path):
    parsed = parse(tmp_path, "utfall_2026.csv", "period;ansvar;verksamhet", "202610;1;2")
    assert [(p.column, p.reason.split(" (")[0]) for p in parsed.problems] == [
        ("konto", "Obligatorisk kolumn saknas: konto"),
        ("belopp", "Obligatorisk kolumn saknas: belopp"),
    ]
    assert "filen har kolumnerna period, ansvar, verksamhet" in parsed.problems[0].reason


def test_wrong_delimiter_shows_as_missing_columns(tmp_path):
    parsed = parse(
        tmp_path, "utfall_2026.csv", "period|ansvar|verksamhet|konto|belopp", "1|2|3|4|5"
    )
    assert len(parsed.problems) == 5
    assert "filen har kolumnerna period|ansvar|verksamhet|konto|belopp" in parsed.problems[0].reason


def test_unparseable_amount(tmp_path):
    parsed = parse(
        tmp_path, "utfall_2026.csv", UTFALL_HEADER, "202610;1;2;4110;5", "202610;1;2;4110;12,3,4"
    )
    [problem] = parsed.problems
    assert problem.reason.startswith("Beloppet går inte att tolka som ett tal")
    assert (problem.row, problem.column, problem.value) == (3, "belopp", "12,3,4")
    assert problem.line().startswith(
        "Rad 3, kolumn belopp, värde '12,3,4': Beloppet går inte att tolka som ett tal"
    )


def test_amount_with_three_decimals_is_not_rounded(tmp_path):
    parsed = parse(tmp_path, "utfall_2026.csv", UTFALL_HEADER, "202610;1;2;4110;1,234")
    assert [(p.row, p.column, p.value) for p in parsed.problems] == [(2, "belopp", "1,234")]


def test_unparseable_number(tmp_path):
    parsed = parse(tmp_path, "periodisering_2027.csv", "ar;nyckel;manad;andel", "2027;ett;1;hel")
    assert located(parsed.problems)[0] == (
        2,
        "andel",
        "Värdet går inte att tolka som ett tal (skriv till exempel 0,0833 eller 12,5)",
    )


def test_unparseable_integer_and_year(tmp_path):
    parsed = parse(
        tmp_path,
        "periodisering_2027.csv",
        "ar;nyckel;manad;andel",
        "27;ett;tre;1",
    )
    assert located(parsed.problems) == [
        (2, "ar", "Året ska vara ett årtal med fyra siffror, till exempel 2026"),
        (2, "manad", "Värdet går inte att tolka som ett heltal"),
    ]


@pytest.mark.parametrize("value", ["2026-02-30", "2026-13-01", "30/1 2026", "2026-2-3"])
def test_impossible_or_malformed_date(tmp_path, value):
    parsed = parse(
        tmp_path,
        "atgardsplan_2026.csv",
        "namnd;beslutsdatum;diarienummer",
        f"SN;{value};SN 2026/1",
    )
    [problem] = parsed.problems
    assert (problem.row, problem.column, problem.value) == (2, "beslutsdatum", value)
    assert problem.reason.startswith("Datumet går inte att tolka: skriv det som ÅÅÅÅ-MM-DD")


@pytest.mark.parametrize("value", ["202614", "202600", "2026-14"])
def test_period_with_impossible_month(tmp_path, value):
    """13 is the ledger's closing entries (tests/intake/test_intake_uppfoljning.py)."""
    parsed = parse(tmp_path, "utfall_2026.csv", UTFALL_HEADER, f"{value};1;2;4110;5")
    assert located(parsed.problems) == [
        (2, "period", "Månaden i perioden måste vara 01–12, eller 13 för bokslutsposter")
    ]


@pytest.mark.parametrize("value", ["okt-26", "2026/10", "20261", "2026", "2026-10-01", "26-10"])
def test_period_in_wrong_form(tmp_path, value):
    parsed = parse(tmp_path, "utfall_2026.csv", UTFALL_HEADER, f"{value};1;2;4110;5")
    [problem] = parsed.problems
    assert (problem.row, problem.column, problem.value) == (2, "period", value)
    assert problem.reason == (
        "Perioden ska anges som ÅÅÅÅMM eller ÅÅÅÅ-MM, till exempel 202610 eller 2026-10"
    )


def test_period_in_the_future(tmp_path):
    parsed = parse(
        tmp_path,
        "utfall_2026.csv",
        UTFALL_HEADER,
        "202611;1;2;4110;5",
        "202612;1;2;4110;5",
    )
    assert located(parsed.problems) == [
        (
            3,
            "period",
            "Perioden ligger i framtiden (den senaste möjliga perioden är 2026-11)",
        )
    ]


def test_indicator_year_in_the_future(tmp_path):
    parsed = parse(tmp_path, "indikator_x.csv", "indikator;org;period;varde", "a;KS;2027;1")
    assert [(p.row, p.column) for p in parsed.problems] == [(2, "period")]
    assert "framtiden" in parsed.problems[0].reason


def test_required_value_empty(tmp_path):
    parsed = parse(tmp_path, "utfall_2026.csv", UTFALL_HEADER, "202610;;2;4110;5")
    assert located(parsed.problems) == [(2, "ansvar", MISSING_VALUE_REASON)]
    assert parsed.problems[0].value is None


def test_summa_footer_row_in_csv(tmp_path):
    parsed = parse(
        tmp_path,
        "utfall_2026.csv",
        UTFALL_HEADER,
        "202610;1;2;4110;5",
        "Summa;;;;5",
    )
    # The footer is reported once, not also as a bad period and missing values.
    assert [(p.row, p.column, p.value, p.reason) for p in parsed.problems] == [
        (3, "period", "Summa", FOOTER_REASON)
    ]


@pytest.mark.parametrize("label", ["Summa", "Totalt", "SUMMA TOTALT:", "summa ansvar 1001"])
def test_footer_row_in_xlsx(tmp_path, label):
    path = write_xlsx(
        tmp_path,
        "budget_2027.xlsx",
        [
            ["År", "Ansvar", "Verksamhet", "Konto", "Belopp"],
            [2027, 1001, 100, 5110, 1000],
            [2027, 1002, 100, 5110, 2000],
            [None, label, None, None, 3000],
        ],
    )
    parsed = parse_file(path, TODAY)
    assert [(p.row, p.column, p.value, p.reason) for p in parsed.problems] == [
        (4, "ansvar", label, FOOTER_REASON)
    ]
    assert parsed.tables["budget"]["konto"].to_list() == ["5110", "5110"]


def test_word_merely_starting_like_summa_is_not_a_footer(tmp_path):
    parsed = parse(tmp_path, "utfall_2026.csv", UTFALL_HEADER, "202610;Summerat;2;4110;5")
    assert parsed.ok, parsed.problems


def test_free_text_starting_with_totalt_is_not_a_footer(tmp_path):
    parsed = parse(
        tmp_path,
        "risk_2026.csv",
        "namnd;ar;risk;sannolikhet;konsekvens;kontrollmoment",
        "KS;2026;Totalt strömavbrott;2;5;Summan av reservkraft kontrolleras",
    )
    assert parsed.ok, parsed.problems


@pytest.mark.parametrize(
    ("cell", "masked"),
    [
        ("850612-1234", "850612-****"),
        ("850612+1234", "850612+****"),
        ("19850612-1234", "19850612-****"),
        ("198506121234", "19850612-****"),
        ("Anna, 19850672-1234", "Anna, 19850672-****"),  # samordningsnummer: day + 60
    ],
)
def test_personnummer_in_any_cell_is_reported_masked(tmp_path, cell, masked):
    parsed = parse(
        tmp_path,
        "atgardsplan_2026.csv",
        "namnd;beslutsdatum;diarienummer;kommentar",
        "SN;2026-10-20;SN 2026/1;",
        f'SN;2026-10-20;SN 2026/2;"{cell}"',
    )
    [problem] = parsed.problems
    assert (problem.row, problem.column, problem.reason) == (3, "kommentar", PERSONNUMMER_REASON)
    assert problem.value == masked
    assert "1234" not in problem.line()


def test_personnummer_in_a_column_the_kind_does_not_know(tmp_path):
    parsed = parse(
        tmp_path, "utfall_2026.csv", UTFALL_HEADER + ";attest", "202610;1;2;4110;5;850612-1234"
    )
    assert [(p.row, p.column, p.value) for p in parsed.problems] == [(2, "attest", "850612-****")]


@pytest.mark.parametrize(
    "text",
    ["851312-1234", "850600-1234", "2026-10-15", "KS 2026/1234", "20261015", "12345678-1234"],
)
def test_not_a_personnummer(text):
    assert not looks_like_personnummer(text)


def test_mask_personnummer_keeps_the_rest():
    assert mask_personnummer("ring 850612-1234 eller 19900101-5678") == (
        "ring 850612-**** eller 19900101-****"
    )


def test_periodisering_shares_must_sum_to_one(tmp_path):
    good = [f"2027;lon;{m};0,0833333" for m in range(1, 13)]  # sums to 0.9999996
    bad = [f"2027;ovrigt;{m};0,08" for m in range(1, 13)]  # sums to 0.96
    parsed = parse(tmp_path, "periodisering_2027.csv", "ar;nyckel;manad;andel", *good, *bad)
    assert located(parsed.problems) == [
        (
            None,
            "andel",
            "Andelarna för nyckeln ovrigt år 2027 summerar till 0,9600, men ska summera till 1 "
            "(tillåten avvikelse 0,0001)",
        )
    ]
    assert parsed.problems[0].value == "0,9600"


def test_periodisering_month_twice(tmp_path):
    rows = [f"2027;lon;{m};0,1" for m in range(1, 9)] + ["2027;lon;9;0,1", "2027;lon;9;0,1"]
    parsed = parse(tmp_path, "periodisering_2027.csv", "ar;nyckel;manad;andel", *rows)
    assert located(parsed.problems) == [
        (10, "manad", "Månad 9 finns flera gånger för nyckeln lon år 2027"),
        (11, "manad", "Månad 9 finns flera gånger för nyckeln lon år 2027"),
    ]


def test_manad_outside_1_to_12(tmp_path):
    parsed = parse(tmp_path, "periodisering_2027.csv", "ar;nyckel;manad;andel", "2027;a;13;1")
    assert located(parsed.problems) == [(2, "manad", "Värdet måste vara ett heltal från 1 till 12")]


def test_sannolikhet_and_konsekvens_outside_1_to_5(tmp_path):
    parsed = parse(
        tmp_path,
        "risk_2026.csv",
        "namnd;ar;risk;sannolikhet;konsekvens",
        "KS;2026;Brand;0;3",
        "KS;2026;Stöld;2;6",
    )
    assert located(parsed.problems) == [
        (2, "sannolikhet", "Värdet måste vara ett heltal från 1 till 5"),
        (3, "konsekvens", "Värdet måste vara ett heltal från 1 till 5"),
    ]


def test_typ_outside_allowed_values(tmp_path):
    parsed = parse(
        tmp_path, "investering_2026.csv", "projekt;namnd;ar;belopp;typ", "P1;KS;2027;1;budget"
    )
    assert [(p.row, p.column, p.value, p.reason) for p in parsed.problems] == [
        (2, "typ", "budget", "Värdet måste vara ett av: plan, utfall, prognos")
    ]


def test_kon_and_alder_outside_allowed_values(tmp_path):
    parsed = parse(
        tmp_path,
        "befolkning_2025.csv",
        "region;ar;alder;kon;antal;typ",
        "0680;2025;101;T;5;utfall",
        "0680;2025;95+;M;-1;utfall",
    )
    alder_reason = (
        "Åldern ska vara ett heltal från 0 till 100 (100 eller 100+ betyder 100 år och äldre)"
    )
    assert located(parsed.problems) == [
        (2, "alder", alder_reason),
        (2, "kon", "Kön ska vara M (män) eller K (kvinnor)"),
        (3, "alder", alder_reason),
        (3, "antal", "Värdet får inte vara mindre än 0"),
    ]


def test_riktning_values():
    kind = FileKind(
        "test_", "test", ("test",), required=("riktning",), types={"riktning": "riktning"}
    )
    raw = pl.DataFrame(
        {"riktning": ["Högre", "lägre", "uppåt"], "source_row": [2, 3, 4]},
        schema={"riktning": pl.String, "source_row": pl.Int64},
    )
    typed, problems = type_table(kind, raw, "test_x.csv", TODAY)
    assert typed["riktning"].to_list() == ["hogre", "lagre", None]
    assert [(p.row, p.value) for p in problems] == [(4, "uppåt")]
    assert problems[0].reason.startswith("Riktningen ska vara högre")


def test_riktning_words_of_the_goal_register_are_accepted_in_tables_too():
    # codes.RIKTNING_VALUES is the one map: "higher"/"lower" came from the goal register's
    kind = FileKind(
        "test_", "test", ("test",), required=("riktning",), types={"riktning": "riktning"}
    )
    raw = pl.DataFrame(
        {"riktning": ["Higher", "lower", "Lägre är bättre"], "source_row": [2, 3, 4]},
        schema={"riktning": pl.String, "source_row": pl.Int64},
    )
    typed, problems = type_table(kind, raw, "test_x.csv", TODAY)
    assert typed["riktning"].to_list() == ["hogre", "lagre", "lagre"]
    assert problems == []


def test_three_different_problems_are_all_reported(tmp_path):
    parsed = parse(
        tmp_path,
        "utfall_2026.csv",
        UTFALL_HEADER,
        "202610;1;2;4110;abc",
        "202610;;2;4110;5",
        "202705;1;2;4110;5",
    )
    assert [(p.row, p.column) for p in parsed.problems] == [
        (2, "belopp"),
        (3, "ansvar"),
        (4, "period"),
    ]
    assert parsed.problems[0].reason.startswith("Beloppet går inte att tolka som ett tal")
    assert parsed.problems[1].reason == MISSING_VALUE_REASON
    assert "ligger i framtiden" in parsed.problems[2].reason


# ---------------------------------------------------------------------------------------------
# The registry


def test_kind_for_is_case_insensitive_and_by_prefix():
    assert kind_for("UTFALL_2026-10.CSV").name == "utfall"
    assert kind_for("/some/dir/mal_2027.yaml").tables == ("mal", "malindikator")
    assert kind_for("utfall.csv") is None
    assert kind_for("prognosutfall_2026.csv") is None


def test_registered_reader(tmp_path, monkeypatch):
    monkeypatch.setattr(kinds, "_READERS", {})

    def read_kolada(path):
        return {
            "kolada": pl.DataFrame(
                {"kpi": ["N01951", "850612-1234"], "source_row": [1, 2]},
                schema={"kpi": pl.String, "source_row": pl.Int64},
            )
        }

    register_reader("kolada_", [".JSON"], read_kolada)
    parsed = parse(tmp_path, "kolada_2026.json", "{}")
    assert parsed.tables["kolada"]["kpi"].to_list() == ["N01951", "850612-1234"]
    assert [(p.row, p.column, p.value, p.reason) for p in parsed.problems] == [
        (2, "kpi", "850612-****", PERSONNUMMER_REASON)
    ]


def test_registered_reader_problems_and_failures(tmp_path, monkeypatch):
    monkeypatch.setattr(kinds, "_READERS", {})

    def refuse(path):
        raise IntakeError([Problem(path.name, "Fältet values saknas")])

    def crash(path):
        raise ValueError("Expecting value: line 1 column 1")

    register_reader("kolada_", [".json"], refuse)
    register_reader("befolkning_", ["json"], crash)
    refused = parse(tmp_path, "kolada_2026.json", "{}")
    crashed = parse(tmp_path, "befolkning_2026.json", "")
    assert located(refused.problems) == [(None, None, "Fältet values saknas")]
    assert crashed.problems[0].reason == (
        "Filen kunde inte läsas (ValueError: Expecting value: line 1 column 1)"
    )


def test_registering_an_unknown_prefix_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown file kind prefix"):
        register_reader("okand_", [".json"], lambda path: {})


# ---------------------------------------------------------------------------------------------
# antaganden_: exact values, known parameters; investering_: the full-year prognos


def test_antaganden_in_kronor_are_exact_decimals(tmp_path):
    parsed = parse(
        tmp_path,
        "antaganden_2026.csv",
        "år;parameter;värde;källa",
        "2025;resultatreserv_reservation;1 234 567,89;KF 2026-04-20",
        "2025;balanskrav_undantag;-0,01;KF 2026-04-20",
        "2026;pkv;2,8125;SKR",
    )
    assert parsed.ok, parsed.problems
    table = parsed.tables["antaganden"]
    assert table.schema["varde"] == pl.Decimal(18, 4)
    assert table["varde"].to_list() == [
        Decimal("1234567.8900"),
        Decimal("-0.0100"),
        Decimal("2.8125"),
    ]


def test_antaganden_unknown_parameter_is_rejected_with_the_known_ones_listed(tmp_path):
    parsed = parse(
        tmp_path,
        "antaganden_2026.csv",
        "år;parameter;värde;källa",
        "2026;resultatreserv;100;KF",
        "2026;Skattesats;21,64;KF",
    )
    assert [(p.row, p.column, p.value) for p in parsed.problems] == [
        (2, "parameter", "resultatreserv")
    ]
    reason = parsed.problems[0].reason
    for parameter in (
        "skatteunderlag_tillvaxt",
        "pkv",
        "skattesats",
        "statsbidrag_per_inv",
        "real_kostnadsdrift",
        "finansnetto",
        "balanskrav_undantag",
        "resultatreserv_reservation",
        "resultatreserv_disposition",
    ):
        assert parameter in reason


def test_antaganden_more_than_four_decimals_is_rejected_not_rounded(tmp_path):
    parsed = parse(
        tmp_path, "antaganden_2026.csv", "år;parameter;värde;källa", "2026;pkv;2,81255;SKR"
    )
    assert [(p.row, p.column, p.value) for p in parsed.problems] == [(2, "varde", "2,81255")]
    assert "högst fyra decimaler" in parsed.problems[0].reason


def test_every_parameter_the_projection_reads_is_a_known_antagande():
    from models.langtidsprognos_assumptions import PARAMETERS
    from pipelines.defs.forecast.langtidsprognos import ANTAGANDE_ENHET

    assert set(PARAMETERS) <= set(kinds.ANTAGANDE_PARAMETRAR)
    assert set(ANTAGANDE_ENHET) <= set(kinds.ANTAGANDE_PARAMETRAR)


def test_investering_prognos_is_a_type(tmp_path):
    parsed = parse(
        tmp_path,
        "investering_2026.csv",
        "projekt;nämnd;år;belopp;typ",
        "P7;BUN;2026;18 500 000;Prognos",
    )
    assert parsed.ok, parsed.problems
    assert parsed.tables["investering"]["typ"].to_list() == ["prognos"]
