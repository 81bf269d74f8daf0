"""The whole-inbox intake (docs/contract.md, "What a bad file gets"): every bad input is rejected
by `examine_inbox` with its row, column, value and Swedish reason; good files load with their
audit columns; the controller is told what to fix.

The bad inputs of §2 sit in one inbox examined once (great-expectations runs in `examine_inbox`
for the ekonomi kinds and is slow to start); each test then reads its own file's verdict.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest

from pipelines.lib.intake import KNOWN_PREFIXES, fel_path, format_problems, inbox, quarantine
from pipelines.lib.intake.inbox import (
    examine_inbox,
    load_deliveries,
    loaded_checksums,
    loaded_organisation,
    rejection_summary,
)
from pipelines.lib.intake.raw_tables import create_statements

TODAY = dt.date(2026, 11, 28)
NBSP = "\u00a0"
UTFALL_HEADER = "period;ansvar;verksamhet;konto;belopp"
ORG_HEADER = "ansvar;ansvar_namn;forvaltning;forvaltning_namn;namnd;namnd_namn;giltig_from"

# The published organisation: 30010 (IFO) was wound up at the end of 2024.
ORGANISATION = pl.DataFrame(
    {
        "ansvar": ["10001", "20001", "30010"],
        "forvaltning": ["UTBF", "SOCF", "SOCF"],
        "namnd": ["BUN", "SOC", "IFO"],
        "verksamhetsomrade": ["Grundskola", "Äldreomsorg", None],
        "giltig_from": [dt.date(2019, 1, 1)] * 3,
        "giltig_tom": [None, None, dt.date(2024, 12, 31)],
    },
    schema_overrides={"giltig_tom": pl.Date},
)

PERSONNUMMER = "19850612-1234"
PERSONNUMMER_12 = "198506121234"


def write(directory: Path, name: str, *lines: str, encoding: str = "utf-8") -> Path:
    path = directory / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def write_xlsx(directory: Path, name: str, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    path = directory / name
    workbook.save(path)
    return path


def located(problems) -> list[tuple[int | None, str | None, str | None]]:
    """(row, column, value) of each problem."""
    return [(p.row, p.column, p.value) for p in problems]


def examine(files: list[Path], organisation: pl.DataFrame = ORGANISATION, loaded=frozenset()):
    return examine_inbox(files, TODAY, organisation, set(loaded))


# ---------------------------------------------------------------------------------------------
# Every bad input of §2, in one inbox


BAD_FILES = {
    "utfall_belopp.csv": [
        UTFALL_HEADER,
        "202603;10001;100;4110;1 000,00",
        "202603;10001;100;4110;12,3,4",
    ],
    "utfall_utan_konto.csv": [
        "period;ansvar;verksamhet;belopp",
        "202603;10001;100;1 000,00",
    ],
    "utfall_gammalt_ansvar.csv": [
        UTFALL_HEADER,
        "202503;10001;100;4110;500,00",
        "202503;30010;300;4110;750,00",
    ],
    "utfall_perioder.csv": [
        UTFALL_HEADER,
        "202614;10001;100;4110;100,00",  # 13 is the closing entries (test_intake_uppfoljning)
        "202612;10001;100;4110;100,00",
        "202611;10001;100;4110;100,00",  # the current month is not in the future
    ],
    "utfall_tom.csv": None,  # 0 bytes
    "budget_bara_rubrik.csv": ["ar;ansvar;verksamhet;konto;belopp"],
    "budget_okand_namnd.csv": [
        "ar;ansvar;verksamhet;konto;belopp",
        "2026;10001;100;4110;-5 000 000",
        "2026;30010;300;4110;-2 000 000",
    ],
    "periodisering_nycklar.csv": [
        "ar;nyckel;manad;andel",
        *[f"2026;jamn;{m};0,0833" for m in range(1, 13)],  # 12 x 0,0833 = 0,9996
        *[f"2026;halvar;{m};{'0,5' if m in (6, 12) else '0'}" for m in range(1, 13)],
    ],
    "organisation_fel_datum.csv": [
        ORG_HEADER,
        "10001;Skola;UTBF;Utbildning;BUN;Barn- och utbildningsnämnden;2026-02-30",
    ],
    "atgardsplan_fel_datum.csv": [
        "namnd;beslutsdatum;diarienummer",
        "SOC;2026-02-30;SN 2026/12",
    ],
    "utfall_personnummer.csv": [
        "period;ansvar;verksamhet;konto;belopp;projekt;motpart",
        "202603;10001;100;4110;100,00;;",
        f"202603;10001;100;4110;100,00;Ersättning {PERSONNUMMER};",
        f"202603;10001;100;4110;100,00;;{PERSONNUMMER_12}",
    ],
    "lonefil_2026.csv": [UTFALL_HEADER, "202603;10001;100;4110;1,00"],
}
FOOTER_XLSX = "utfall_mars.xlsx"


@pytest.fixture(scope="module")
def bad_inbox(tmp_path_factory):
    """(inbox folder, outcome of examining it): one run over every bad input."""
    inbox = tmp_path_factory.mktemp("inbox")
    for name, lines in BAD_FILES.items():
        if lines is None:
            (inbox / name).write_bytes(b"")
        else:
            write(inbox, name, *lines)
    write_xlsx(
        inbox,
        FOOTER_XLSX,
        [
            ["Period", "Ansvar", "Verksamhet", "Konto", "Belopp"],
            [202603, "10001", 100, 4110, 1000.5],
            [202603, "20001", 200, 4110, 2000],
            ["Summa", None, None, None, 3000.5],
        ],
    )
    return inbox, examine(sorted(inbox.iterdir()))


def problems_of(bad_inbox, name: str):
    inbox, outcome = bad_inbox
    assert inbox / name in outcome.rejected, f"{name} was not rejected"
    return outcome.rejected[inbox / name]


def test_the_bad_inbox_rejects_every_file_and_accepts_none(bad_inbox):
    inbox, outcome = bad_inbox
    assert not outcome.ok
    assert outcome.accepted == []
    assert outcome.already_loaded == []
    # The files checked against the organisation wait for the rejected organisation file.
    held = {"utfall_gammalt_ansvar.csv", "budget_okand_namnd.csv"}
    assert {p.name: w for p, w in outcome.held.items()} == {
        "utfall_gammalt_ansvar.csv": ["organisation_fel_datum.csv"],
        "budget_okand_namnd.csv": ["organisation_fel_datum.csv", "periodisering_nycklar.csv"],
    }
    assert sorted(p.name for p in outcome.rejected) == sorted({*BAD_FILES, FOOTER_XLSX} - held)
    assert all(problems for problems in outcome.rejected.values())


def test_unparseable_amount_names_row_and_column(bad_inbox):
    problems = problems_of(bad_inbox, "utfall_belopp.csv")
    assert located(problems) == [(3, "belopp", "12,3,4")]
    assert problems[0].reason.startswith("Beloppet går inte att tolka som ett tal")


def test_missing_required_column_is_named(bad_inbox):
    [problem] = problems_of(bad_inbox, "utfall_utan_konto.csv")
    assert (problem.row, problem.column) == (None, "konto")
    assert problem.reason == (
        "Obligatorisk kolumn saknas: konto "
        "(filen har kolumnerna period, ansvar, verksamhet, belopp)"
    )


def alone(bad_inbox, name: str):
    """The file examined without the bad inbox's rejected organisation file."""
    inbox, _ = bad_inbox
    outcome = examine([inbox / name])
    assert inbox / name in outcome.rejected, f"{name} was not rejected"
    return outcome.rejected[inbox / name]


