"""The follow-up inputs (analys_, uppdrag_, uppdragsstatus_): every bad row is refused with its
row, column and a Swedish reason; good files are accepted (pipelines/lib/intake/uppfoljning.py).
"""

from __future__ import annotations

from pipelines.lib.intake.inbox import examine_inbox
from pipelines.lib.intake.kinds import ANALYS_MAX_TECKEN
from tests.intake.test_intake_inbox import ORGANISATION, TODAY, located, write

ANALYS_HEADER = "period;niva;org;avsnitt;text"
UPPDRAG_HEADER = "id;ar;givet_av;mottagare;titel;beslutsdatum;klart_senast"
STATUS_HEADER = "uppdrag;period;status;kommentar"


def examine(files, known_uppdrag=frozenset()):
    return examine_inbox(files, TODAY, ORGANISATION, set(), known_uppdrag=set(known_uppdrag))


def reasons(outcome, name: str) -> list[tuple[int | None, str | None, str | None, str]]:
    (problems,) = [p for path, p in outcome.rejected.items() if path.name == name]
    found = [(*where, p.reason) for where, p in zip(located(problems), problems, strict=True)]
    return sorted(found, key=lambda f: (f[0] or 0, f[1] or ""))


def test_good_followup_files_are_accepted(tmp_path):
    files = [
        write(
            tmp_path,
            "analys_okt.csv",
            ANALYS_HEADER,
            '2026-10;namnd;SOC;ekonomi;"## Ekonomi\n\nUnderskott på **HVB**."',
            "2026-10;kommun;KOMMUN;sammanfattning;Året går enligt plan.",
            "2026-10;verksamhet;Grundskola;kvalitet;Meritvärdet ökar.",
            "2026-10;forvaltning;SOCF;intern_kontroll;Inga avvikelser.",
        ),
        write(
            tmp_path,
            "uppdrag_2026.csv",
            UPPDRAG_HEADER,
            "KF-2026-1;2026;KF;SOC;Utred hemtjänstens taxa;2026-02-10;2026-06-30",
            "KS-2026-2;2026;KS;KS;Ny lokalplan;2026-03-01;",
        ),
        write(
            tmp_path,
            "uppdragsstatus_okt.csv",
            STATUS_HEADER,
            "KF-2026-1;2026-10;pagar;Remiss ute",
            "KS-2026-2;2026-10;ej_paborjat;",
            "BUN-2025-4;2026-10;genomfort;Klart i september",
        ),
    ]
    outcome = examine(files, known_uppdrag={"BUN-2025-4"})
    assert outcome.rejected == {}
    accepted = {d.path.name: d for d in outcome.accepted}
    assert sorted(accepted) == ["analys_okt.csv", "uppdrag_2026.csv", "uppdragsstatus_okt.csv"]
    analys = accepted["analys_okt.csv"].tables["analys"]
    assert analys["text"][0] == "## Ekonomi\n\nUnderskott på **HVB**."
    uppdrag = accepted["uppdrag_2026.csv"].tables["uppdrag"]
    assert uppdrag["klart_senast"].to_list()[1] is None


def test_bad_analyses_are_refused_row_by_row(tmp_path):
    path = write(
        tmp_path,
        "analys_okt.csv",
        ANALYS_HEADER,
        "2026-10;namnd;SOC;ekonomi;Bra",
        "2026-10;namnd;XYZ;ekonomi;Okänd nämnd",
        "2026-10;namnd;SOC;budget;Okänt avsnitt",
        "2026-10;namnd;SOC;mal;",
        "2026-10;kommun;KOMMUN;sammanfattning;" + "a" * (ANALYS_MAX_TECKEN + 1),
        "2026-10;kommun;SOC;mal;Fel nivå",
        "2026-10;namnd;IFO;ekonomi;Nedlagd 2024",
    )
    found = reasons(examine([path]), path.name)
    assert [(row, column, value) for row, column, value, _ in found] == [
        (3, "org", "XYZ"),
        (4, "avsnitt", "budget"),
        (5, "text", None),
        (6, "text", None),
        (7, "org", "SOC"),
        (8, "org", "IFO"),
    ]
    messages = [reason for *_, reason in found]
    assert messages[0] == (
        "Det finns ingen nämnd XYZ i organisationen för perioden 2026-10; kontrollera koden "
        "och nivån"
    )
    assert messages[1].startswith("Värdet måste vara ett av: ekonomi, mal, kvalitet")
    assert "obligatorisk" in messages[2]
    assert messages[3].startswith("Texten är för lång: 20 001 tecken, men högst 20 000 tecken")
    assert messages[4] == "På nivån kommun ska org vara KOMMUN"
    assert "IFO" in messages[5] and "2026-10" in messages[5]


