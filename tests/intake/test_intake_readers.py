"""The generic table reader: all text, normalised headers, source_row as the user sees it."""

from __future__ import annotations

import datetime as dt

import openpyxl
import polars as pl
import pytest

from pipelines.lib.intake.problems import IntakeError
from pipelines.lib.intake.readers import cell_text, normalise_header, read_raw, read_table


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(tmp_path, name, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=number, column=column, value=value)
    path = tmp_path / name
    workbook.save(path)
    return path


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Nämnd", "namnd"),
        ("Giltig från", "giltig_from"),
        ("giltig till", "giltig_tom"),
        (" Ansvar-namn ", "ansvar_namn"),
        ("Verksamhetsområde", "verksamhetsomrade"),
        ("KÖN", "kon"),
        ("År", "ar"),
        ("Månad", "manad"),
        ("Åtgärd", "atgard"),
        ("Café", "cafe"),
        ("Förvaltning  namn", "forvaltning_namn"),
        ("\ufeffPeriod", "period"),
    ],
)
def test_normalise_header(header, expected):
    assert normalise_header(header) == expected


def test_csv_quoted_fields_blank_lines_and_source_rows(tmp_path):
    text = (
        "Nämnd;Kommentar;Belopp\n"  # line 1
        '"KS";"Med ; semikolon";1\n'  # line 2
        "\n"  # line 3: blank, dropped
        '"BUN";"Två\n'  # lines 4-5: a quoted field over two lines
        'rader";2\n'
        ";;\n"  # line 6: only empty fields, dropped
        '"SN";"Sa ""hej""";0123\n'  # line 7
    )
    frame = read_table(write(tmp_path, "x.csv", text, "cp1252"))
    assert frame.columns == ["namnd", "kommentar", "belopp", "source_row"]
    assert frame["source_row"].to_list() == [2, 4, 7]
    assert frame["source_row"].dtype == pl.Int64
    assert frame["kommentar"].to_list() == ["Med ; semikolon", "Två\nrader", 'Sa "hej"']
    assert frame["belopp"].to_list() == ["1", "2", "0123"]  # no inference: 0123 keeps its zero
    assert all(frame.schema[c] == pl.String for c in ["namnd", "kommentar", "belopp"])


def test_csv_comma_and_tab_and_crlf(tmp_path):
    comma = read_table(write(tmp_path, "c.csv", "Konto,Belopp\r\n4110,12\r\n"))
    tab = read_table(write(tmp_path, "t.txt", "Konto\tBelopp\n4110\t12\n"))
    expected = pl.DataFrame(
        {"konto": ["4110"], "belopp": ["12"], "source_row": [2]},
        schema={"konto": pl.String, "belopp": pl.String, "source_row": pl.Int64},
    )
    assert comma.equals(expected)
    assert tab.equals(expected)


def test_csv_blank_values_are_null_and_short_rows_padded(tmp_path):
    frame = read_table(write(tmp_path, "x.csv", "a;b;c\n1; ;3\n4\n"))
    assert frame.rows() == [("1", None, "3", 2), ("4", None, None, 3)]


def test_csv_trailing_delimiter_on_every_line_is_harmless(tmp_path):
    frame = read_table(write(tmp_path, "x.csv", "a;b;\n1;2;\n"))
    assert frame.columns == ["a", "b", "source_row"]


def test_csv_excel_sep_hint_line(tmp_path):
    raw = read_raw(write(tmp_path, "x.csv", "sep=;\nNamn;Värde\nx,y;1,5\n"))
    assert raw.frame.rows() == [("x,y", "1,5", 3)]
    assert raw.encoding == "utf-8"


def test_csv_cp1252_header_with_swedish_letters(tmp_path):
    raw = read_raw(write(tmp_path, "x.csv", "Nämnd;Förvaltning\nÖstra;Åby\n", "cp1252"))
    assert raw.encoding == "cp1252"
    assert raw.frame.rows() == [("Östra", "Åby", 2)]


def test_value_without_header_is_refused(tmp_path):
    with pytest.raises(IntakeError) as error:
        read_table(write(tmp_path, "x.csv", "a;b\n1;2\n3;4;5\n"))
    [problem] = error.value.problems
    assert "Kolumn nummer 3 saknar rubrik" in problem.reason
    assert problem.row == 3


def test_duplicate_header_is_refused(tmp_path):
    with pytest.raises(IntakeError) as error:
        read_table(write(tmp_path, "x.csv", "Nämnd;namnd\n1;2\n"))
    [problem] = error.value.problems
    assert "Kolumnen namnd finns två gånger" in problem.reason
    assert (problem.row, problem.column) == (1, "namnd")


def test_unclosed_quote_is_refused_with_its_line(tmp_path):
    with pytest.raises(IntakeError) as error:
        read_table(write(tmp_path, "x.csv", 'a;b\n1;2\n3;"oavslutat\n5;6\n'))
    [problem] = error.value.problems
    assert "citattecken" in problem.reason
    assert problem.row == 3


