"""The bad-input corpus (tests/fixtures/bad/, issue 11): every file of its manifest goes through
the intake as a refresh runs it (`inbox.examine` against a warehouse holding a small
organisation, then `quarantine`), and must come out as the manifest says: rejected whole with
its Swedish reason, row and column, quarantined with a `.fel.txt` naming file, row, column and
reason, and no personnummer anywhere in what the controller reads. The manifest's good files
(an UTF-16 text with BOM, account strings that merely look like personnummer) must be accepted.

Files that would be big in git or cannot be committed (a 5 MB line, an xlsx unpacking to 350 MB,
a symbolic link, a named pipe, control characters or a leading dash in the name) are made here,
by `make_entry`, and are still listed in the manifest with what makes them (`made`).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import openpyxl
import pytest

from pipelines.lib.intake import fel_path, inbox, quarantine
from pipelines.lib.intake.error_workbook import error_workbook_path
from pipelines.lib.intake.kinds import kind_for
from pipelines.lib.intake.personnummer import looks_like_personnummer
from pipelines.lib.intake.problems import display_name
from pipelines.lib.intake.raw_tables import create_statements

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "bad"
MANIFEST = CORPUS / "manifest.csv"
TODAY = dt.date(2026, 12, 3)
UTFALL_HEADER = "period;ansvar;verksamhet;konto;belopp"
# The personnummer of the corpus, as delivered: none of these digits may reach the controller.
DELIVERED_PERSONNUMMER = ("850612-1234", "850612+1234", "8506121234")
# What would give a traceback or an English library message away in a text for a controller.
NOT_FOR_A_CONTROLLER = re.compile(
    r"Traceback|Error\b|Exception|Expecting|not allowed|unexpected|\(KeyError\)|BadZipFile"
)


@dataclass(frozen=True)
class Entry:
    file: str
    kind: str
    outcome: str  # "avvisas" (rejected) or "godtas" (accepted)
    reason: str
    row: int | None
    column: str | None
    made: str  # "" for a committed file, else the maker in MAKERS

    @property
    def name(self) -> str:
        """The file name in the inbox: <BEL> in the manifest stands for the control character."""
        return self.file.replace("<BEL>", "\a")


def read_manifest() -> list[Entry]:
    with MANIFEST.open(encoding="utf-8", newline="") as handle:
        return [
            Entry(
                file=row["file"],
                kind=row["kind"],
                outcome=row["outcome"],
                reason=row["reason"],
                row=int(row["row"]) if row["row"] else None,
                column=row["column"] or None,
                made=row["made"],
            )
            for row in csv.DictReader(handle, delimiter=";")
        ]


ENTRIES = read_manifest()


# ---------------------------------------------------------------------------------------------
# Files made at test time


def _good_utfall(path: Path) -> Path:
    path.write_text(f"{UTFALL_HEADER}\n202603;10001;100;4110;100,00\n", encoding="utf-8")
    return path


def _long_line(path: Path) -> Path:
    # A 5 MB line: an export without line breaks, or no table at all.
    path.write_text(f"{UTFALL_HEADER}\n202603;10001;100;4110;{'9' * (5 << 20)}\n", "utf-8")
    return path


def _zip_bomb(path: Path) -> Path:
    """A real workbook whose sheet unpacks to 350 MB of repeated cells (about 0,4 MB packed):
    written streaming, so the test never holds it in memory."""
    small = path.with_name("liten.xlsx")
    workbook = openpyxl.Workbook()
    workbook.active.append(["ar", "ansvar", "verksamhet", "konto", "belopp"])
    workbook.save(small)
    row = b'<row><c t="n"><v>2026</v></c><c t="inlineStr"><is><t>10001</t></is></c></row>'
    block = row * ((1 << 20) // len(row))
    with zipfile.ZipFile(small) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for member in source.infolist():
            if member.filename != "xl/worksheets/sheet1.xml":
                out.writestr(member, source.read(member))
                continue
            with out.open(member.filename, "w", force_zip64=True) as sheet:
                sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/')
                sheet.write(b'spreadsheetml/2006/main"><sheetData>')
                written = 0
                while written < 350 << 20:
                    sheet.write(block)
                    written += len(block)
                sheet.write(b"</sheetData></worksheet>")
    small.unlink()
    return path


def _symlink(path: Path) -> Path:
    # A link out of the workspace, to a file that would itself pass.
    outside = _good_utfall(path.parent.parent / "utanfor_arbetsytan.csv")
    path.symlink_to(outside)
    return path


def _named_pipe(path: Path) -> Path:
    os.mkfifo(path)
    return path


MAKERS = {
    "long_line": _long_line,
    "zip_bomb": _zip_bomb,
    "symlink": _symlink,
    "named_pipe": _named_pipe,
    "control_character": _good_utfall,
    "leading_dash": _good_utfall,
}


def make_entry(entry: Entry, inbox_dir: Path) -> Path:
    """The entry's file in `inbox_dir`: copied from the corpus, or made."""
    target = inbox_dir / entry.name
    if entry.made:
        return MAKERS[entry.made](target)
    shutil.copyfile(CORPUS / entry.file, target)
    return target


# ---------------------------------------------------------------------------------------------
# The warehouse the files are examined against