def test_ansvar_unknown_for_the_period(bad_inbox):
    problems = alone(bad_inbox, "utfall_gammalt_ansvar.csv")
    assert located(problems) == [(3, "ansvar", "30010")]
    assert problems[0].reason == "Ansvaret 30010 finns inte i organisationen för perioden 2025-03."


def test_month_14_and_a_future_period_are_both_rejected(bad_inbox):
    problems = problems_of(bad_inbox, "utfall_perioder.csv")
    assert located(problems) == [(2, "period", "202614"), (3, "period", "202612")]
    assert problems[0].reason == "Månaden i perioden måste vara 01–12, eller 13 för bokslutsposter"
    assert problems[1].reason == (
        "Perioden ligger i framtiden (den senaste möjliga perioden är 2026-11)"
    )


def test_empty_file_is_rejected(bad_inbox):
    [problem] = problems_of(bad_inbox, "utfall_tom.csv")
    assert (problem.row, problem.column, problem.value) == (None, None, None)
    assert problem.reason == "Filen är tom."


def test_header_only_file_is_rejected(bad_inbox):
    [problem] = problems_of(bad_inbox, "budget_bara_rubrik.csv")
    assert (problem.row, problem.column, problem.value) == (None, None, None)
    assert problem.reason == "Filen innehåller bara en rubrikrad och inga datarader"


