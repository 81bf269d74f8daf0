"""Checks on a delivered file before any reader opens it: what it is, how big, what it unpacks to.

The readers trust that they are given a regular file of sane size whose bytes are what its name
says. This module makes sure, streaming over the bytes (never holding more than a block), so a
file that would exhaust memory or hang the refresh is refused with a Swedish sentence first:

- the name: no control characters, no leading dash (it would be read as an option by any shell
  command a controller types on it);
- the entry itself: a regular file, not a symbolic link (which could point out of the workspace)
  nor a named pipe or a device (reading one blocks the refresh for ever);
- the size: at most `inlasning.max_filstorlek_mb`;
- a text file: not a web page (a login page saved under the export's name), not UTF-16 without
  BOM, no line longer than MAX_LINE_KB, not two encodings mixed;
- an .xlsx: a zip whose members unpack to at most `inlasning.max_uppackad_mb` (checked from the
  zip's directory, before anything is unpacked), and no formula without a saved value (openpyxl
  reads such a cell as empty, which would be reported as a missing value on every row).

`screen_file` gives the problems; an empty list means the readers may open the file.
"""

from __future__ import annotations

import codecs
import re
import stat
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from .personnummer import mask_personnummer
from .problems import Problem, display_name

if TYPE_CHECKING:  # settings imports the intake's number rule; the limits come in as a value
    from pipelines.lib.settings import Inlasning

BLOCK = 1 << 20
# Python's csv module refuses a field over 128 KiB with a message about quotes; a line of a real
# export is far shorter, so a longer one is refused here, by what it is.
MAX_LINE_KB = 100
MAX_FORMULA_CELLS = 20
# A UTF-8 encoded å/ä/ö/Å/Ä/Ö/é read as Windows-1252 ("Ã¥"): in a file that is not valid UTF-8,
# such a pair means a second encoding in the same file.
_UTF8_LETTER = re.compile(rb"[\xc3][\x80-\xbf]")
_HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<\?xml[^>]*>\s*<html)", re.I)
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_REF = re.compile(r"^([A-Z]+)([0-9]+)$")


def safe_name(name: str) -> str:
    """A name the quarantine can hold and a controller can type: control characters and a
    leading dash replaced by '_', personnummer masked."""
    cleaned = "".join("_" if unicodedata.category(c) == "Cc" else c for c in name)
    if cleaned.startswith("-"):
        cleaned = "_" + cleaned.lstrip("-")
    return mask_personnummer(cleaned).replace("*", "x")


def screen_file(path: Path, limits: Inlasning) -> list[Problem]:
    """Every reason not to open `path` at all; [] when the readers may read it."""
    path = Path(path)
    name = display_name(path.name)
    problems = _name_problems(path.name, name)
    entry = path.lstat()
    if stat.S_ISLNK(entry.st_mode):
        return [
            *problems,
            Problem(
                name,
                "Filen är en symbolisk länk, inte en vanlig fil. Av säkerhetsskäl läses inga "
                "länkar i inkorgen (en länk kan peka ut ur arbetsytan): kopiera in själva filen",
            ),
        ]
    if not stat.S_ISREG(entry.st_mode):
        return [
            *problems,
            Problem(
                name,
                "Det här är ingen vanlig fil (utan t.ex. en namngiven pipe eller en enhet), och "
                "den kan inte läsas in: lägg bara vanliga filer i inkorgen",
            ),
        ]
    if problems:
        return problems
    size_mb = entry.st_size / (1 << 20)
    if size_mb > limits.max_filstorlek_mb:
        return [
            Problem(
                name,
                f"Filen är {_mb(size_mb)} MB, mer än gränsen {limits.max_filstorlek_mb} MB "
                "(inställningen inlasning.max_filstorlek_mb). Dela upp filen, eller höj gränsen "
                "om filen verkligen ska vara så stor",
            )
        ]
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return _text_problems(path, name)
    if suffix == ".xlsx":
        return _xlsx_problems(path, name, limits)
    return []