def test_a_text_at_the_limit_is_accepted(tmp_path):
    path = write(
        tmp_path,
        "analys_okt.csv",
        ANALYS_HEADER,
        "2026-10;namnd;SOC;ekonomi;" + "å" * ANALYS_MAX_TECKEN,
    )
    outcome = examine([path])
    assert outcome.rejected == {}
    assert outcome.accepted[0].tables["analys"]["text"].str.len_chars().to_list() == [
        ANALYS_MAX_TECKEN
    ]


def test_bad_uppdrag_are_refused(tmp_path):
    path = write(
        tmp_path,
        "uppdrag_2026.csv",
        UPPDRAG_HEADER,
        "KF-1;2026;KF;SOC;Bra;2026-02-10;2026-06-30",
        "KF-2;2026;ABC;SOC;Okänd givare;2026-02-10;2026-06-30",
        "KF-3;2026;KS;IFO;Mottagaren nedlagd;2026-02-10;",
        "KF-4;2026;KF;SOC;Sista dag före beslut;2026-02-10;2026-01-30",
        "KF-5;2026;KF;KF;KF är ingen mottagare;2026-02-10;",
    )
    found = reasons(examine([path]), path.name)
    assert [(row, column, value) for row, column, value, _ in found] == [
        (3, "givet_av", "ABC"),
        (4, "mottagare", "IFO"),
        (5, "klart_senast", "2026-01-30"),
        (6, "mottagare", "KF"),
    ]
    assert found[0][3] == "ABC är varken KF, KS eller en nämnd i organisationen den 2026-02-10"
    assert found[1][3] == "IFO är varken KS eller en nämnd i organisationen den 2026-02-10"
    assert found[2][3] == "Sista dag (2026-01-30) ligger före beslutsdatum (2026-02-10)"


def test_a_status_for_an_unknown_uppdrag_is_refused(tmp_path):
    path = write(
        tmp_path,
        "uppdragsstatus_okt.csv",
        STATUS_HEADER,
        "KF-1;2026-10;pagar;",
        "KF-9;2026-10;pagar;",
        "KF-1;2026-09;klar;",
    )
    found = reasons(examine([path], known_uppdrag={"KF-1"}), path.name)
    assert [(row, column, value) for row, column, value, _ in found] == [
        (3, "uppdrag", "KF-9"),
        (4, "status", "klar"),
    ]
    assert found[0][3] == (
        "Uppdraget KF-9 finns inte: leverera det i en uppdrag_-fil (samtidigt eller före "
        "statusen) eller rätta uppdragets id"
    )


def test_a_status_waits_in_the_inbox_for_its_refused_uppdrag_file(tmp_path):
    """KF-1 arrives in the same inbox, in a file refused for another row: the status file is
    not wrong itself, so it stays in the inbox (the intake's DEPENDS_ON rule); one that also has
    a problem of its own is refused for that problem only."""
    uppdrag = write(
        tmp_path,
        "uppdrag_2026.csv",
        UPPDRAG_HEADER,
        "KF-1;2026;KF;SOC;Bra;2026-02-10;2026-06-30",
        "KF-2;2026;KF;SOC;Fel datum;2026-02-30;",
    )
    waits = write(tmp_path, "uppdragsstatus_okt.csv", STATUS_HEADER, "KF-1;2026-10;pagar;")
    own = write(
        tmp_path, "uppdragsstatus_nov.csv", STATUS_HEADER, "KF-1;2026-11;pagar;", "KF-1;2026-09;x;"
    )
    outcome = examine([uppdrag, waits, own])
    assert sorted(p.name for p in outcome.rejected) == [
        "uppdrag_2026.csv",
        "uppdragsstatus_nov.csv",
    ]
    assert outcome.held == {waits: ["uppdrag_2026.csv"]}
    found = reasons(outcome, own.name)
    assert [(row, column, value) for row, column, value, _ in found] == [(3, "status", "x")]