def test_xlsx_summa_footer_row_is_rejected_not_summed(bad_inbox):
    problems = problems_of(bad_inbox, FOOTER_XLSX)
    assert located(problems) == [(4, "period", "Summa")]
    assert problems[0].reason.startswith("Raden ser ut som en summeringsrad.")
    assert "ta bort raden" in problems[0].reason


def test_budget_for_an_unknown_namnd_is_rejected(bad_inbox):
    problems = alone(bad_inbox, "budget_okand_namnd.csv")
    assert located(problems) == [(3, "ansvar", "30010")]
    assert problems[0].reason == (
        "Ansvaret 30010 finns inte i organisationen under år 2026, så budgeten hör inte till "
        "någon känd nämnd."
    )


def test_periodisering_shares_must_sum_to_one(bad_inbox):
    problems = problems_of(bad_inbox, "periodisering_nycklar.csv")
    assert located(problems) == [(None, "andel", "0,9996")]  # the key 'halvar' sums to 1
    assert problems[0].reason == (
        "Andelarna för nyckeln jamn år 2026 summerar till 0,9996, men ska summera till 1 "
        "(tillåten avvikelse 0,0001)"
    )


@pytest.mark.parametrize(
    ("name", "column"),
    [("organisation_fel_datum.csv", "giltig_from"), ("atgardsplan_fel_datum.csv", "beslutsdatum")],
)
def test_impossible_date_is_rejected(bad_inbox, name, column):
    problems = problems_of(bad_inbox, name)
    assert located(problems) == [(2, column, "2026-02-30")]
    assert problems[0].reason == (
        "Datumet går inte att tolka: skriv det som ÅÅÅÅ-MM-DD och kontrollera att dagen finns"
    )


def test_personnummer_in_a_text_column_is_rejected_and_masked(bad_inbox):
    problems = problems_of(bad_inbox, "utfall_personnummer.csv")
    assert located(problems) == [
        (3, "projekt", "Ersättning 19850612-****"),
        (4, "motpart", "19850612-****"),
    ]
    assert all(p.reason.startswith("Värdet ser ut som ett personnummer.") for p in problems)
    text = format_problems("utfall_personnummer.csv", problems)
    for secret in (PERSONNUMMER, PERSONNUMMER_12, "1234"):
        assert secret not in text
    assert "Rad 3, kolumn projekt, värde 'Ersättning 19850612-****'" in text


def test_unknown_prefix_is_rejected_listing_the_known_ones(bad_inbox):
    [problem] = problems_of(bad_inbox, "lonefil_2026.csv")
    assert (problem.row, problem.column) == (None, None)
    assert problem.reason.startswith("Filnamnet börjar inte med något känt prefix")
    assert problem.reason.endswith("Kända prefix: " + ", ".join(KNOWN_PREFIXES))
    for prefix in ("utfall_", "budget_", "organisation_", "risk_"):
        assert prefix in problem.reason