def row_limit_problem(file_name: str, rows: int, limits: Inlasning) -> Problem | None:
    if rows <= limits.max_rader:
        return None
    return Problem(
        display_name(file_name),
        f"Filen har {rows:,} datarader, fler än gränsen {limits.max_rader:,} (inställningen "
        "inlasning.max_rader). Dela upp filen, eller höj gränsen".replace(",", " "),
    )


# The reader's reason for values under an empty header cell (readers._rows_to_frame).
_NO_HEADER = "saknar rubrik men innehåller värden"


def header_problems(problems: list[Problem]) -> list[Problem]:
    """A reader's problems, with "no header but values" for several columns said once: a sheet
    whose first row with content is a title above the real header would otherwise give one
    message per column."""
    headless = [p for p in problems if _NO_HEADER in p.reason]
    if len(headless) < 2:
        return problems
    first = min(p.row for p in headless if p.row is not None)
    numbers = [re.search(r"nummer ([0-9]+)", p.reason) for p in headless]
    listed = ", ".join(m.group(1) for m in numbers if m)
    summary = Problem(
        headless[0].file,
        f"Rubrikraden står inte först i filen: {len(headless)} kolumner (nummer {listed}) har "
        f"värden men ingen rubrik i den första raden med innehåll. Rubrikerna står troligen på "
        f"rad {first}: ta bort titelrader och andra rader ovanför rubrikraden och spara igen",
        row=first,
    )
    return [summary, *(p for p in problems if _NO_HEADER not in p.reason)]


def _name_problems(raw: str, name: str) -> list[Problem]:
    problems = []
    if any(unicodedata.category(c) == "Cc" for c in raw):
        problems.append(
            Problem(
                name,
                "Filnamnet innehåller osynliga styrtecken (här visade som ?), t.ex. en "
                "radbrytning eller tabb. Byt namn på filen så att det bara innehåller bokstäver, "
                "siffror, _ och -",
            )
        )
    if raw.startswith("-"):
        problems.append(
            Problem(
                name,
                "Filnamnet börjar med ett bindestreck, som kommandon tolkar som ett alternativ. "
                "Byt namn på filen så att den börjar med sitt prefix (t.ex. utfall_)",
            )
        )
    return problems


def _blocks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        yield from iter(lambda: handle.read(BLOCK), b"")


def _text_problems(path: Path, name: str) -> list[Problem]:
    """One pass over the bytes: web page, UTF-16 without BOM, overlong line, mixed encodings."""
    head = path.open("rb").read(4096)
    if _HTML_START.match(head.removeprefix(codecs.BOM_UTF8)):
        return [
            Problem(
                name,
                "Filen är en webbsida (HTML), inte en CSV-fil: troligen sparades en "
                "inloggnings- eller felsida i stället för exporten. Logga in i systemet och "
                "exportera filen igen",
            )
        ]
    if not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if len(head) >= 4 and head.count(b"\x00") * 3 >= len(head):
            return [
                Problem(
                    name,
                    "Filen verkar vara sparad som UTF-16 utan byte-ordningsmärke och kan inte "
                    "läsas säkert. Spara den som CSV (UTF-8), eller som Unicode-text från Excel "
                    "(den har märket)",
                )
            ]
    else:
        return []  # UTF-16 with BOM: decoded as such by the reader (docs/contract.md)

    decoder = codecs.getincrementaldecoder("utf-8")()
    line, line_bytes = 1, 0
    utf8 = True  # every byte so far decodes as UTF-8
    first_utf8_line: int | None = None  # the first line with a multi-byte UTF-8 character
    first_other_line: int | None = None  # the first line that is not UTF-8
    problems: list[Problem] = []
    for block in _blocks(path):
        checked = 0  # bytes of this block already searched for UTF-8 letters
        if utf8:
            try:
                decoder.decode(block)
                valid = len(block)
            except UnicodeDecodeError as exc:
                utf8, valid = False, exc.start
                first_other_line = line + block[:valid].count(b"\n")
            found = re.search(rb"[\x80-\xff]", block[:valid])
            if first_utf8_line is None and found:
                first_utf8_line = line + block[: found.start()].count(b"\n")
            checked = valid
        if not utf8 and first_utf8_line is None:
            found = _UTF8_LETTER.search(block, checked)
            if found:
                first_utf8_line = line + block[: found.start()].count(b"\n")
        # Line lengths, without splitting the block into a list of lines.
        start = 0
        while True:
            end = block.find(b"\n", start)
            if end < 0:
                line_bytes += len(block) - start
                break
            line_bytes += end - start
            if line_bytes > MAX_LINE_KB * 1024 and not problems:
                problems.append(_long_line(name, line, line_bytes))
            line, line_bytes, start = line + 1, 0, end + 1
    if line_bytes > MAX_LINE_KB * 1024 and not problems:
        problems.append(_long_line(name, line, line_bytes))
    if not utf8 and first_utf8_line is not None:
        problems.append(
            Problem(
                name,
                "Filen blandar två teckenkodningar: rad "
                f"{first_utf8_line} är skriven i UTF-8 och rad {first_other_line} i "
                "Windows-1252, så å, ä och ö skulle bli fel på någon av dem. Spara om hela filen "
                "som CSV (UTF-8) från programmet som skapade den",
                row=first_other_line,
            )
        )
    return problems