def test_the_organisation_delivered_in_the_same_inbox_counts(tmp_path):
    files = [
        write(
            tmp_path,
            "organisation_2026.csv",
            "ansvar;ansvar_namn;forvaltning;forvaltning_namn;namnd;namnd_namn;giltig_from",
            "40001;Kultur;KULF;Kulturförvaltningen;KUN;Kulturnämnden;2026-07-01",
        ),
        write(
            tmp_path,
            "analys_okt.csv",
            ANALYS_HEADER,
            "2026-10;namnd;KUN;ekonomi;Ny nämnd",
            "2026-06;namnd;KUN;ekonomi;Före starten",
        ),
    ]
    found = reasons(examine(files), "analys_okt.csv")
    assert [(row, column, value) for row, column, value, _ in found] == [(3, "org", "KUN")]


def test_an_investment_outcome_is_dated_within_its_year(tmp_path):
    path = write(
        tmp_path,
        "investering_2026.csv",
        "projekt;namnd;ar;belopp;typ;period",
        "P1;SOC;2026;4 000 000;utfall;2026-08",
        "P1;SOC;2026;10 000 000;plan;",
        "P2;SOC;2026;1 000 000;utfall;2025-12",
        "P2;SOC;2026;2 000 000;plan;2026-08",
        "P3;SOC;2026;3 000 000;prognos;202610",
    )
    found = reasons(examine([path]), path.name)
    assert [(row, column, value, reason) for row, column, value, reason in found] == [
        (4, "period", "2025-12", "Perioden 2025-12 ligger inte i året 2026"),
        (
            5,
            "period",
            "2026-08",
            "En plan gäller hela året och har ingen period: lämna period tom på planrader",
        ),
    ]


def test_an_undated_investment_file_is_accepted_as_before(tmp_path):
    path = write(
        tmp_path,
        "investering_2026.csv",
        "projekt;namnd;ar;belopp;typ;avskrivningstid",
        "P1;SOC;2026;10 000 000;plan;33",
        "P1;SOC;2026;4 100 000;utfall;",
    )
    outcome = examine([path])
    assert outcome.rejected == {}
    assert outcome.accepted[0].tables["investering"]["period"].to_list() == [None, None]


def test_a_status_may_name_an_uppdrag_the_warehouse_holds(tmp_path):
    import duckdb

    from pipelines.lib.intake.inbox import examine
    from pipelines.lib.intake.raw_tables import create_statements
    from pipelines.lib.intake.uppfoljning import loaded_uppdrag

    path = write(tmp_path, "uppdragsstatus_okt.csv", STATUS_HEADER, "KF-1;2026-10;pagar;")
    with duckdb.connect() as con:
        con.execute("create schema raw")
        con.execute("create table raw.leveranser (file_sha256 varchar)")
        assert loaded_uppdrag(con) == set()  # a warehouse from before the kind existed
    with duckdb.connect() as con:
        for statement in create_statements():
            con.execute(statement)
        con.execute(
            "insert into raw.uppdrag (id, ar, givet_av, mottagare, titel, beslutsdatum, "
            "source_file, file_sha256, source_row, load_id) "
            "values ('KF-1', 2026, 'KF', 'SOC', 'Utred', date '2026-02-10', 'u.csv', 'x', 2, 1)"
        )
        assert loaded_uppdrag(con) == {"KF-1"}
        outcome = examine(con, [path], TODAY)
    assert outcome.rejected == {}
    assert [d.path.name for d in outcome.accepted] == [path.name]