def test_personnummer_in_a_typed_column_is_never_echoed(tmp_path):
    """A personnummer where an amount or a date belongs is also unparseable there; neither
    problem may carry the full number into the .fel.txt."""
    files = [
        write(
            tmp_path,
            "utfall_pnr_belopp.csv",
            UTFALL_HEADER,
            f"202603;10001;100;4110;{PERSONNUMMER}",
        ),
        write(
            tmp_path,
            "atgardsplan_pnr_datum.csv",
            "namnd;beslutsdatum;diarienummer",
            f"SOC;{PERSONNUMMER_12};SN 2026/12",
        ),
    ]
    outcome = examine(files)
    assert set(outcome.rejected) == set(files)
    utfall = outcome.rejected[files[0]]
    assert {(p.row, p.column) for p in utfall} == {(2, "belopp")}
    assert any(p.reason.startswith("Värdet ser ut som ett personnummer.") for p in utfall)
    for path, problems in outcome.rejected.items():
        text = format_problems(path.name, problems)
        assert "Rad 2" in text
        for secret in (PERSONNUMMER, PERSONNUMMER_12):
            assert secret not in text, text


# ---------------------------------------------------------------------------------------------
# Every problem in one run; files already loaded; a reorganisation with its ledger


def test_every_problem_of_every_file_is_listed_in_one_run(tmp_path):
    good = write(tmp_path, "utfall_2026-03.csv", UTFALL_HEADER, "202603;10001;100;4110;1 000,00")
    two_problems = write(
        tmp_path,
        "utfall_2026-04.csv",
        UTFALL_HEADER,
        "202604;10001;100;4110;12,3,4",
        "202614;10001;100;4110;5,00",
    )
    unknown_ansvar = write(
        tmp_path, "utfall_2026-05.csv", UTFALL_HEADER, "202605;99999;100;4110;5,00"
    )
    no_prefix = write(tmp_path, "huvudbok_2026.csv", UTFALL_HEADER, "202605;10001;100;4110;5,00")

    outcome = examine([good, two_problems, unknown_ansvar, no_prefix])

    assert [d.path for d in outcome.accepted] == [good]
    assert outcome.accepted[0].kind == "utfall" and outcome.accepted[0].rows == 1
    assert set(outcome.rejected) == {two_problems, unknown_ansvar, no_prefix}
    both = outcome.rejected[two_problems]
    assert located(both) == [(2, "belopp", "12,3,4"), (3, "period", "202614")]
    assert both[0].reason.startswith("Beloppet går inte att tolka")
    assert both[1].reason == "Månaden i perioden måste vara 01–12, eller 13 för bokslutsposter"
    [unknown] = outcome.rejected[unknown_ansvar]
    assert (unknown.row, unknown.column, unknown.value) == (2, "ansvar", "99999")
    assert "finns inte i organisationen för perioden 2026-05" in unknown.reason
    [prefix] = outcome.rejected[no_prefix]
    assert "Kända prefix" in prefix.reason


def test_a_file_already_loaded_is_not_parsed_again(tmp_path, monkeypatch):
    # Bad content on purpose: had it been parsed, it would have been rejected.
    old = write(tmp_path, "utfall_2026-01.csv", UTFALL_HEADER, "202601;10001;100;4110;12,3,4")
    new = write(tmp_path, "utfall_2026-02.csv", UTFALL_HEADER, "202602;10001;100;4110;10,00")
    parsed: list[Path] = []
    real_parse_file = inbox.parse_file

    def spy(path, today, *args, **kwargs):
        parsed.append(path)
        return real_parse_file(path, today, *args, **kwargs)

    monkeypatch.setattr(inbox, "parse_file", spy)
    loaded = {hashlib.sha256(old.read_bytes()).hexdigest()}

    outcome = examine([old, new], loaded=loaded)

    assert outcome.already_loaded == [old]
    assert parsed == [new]
    assert outcome.rejected == {}
    assert [d.path for d in outcome.accepted] == [new]


