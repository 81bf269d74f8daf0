"""`styrhjul template KIND`: an .xlsx a controller fills in, built from the same declaration the
intake checks files against (`kinds.py`), so the template and the checks cannot disagree."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter
import xlsxwriter.utility

from pipelines.lib.intake.kinds import KINDS, FileKind

# What each declared column type accepts, in the controller's words (kinds.py's type table).
TYPE_HELP = {
    "text": "Kod eller namn (text).",
    "fritext": "Fri text.",
    "belopp": "Belopp i kronor, högst två decimaler: 125000 eller 125 000,50. Kostnad positivt, "
    "intäkt negativt.",
    "number": "Tal, decimalkomma eller decimalpunkt: 0,25.",
    "decimal": "Tal med högst fyra decimaler: 0,0825.",
    "integer": "Heltal.",
    "integer64": "Heltal (antal).",
    "ar": "År med fyra siffror: 2026.",
    "period": "Månad: ÅÅÅÅ-MM eller ÅÅÅÅMM, inte i framtiden: 2026-01.",
    "bokslutsperiod": "Månad: ÅÅÅÅ-MM eller ÅÅÅÅMM, inte i framtiden: 2026-01; 13 för årets "
    "bokslutsposter: 2026-13.",
    "indikatorperiod": "År eller månad: ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅMM.",
    "date": "Datum: ÅÅÅÅ-MM-DD.",
    "kon": "Kön: K eller M (kvinnor, män).",
    "riktning": "Önskad riktning: högre eller lägre.",
    "alder": "Ålder 0–100 (100 = 100 år och äldre).",
    "val": "Ett av de tillåtna värdena (listan i cellen).",
}

# A plausible value per column for the sample row (a column not listed gets one by its type).
SAMPLE_BY_COLUMN = {
    "ansvar": "10100",
    "verksamhet": "100",
    "konto": "4610",
    "namnd": "KS",
    "forvaltning": "KLK",
    "verksamhetsomrade": "Ledning",
    "ansvar_namn": "Kommunledning",
    "forvaltning_namn": "Kommunledningskontoret",
    "namnd_namn": "Kommunstyrelsen",
    "region": "0680",
    "projekt": "P1001",
    "indikator": "N15033",
    "org": "KS",
    "diarienummer": "KS 2026/0123",
    "nyckel": "JAMN",
    "risk": "Bristande kompetensförsörjning",
    "kalla": "SKR cirkulär 26:12",
    "text": "Nämndens prognos visar ett **underskott**.",
    "id": "KF-2026-01",
    "uppdrag": "KF-2026-01",
    "givet_av": "KF",
    "mottagare": "KS",
    "titel": "Utred former för hemtjänstens taxa",
}
# Where a kind's sample differs from the column's usual one: the first typ of an investment is
# plan, which has no period.
SAMPLE_BY_KIND_COLUMN = {("investering", "period"): ""}
SAMPLE_BY_TYPE = {
    "belopp": 125000,
    "number": 0.25,
    "decimal": 0.0825,
    "integer": 3,
    "integer64": 1200,
    "ar": 2026,
    "period": "2026-01",
    "bokslutsperiod": "2026-01",
    "indikatorperiod": "2026",
    "date": "2026-01-01",
    "kon": "K",
    "riktning": "högre",
    "alder": 45,
}


def table_kinds() -> dict[str, FileKind]:
    """The kinds a controller delivers as a table (csv or xlsx), by name."""
    return {kind.name: kind for kind in KINDS if ".xlsx" in kind.table_suffixes}


def _sample(kind: FileKind, column: str):
    if (kind.name, column) in SAMPLE_BY_KIND_COLUMN:
        return SAMPLE_BY_KIND_COLUMN[(kind.name, column)]
    if kind.type_of(column) == "val":
        return kind.choices[column][0]
    if column in kind.ranges and kind.type_of(column) == "integer":
        low, _ = kind.ranges[column]
        return low if low is not None else 1
    return SAMPLE_BY_COLUMN.get(column, SAMPLE_BY_TYPE.get(kind.type_of(column), ""))


def _help(kind: FileKind, column: str) -> str:
    need = "Obligatorisk." if column in kind.required else "Valfri."
    text = f"{need} {TYPE_HELP[kind.type_of(column)]}"
    if column in kind.choices:
        text += " Tillåtna: " + ", ".join(kind.choices[column]) + "."
    if column in kind.ranges:
        low, high = kind.ranges[column]
        text += f" Från {low} till {high}." if low is not None and high is not None else ""
    return text


def write_template(kind_name: str, path: Path) -> Path:
    """Write the template for `kind_name` to `path`: the header row with a comment per column,
    a sample row to overwrite, and a drop-down list where the values are a closed set."""
    kinds = table_kinds()
    if kind_name not in kinds:
        raise ValueError(
            f"Det finns ingen mall för '{kind_name}'. Mallar finns för: {', '.join(sorted(kinds))}."
        )
    kind = kinds[kind_name]
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet(kind.name)
    # Drop-down values live on a hidden sheet: an inline list is limited to 255 characters.
    lists = workbook.add_worksheet("listor")
    lists.hide()
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7"})
    for col, column in enumerate(kind.columns):
        sheet.write(0, col, column, bold)
        sheet.write_comment(0, col, _help(kind, column), {"x_scale": 2, "y_scale": 1.5})
        sheet.write(1, col, _sample(kind, column))
        sheet.set_column(col, col, max(12, len(column) + 4))
        if column in kind.choices:
            values = kind.choices[column]
            lists.write_column(0, col, values)
            letter = xlsxwriter.utility.xl_col_to_name(col)
            sheet.data_validation(
                1, col, 100_000, col,
                {
                    "validate": "list",
                    "source": f"=listor!${letter}$1:${letter}${len(values)}",
                    "error_title": "Otillåtet värde",
                    "error_message": "Välj ett av värdena i listan.",
                },
            )  # fmt: skip
    sheet.freeze_panes(1, 0)
    workbook.close()
    return path