# ---------------------------------------------------------------------------------------------
# Period 13: the year-end closing entries (pipelines/lib/intake/bokslut.py)

UTFALL_HEADER = "period;ansvar;verksamhet;konto;belopp"


def test_period_13_is_accepted_for_utfall_and_counts_in_december(tmp_path):
    from pipelines.lib.intake.bokslut import manadsperiod

    path = write(tmp_path, "utfall_2025_13.csv", UTFALL_HEADER, "202513;10001;100;4110;-1 500,00")
    outcome = examine([path])
    assert outcome.rejected == {}
    assert outcome.accepted[0].tables["utfall"]["period"].to_list() == ["2025-13"]
    assert manadsperiod("2025-13") == "2025-12" and manadsperiod("2025-11") == "2025-11"


def test_period_14_and_a_future_period_13_are_refused(tmp_path):
    path = write(
        tmp_path,
        "utfall_bokslut.csv",
        UTFALL_HEADER,
        "202514;10001;100;4110;1,00",
        "202613;10001;100;4110;1,00",  # TODAY is in November 2026: after December is the future
    )
    found = reasons(examine([path]), path.name)
    assert found == [
        (2, "period", "202514", "Månaden i perioden måste vara 01–12, eller 13 för bokslutsposter"),
        (
            3,
            "period",
            "202613",
            "Perioden ligger i framtiden (den senaste möjliga perioden är 2026-11)",
        ),
    ]


def test_only_utfall_takes_a_period_13(tmp_path):
    path = write(tmp_path, "prognos_2025.csv", "period;namnd;prognos", "202513;SOC;1 000")
    found = reasons(examine([path]), path.name)
    assert [(row, reason) for row, _, _, reason in found] == [
        (2, "Månaden i perioden måste vara 01–12")
    ]


def test_a_period_13_delivery_is_not_a_report_period(tmp_path):
    import duckdb

    from pipelines.lib.intake.inbox import examine as examine_with_warehouse
    from pipelines.lib.intake.raw_tables import create_statements

    files = [
        write(
            tmp_path, f"utfall_2025_{m:02d}.csv", UTFALL_HEADER, f"2025{m:02d};10001;100;4110;1,00"
        )
        for m in range(1, 14)
    ]
    files.append(
        write(
            tmp_path,
            "organisation_2025.csv",
            "ansvar;ansvar_namn;forvaltning;forvaltning_namn;namnd;namnd_namn;giltig_from",
            "10001;Skola;UTBF;Utbildning;BUN;Barn- och utbildningsnämnden;2019-01-01",
        )
    )
    with duckdb.connect() as con:
        for statement in create_statements():
            con.execute(statement)
        outcome = examine_with_warehouse(con, files, TODAY)
    assert outcome.rejected == {}
    assert outcome.report_period == "2025-12"
    assert outcome.missing_months == []


def test_period_13_is_no_gap_in_the_ledger_and_does_not_stand_for_december():
    from pipelines.lib.intake.crosscheck import history_gaps

    assert history_gaps({"2025-11", "2025-12", "2025-13", "2026-01"}) == []
    assert history_gaps({"2025-11", "2025-13", "2026-01"}) == ["2025-12"]


def test_the_expectations_take_period_13_for_utfall_only():
    import polars as pl

    from pipelines.lib.intake import expectations

    frame = pl.DataFrame(
        {
            "period": ["2025-13", "2025-14"],
            "ansvar": ["10001", "10001"],
            "verksamhet": ["100", "100"],
            "konto": ["4110", "4110"],
            "belopp": [1.0, 2.0],
            "source_row": [2, 3],
        }
    ).with_columns(pl.col("belopp").cast(pl.Decimal(18, 2)))
    problems = expectations.validate_frame("utfall", frame, "utfall_x.csv")
    assert [(p.row, p.column, p.reason) for p in problems] == [
        (3, "period", "Perioden ska ha formen ÅÅÅÅ-MM med månad 01–13")
    ]