def _long_line(name: str, line: int, size: int) -> Problem:
    return Problem(
        name,
        f"Raden är {size // 1024} kB lång, men en rad får vara högst {MAX_LINE_KB} kB: filen är "
        "troligen ingen tabell, eller saknar radbrytningar. Exportera den igen som CSV",
        row=line,
    )


def _xlsx_problems(path: Path, name: str, limits: Inlasning) -> list[Problem]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return []  # the reader refuses it with its own message ("går inte att öppna")
    with archive:
        unpacked_mb = sum(member.file_size for member in archive.infolist()) / (1 << 20)
        if unpacked_mb > limits.max_uppackad_mb:
            return [
                Problem(
                    name,
                    f"Excelfilen packas upp till {_mb(unpacked_mb)} MB, mer än gränsen "
                    f"{limits.max_uppackad_mb} MB (inställningen inlasning.max_uppackad_mb); "
                    "den har inte packats upp. Kontrollera att det är rätt fil, eller dela upp "
                    "den",
                )
            ]
        sheet = _first_sheet(archive)
        if sheet is None:
            return []  # not a workbook: the reader says so
        return _formula_problems(archive, sheet, name)


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The member holding the workbook's first sheet (the one the reader reads)."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return None
    first = workbook.find(f"{_MAIN}sheets/{_MAIN}sheet")
    if first is None:
        return None
    rel_id = first.get(f"{_REL}id")
    for rel in rels.iter(f"{_PKG_REL}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            return member if member in archive.namelist() else None
    return None


def _formula_problems(archive: zipfile.ZipFile, sheet: str, name: str) -> list[Problem]:
    cells: list[str] = []
    try:
        with archive.open(sheet) as handle:
            for _, element in ElementTree.iterparse(handle):
                if element.tag == f"{_MAIN}c":
                    formula = element.find(f"{_MAIN}f")
                    value = element.find(f"{_MAIN}v")
                    has_value = value is not None and (value.text or "") != ""
                    if formula is not None and not has_value and element.get("t") != "inlineStr":
                        cells.append(element.get("r", ""))
                        if len(cells) >= MAX_FORMULA_CELLS:
                            break
                    element.clear()
    except (ElementTree.ParseError, zipfile.BadZipFile, OSError):
        return []  # the reader refuses a broken sheet
    problems = []
    for ref in cells:
        match = _CELL_REF.match(ref)
        problems.append(
            Problem(
                name,
                f"Cellen {ref} innehåller en formel utan sparat värde (filen har skapats av ett "
                "program som inte räknar ut formler). Öppna filen i Excel och spara den, eller "
                "klistra in värdena i stället för formlerna",
                row=int(match.group(2)) if match else None,
                column=match.group(1) if match else None,
            )
        )
    return problems


def _mb(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}".replace(".", ",")