def test_a_reorganisation_arrives_with_the_ledger_that_uses_it(tmp_path):
    organisation = write(
        tmp_path,
        "organisation_2026.csv",
        ORG_HEADER + ";giltig_tom",
        "40001;Kulturskola;KUF;Kulturförvaltningen;KUN;Kulturnämnden;2026-01-01;",
    )
    uses_it = write(tmp_path, "utfall_2026-02.csv", UTFALL_HEADER, "202602;40001;400;4110;10,00")
    before_it = write(tmp_path, "utfall_2025-12.csv", UTFALL_HEADER, "202512;40001;400;4110;9,00")

    # Given in an order where the ledger comes before the organisation that defines its ansvar.
    outcome = examine([uses_it, before_it, organisation])

    assert {d.path for d in outcome.accepted} == {uses_it, organisation}
    assert set(outcome.rejected) == {before_it}
    [problem] = outcome.rejected[before_it]
    assert (problem.row, problem.column, problem.value) == (2, "ansvar", "40001")
    assert problem.reason == "Ansvaret 40001 finns inte i organisationen för perioden 2025-12."

    # Without the organisation file the same ledger is rejected.
    alone = examine([uses_it])
    assert [located(p) for p in alone.rejected.values()] == [[(2, "ansvar", "40001")]]


def test_a_redelivered_organisation_row_replaces_the_loaded_one(tmp_path):
    """The warehouse keeps the latest delivery of an (ansvar, giltig_from) row, so when the
    organisation in the inbox closes 20001 at the end of 2025, a 2026 ledger row on 20001 would
    belong to no nämnd there: it must be rejected, not checked against the older, open row."""
    organisation = write(
        tmp_path,
        "organisation_2026.csv",
        ORG_HEADER + ";giltig_tom",
        "20001;Äldreomsorg;SOCF;Socialförvaltningen;SOC;Socialnämnden;2019-01-01;2025-12-31",
        "20002;Äldreomsorg;VOF;Vård- och omsorgsförvaltningen;VON;Vård- och omsorgsnämnden;"
        "2026-01-01;",
    )
    ledger = write(
        tmp_path,
        "utfall_2026-03.csv",
        UTFALL_HEADER,
        "202512;20001;200;4110;10,00",
        "202603;20002;200;4110;10,00",
        "202603;20001;200;4110;10,00",
    )

    outcome = examine([organisation, ledger])

    assert [d.path for d in outcome.accepted] == [organisation]
    [problem] = outcome.rejected[ledger]
    assert (problem.row, problem.column, problem.value) == (4, "ansvar", "20001")
    assert problem.reason == "Ansvaret 20001 finns inte i organisationen för perioden 2026-03."


# ---------------------------------------------------------------------------------------------
# Loading into the raw layer


@pytest.fixture
def con():
    connection = duckdb.connect()
    for statement in create_statements():
        connection.execute(statement)
    yield connection
    connection.close()