def test_empty_csv_is_refused(tmp_path):
    with pytest.raises(IntakeError, match="Filen är tom"):
        read_table(write(tmp_path, "x.csv", "\n  \n"))


def test_xlsx_values_become_text(tmp_path):
    path = write_xlsx(
        tmp_path,
        "x.xlsx",
        [
            ["Ansvar", "Konto", "Belopp", "Giltig från", "Kommentar"],
            [1001, 4110, 1234.5, dt.date(2026, 1, 1), None],
            ["0123", 4110.0, -12.25, dt.datetime(2026, 2, 3, 0, 0), "text"],
            [None, None, None, None, None],
            [1002, 5, 0.1 + 0.2, None, None],
        ],
    )
    raw = read_raw(path)
    assert raw.encoding is None
    frame = raw.frame
    assert frame.columns == ["ansvar", "konto", "belopp", "giltig_from", "kommentar", "source_row"]
    assert frame["ansvar"].to_list() == ["1001", "0123", "1002"]
    assert frame["konto"].to_list() == ["4110", "4110", "5"]
    assert frame["belopp"].to_list() == ["1234.5", "-12.25", "0.3"]
    assert frame["giltig_from"].to_list() == ["2026-01-01", "2026-02-03", None]
    assert frame["kommentar"].to_list() == [None, "text", None]
    assert frame["source_row"].to_list() == [2, 3, 5]  # the empty sheet row 4 is skipped


def test_xlsx_broken_file_is_refused(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"this is not a zip file")
    with pytest.raises(IntakeError) as error:
        read_table(path)
    assert "Excelfilen går inte att öppna" in error.value.problems[0].reason


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (4110, "4110"),
        (4110.0, "4110"),
        (1234.5, "1234.5"),
        (1234.3000000000002, "1234.3"),  # a computed cell, as Excel shows it
        (1e-05, "0.00001"),
        (0.08333333333333333, "0.0833333333333333"),
        (-0.0, "0"),
        (dt.date(2026, 2, 3), "2026-02-03"),
        (dt.datetime(2026, 2, 3), "2026-02-03"),
        (dt.datetime(2026, 2, 3, 14, 30), "2026-02-03 14:30:00"),
        (True, "true"),
        ("  ", None),
        (" KS ", " KS "),
    ],
)
def test_cell_text(value, expected):
    assert cell_text(value) == expected


# The fast reader (polars) and the exact one (csv module) must agree wherever the fast one
# answers: same cells, same source rows (the row a problem names), same header errors.
PLAIN_TEXTS = [
    "period;ansvar;belopp\n2026-01;1000;-1 234,50\n2026-01;1001;12\n",
    "period;ansvar;belopp\r\n2026-01;1000;1,5\r\n2026-02;1001;2\r\n",  # CRLF
    "\n\nperiod;ansvar;belopp\n2026-01;1000;1\n",  # blank lines before the header
    "period;ansvar;belopp\n2026-01;;1\n2026-01;1000;\n",  # empty cells
    "period;ansvar;belopp\n2026-01;1000;1\n   ;  ;  \n2026-02;1001;2\n",  # a whitespace row
    "period\tansvar\tbelopp\n2026-01\t1000\t1\n",  # tab
    "Period ; Ansvar ;BELOPP\n2026-01;1000;1\n",  # header spelled loosely
    "period;ansvar;belopp\n2026-01;1000\n",  # a short row: fast path declines or agrees
    "period;ansvar;belopp\n2026-01;1000;1;extra\n",  # a long row
    "period;ansvar;belopp\n2026-01;1000;1",  # no final newline
    'period;ansvar;belopp\n2026-01;"1000";1\n',  # quotes: the exact path only
]


@pytest.mark.parametrize("text", PLAIN_TEXTS)
def test_the_fast_csv_reader_agrees_with_the_exact_one(text):
    from pipelines.lib.intake import readers

    def exact():
        return readers._rows_to_frame("utfall_x.csv", readers._csv_records("utfall_x.csv", text))

    try:
        expected = exact()
    except Exception as exc:  # the exact path's refusal: the fast path must refuse alike
        with pytest.raises(type(exc)):
            fast = readers._plain_frame("utfall_x.csv", text)
            if fast is None:
                exact()
        return
    fast = readers._plain_frame("utfall_x.csv", text)
    if fast is not None:
        assert fast.equals(expected), (fast, expected)
    if '"' in text:
        assert fast is None


@pytest.mark.parametrize("text", PLAIN_TEXTS[:7])
def test_a_plain_ledger_export_takes_the_fast_reader(text):
    from pipelines.lib.intake import readers

    assert readers._plain_frame("utfall_x.csv", text) is not None