@pytest.fixture(scope="module")
def con():
    """A warehouse with the raw layer and a small organisation: BUN (ansvar 10001) and SOC
    (20001) since 2019."""
    connection = duckdb.connect()
    for statement in create_statements():
        connection.execute(statement)
    connection.execute(
        "insert into raw.organisation (ansvar, ansvar_namn, forvaltning, forvaltning_namn, "
        "namnd, namnd_namn, giltig_from, source_file, file_sha256, source_row, load_id) values "
        "('10001', 'Skola', 'UTBF', 'Utbildning', 'BUN', 'Barn- och utbildningsnämnden', "
        "'2019-01-01', 'organisation_2019.csv', 'x', 2, 1), "
        "('20001', 'Hemtjänst', 'SOCF', 'Social', 'SOC', 'Socialnämnden', "
        "'2019-01-01', 'organisation_2019.csv', 'x', 3, 1)"
    )
    yield connection
    connection.close()


def _workbook_texts(path: Path) -> list[str]:
    """Every cell value and comment of a .fel.xlsx."""
    workbook = openpyxl.load_workbook(path)
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    texts.append(str(cell.value))
                if cell.comment is not None:
                    texts.append(cell.comment.text)
    return texts


def _assert_no_personnummer(texts: list[str]) -> None:
    for text in texts:
        assert not looks_like_personnummer(text), text
        for digits in DELIVERED_PERSONNUMMER:
            assert digits not in text, text


# ---------------------------------------------------------------------------------------------


def test_the_corpus_covers_every_kind_and_every_committed_file_is_listed():
    kinds = {entry.kind for entry in ENTRIES if entry.outcome == "avvisas"}
    assert kinds >= {k.name for k in map(kind_for, [f"{p}x" for p in _prefixes()])}
    assert len([e for e in ENTRIES if e.outcome == "avvisas"]) >= 30
    listed = {e.file for e in ENTRIES if not e.made}
    committed = {p.name for p in CORPUS.iterdir() if p.name not in ("manifest.csv", "README.md")}
    assert listed == committed
    for entry in ENTRIES:
        assert entry.kind == (kind_for(entry.name.lstrip("-")).name if entry.kind else ""), entry
        assert entry.outcome in ("avvisas", "godtas"), entry
        assert (entry.outcome == "avvisas") == bool(entry.reason), entry
    # Committed files stay small: the big ones are made at test time.
    assert sum((CORPUS / f).stat().st_size for f in committed) < 100_000


def _prefixes() -> list[str]:
    from pipelines.lib.intake.kinds import KNOWN_PREFIXES

    return list(KNOWN_PREFIXES)


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.file for e in ENTRIES])
def test_corpus_file(entry: Entry, con, tmp_path):
    inbox_dir = tmp_path / "inkorg"
    inbox_dir.mkdir()
    path = make_entry(entry, inbox_dir)
    outcome = inbox.examine(con, [path], TODAY)

    if entry.outcome == "godtas":
        assert path not in outcome.rejected, outcome.rejected.get(path)
        assert [d.path for d in outcome.accepted] == [path]
        return

    assert [d.path for d in outcome.accepted] == []
    assert path not in outcome.held
    problems = outcome.rejected[path]
    matching = [p for p in problems if entry.reason in p.reason]
    assert matching, [p.reason for p in problems]
    assert any((p.row, p.column) == (entry.row, entry.column) for p in matching), [
        (p.row, p.column, p.reason) for p in problems
    ]
    for problem in problems:
        assert not NOT_FOR_A_CONTROLLER.search(problem.reason), problem.reason

    quarantined = quarantine(path, problems, tmp_path / "karantan")
    assert not path.exists() and not path.is_symlink()
    fel = fel_path(quarantined).read_text(encoding="utf-8")
    assert f"Filen {display_name(entry.name)} har inte lästs in." in fel
    assert entry.reason in fel
    location = ", ".join(
        part
        for part in (
            f"rad {entry.row}" if entry.row is not None else "",
            f"kolumn {entry.column}" if entry.column else "",
        )
        if part
    )
    if location:
        assert location[:1].upper() + location[1:] in fel
    assert not NOT_FOR_A_CONTROLLER.search(fel), fel

    texts = [fel, *(p.reason for p in problems), *(p.value or "" for p in problems)]
    workbook = error_workbook_path(quarantined)
    if workbook.exists():
        texts += _workbook_texts(workbook)
    _assert_no_personnummer(texts)


def test_too_big_is_said_only_of_a_well_formed_number_beyond_the_exact_type(tmp_path):
    """16 digits before the comma fit Decimal(18, 2); 17 do not and are 'för stort'; a
    malformed value keeps the reason that says how to write one."""
    from pipelines.lib.intake import parse_file

    path = tmp_path / "utfall_gransfall.csv"
    path.write_text(
        f"{UTFALL_HEADER}\n"
        "202603;10001;100;4110;9 999 999 999 999 999,99\n"
        "202603;10001;100;4110;10 000 000 000 000 000,00\n"
        "202603;10001;100;4110;12,3,4\n",
        encoding="utf-8",
    )
    problems = parse_file(path, TODAY).problems
    assert [(p.row, p.reason.split(":")[0]) for p in problems] == [
        (3, "Talet är för stort"),
        (
            4,
            "Beloppet går inte att tolka som ett tal (skriv till exempel -1 234 567,50, "
            "med högst två decimaler)",
        ),
    ]