def test_load_deliveries_writes_audit_columns_and_exact_amounts(tmp_path, con):
    utfall = tmp_path / "utfall_2026-01.csv"
    utfall.write_bytes(
        (
            "\ufeff" + UTFALL_HEADER + ";projekt\n"
            f"202601;10001;100;4110;-1{NBSP}234{NBSP}567,50;\n"
            "\n"  # a blank line 3 is skipped, but the line numbers still count it
            '202601;20001;200;4110;0,05;"Projekt\nmed radbrytning"\n'  # lines 4-5
            "2026-01;20001;200;4110;1 000 000,10;\n"  # line 6
        ).encode()
    )
    budget = write(
        tmp_path,
        "budget_2026.csv",
        "År;Ansvar;Verksamhet;Konto;Belopp;Version",
        "2026;10001;100;4110;-12 000 000,00;KF",
        encoding="cp1252",
    )
    outcome = examine([utfall, budget])
    assert outcome.ok, outcome.rejected
    assert [d.path for d in outcome.accepted] == [utfall, budget]

    counts = load_deliveries(con, outcome.accepted, "run-1")

    assert counts == {"utfall": 3, "budget": 1}
    utfall_sha = hashlib.sha256(utfall.read_bytes()).hexdigest()
    budget_sha = hashlib.sha256(budget.read_bytes()).hexdigest()
    rows = con.execute(
        "select period, ansvar, projekt, belopp, source_file, file_sha256, source_row, load_id "
        "from raw.utfall order by source_row"
    ).fetchall()
    assert rows == [
        ("2026-01", "10001", None, Decimal("-1234567.50"), utfall.name, utfall_sha, 2, 1),
        ("2026-01", "20001", "Projekt\nmed radbrytning", Decimal("0.05"), utfall.name,
         utfall_sha, 4, 1),
        ("2026-01", "20001", None, Decimal("1000000.10"), utfall.name, utfall_sha, 6, 1),
    ]  # fmt: skip
    assert con.execute(
        "select ar, ansvar, belopp, version, source_file, file_sha256, source_row, load_id "
        "from raw.budget"
    ).fetchall() == [(2026, "10001", Decimal("-12000000.00"), "kf", budget.name, budget_sha, 2, 2)]
    types = dict(
        con.execute(
            "select table_name || '.' || column_name, data_type from information_schema.columns "
            "where table_schema = 'raw' and column_name = 'belopp' "
            "and table_name in ('utfall', 'budget')"
        ).fetchall()
    )
    assert types == {"utfall.belopp": "DECIMAL(18,2)", "budget.belopp": "DECIMAL(18,2)"}

    leveranser = con.execute(
        "select load_id, run_id, source_file, file_sha256, filtyp, rader, teckenkodning, "
        "inlast_tid from raw.leveranser order by load_id"
    ).fetchall()
    assert [row[:7] for row in leveranser] == [
        (1, "run-1", utfall.name, utfall_sha, "utfall", 3, "utf-8-sig"),
        (2, "run-1", budget.name, budget_sha, "budget", 1, "cp1252"),
    ]
    assert all(isinstance(row[7], dt.datetime) for row in leveranser)
    assert loaded_checksums(con) == {utfall_sha, budget_sha}

    # A later run continues the numbering, in the order the deliveries are given.
    later_b = write(tmp_path, "utfall_2026-03.csv", UTFALL_HEADER, "202603;10001;100;4110;3")
    later_a = write(tmp_path, "utfall_2026-02.csv", UTFALL_HEADER, "202602;10001;100;4110;2")
    again = examine([later_b, later_a, utfall], loaded=loaded_checksums(con))
    assert again.already_loaded == [utfall]
    load_deliveries(con, again.accepted, "run-2")
    assert con.execute(
        "select load_id, run_id, source_file from raw.leveranser where load_id > 2 order by 1"
    ).fetchall() == [(3, "run-2", later_b.name), (4, "run-2", later_a.name)]
    assert con.execute(
        "select period, load_id, source_row from raw.utfall where load_id > 1 order by load_id"
    ).fetchall() == [("2026-03", 3, 2), ("2026-02", 4, 2)]


def test_loaded_organisation_is_the_one_the_warehouse_uses(tmp_path, con):
    """After a correction delivery, the organisation the next refresh checks against is the
    latest delivery of each (ansvar, giltig_from), as in stg_inkorg__organisation."""
    first = write(
        tmp_path,
        "organisation_2019.csv",
        ORG_HEADER,
        "20001;Äldreomsorg;SOCF;Socialförvaltningen;SOC;Socialnämnden;2019-01-01",
    )
    correction = write(
        tmp_path,
        "organisation_2026.csv",
        ORG_HEADER + ";giltig_tom",
        "20001;Äldreomsorg;SOCF;Socialförvaltningen;SOC;Socialnämnden;2019-01-01;2025-12-31",
    )
    # Two refreshes: in one, the two files would be ambiguous (the same ansvar and giltig_from).
    outcome = examine([first])
    assert outcome.ok, outcome.rejected
    load_deliveries(con, outcome.accepted, "run-1")
    outcome = examine([correction], loaded_organisation(con))
    assert outcome.ok, outcome.rejected
    load_deliveries(con, outcome.accepted, "run-2")

    organisation = loaded_organisation(con)
    assert organisation.select("ansvar", "giltig_from", "giltig_tom").rows() == [
        ("20001", dt.date(2019, 1, 1), dt.date(2025, 12, 31))
    ]
    ledger = write(tmp_path, "utfall_2026-03.csv", UTFALL_HEADER, "202603;20001;200;4110;1,00")
    checked = examine([ledger], organisation, loaded_checksums(con))
    assert located(checked.rejected[ledger]) == [(2, "ansvar", "20001")]


# ---------------------------------------------------------------------------------------------
# What the controller is told


def test_rejection_summary_names_each_file_and_says_fix_and_rerun(bad_inbox, tmp_path):
    _, outcome = bad_inbox
    quarantine_dir = tmp_path / "quarantine"
    summary = rejection_summary(outcome.rejected, quarantine_dir)
    lines = summary.splitlines()
    assert (
        lines[0]
        == f"{len(outcome.rejected)} fil(er) avvisades och flyttades till {quarantine_dir}:"
    )
    for path, problems in outcome.rejected.items():
        assert f"  {path.name}: {len(problems)} fel, se {path.name}.fel.txt" in lines
    assert "    - rad 3, kolumn belopp: Beloppet går inte att tolka" in summary
    assert "    - kolumn konto: Obligatorisk kolumn saknas: konto" in summary
    assert lines[-1] == (
        "Inget publicerades. Rätta filerna och lägg dem i inkorgen igen, och kör sedan "
        "'styrhjul refresh'."
    )


def test_quarantine_moves_the_file_and_writes_fel_txt(workspace):
    bad = write(
        workspace.inbox,
        "utfall_2026-10.csv",
        UTFALL_HEADER,
        "202610;10001;100;4110;100,00",
        "202610;10001;100;4110;12,3,4",
    )
    outcome = examine([bad])
    problems = outcome.rejected[bad]

    moved = quarantine(bad, problems, workspace.quarantine)

    assert moved == workspace.quarantine / "utfall_2026-10.csv"
    assert not bad.exists() and moved.exists()
    fel = fel_path(moved)
    assert fel.name == "utfall_2026-10.csv.fel.txt"
    text = fel.read_text(encoding="utf-8")
    assert text.startswith("Filen utfall_2026-10.csv har inte lästs in.")
    assert (
        "Rad 3, kolumn belopp, värde '12,3,4': Beloppet går inte att tolka som ett tal "
        "(skriv till exempel -1 234 567,50, med högst två decimaler)."
    ) in text
    assert "Gör så här: rätta filen och lägg den i inkorgen igen." in text


def test_a_file_with_a_parse_problem_also_reports_its_unknown_ansvar(tmp_path):
    """One run lists everything: a bad amount on row 2 does not hide an unknown ansvar on row 3."""
    path = tmp_path / "utfall_2026-03.csv"
    path.write_text(
        "period;ansvar;verksamhet;konto;belopp\n"
        "202603;10001;100;4110;12,3,4\n"
        "202603;99999;100;4110;100,00\n",
        encoding="utf-8",
    )
    outcome = examine_inbox([path], TODAY, ORGANISATION, set())
    problems = outcome.rejected[path]
    assert [(p.row, p.column) for p in problems] == [(2, "belopp"), (3, "ansvar")]


def test_a_budget_key_without_shares_for_its_year_is_rejected(tmp_path):
    """A nyckel must be a standard key or delivered for the year, else the row would be lost."""
    budget = tmp_path / "budget_2026.csv"
    budget.write_text(
        "ar;ansvar;verksamhet;konto;belopp;nyckel\n"
        "2026;10001;100;4110;1200;JAMN\n"
        "2026;10001;100;4110;1200;SKOLA\n"
        "2026;10001;100;4110;1200;OKAND\n",
        encoding="utf-8",
    )
    outcome = examine_inbox([budget], TODAY, ORGANISATION, set(), {2026: {"SKOLA"}})
    [problem] = outcome.rejected[budget]
    assert (problem.row, problem.column, problem.value) == (4, "nyckel", "OKAND")
    assert "finns inte för år 2026" in problem.reason
