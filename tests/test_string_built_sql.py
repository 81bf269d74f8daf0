"""No SQL statement is built from input values by string formatting (issue 11, item 6).

Every f-string, `%` or `.format` whose text is SQL is found in the product's code by its syntax
tree, and each value put into it must be in ALLOWED: identifiers from a fixed list in the code
(a kind's raw table and its declared columns, a mart's name, a schema constant), never a value
read from a file, a setting or the warehouse's rows. Values go in as parameters (`?`, `$name`)
or as a registered frame. A new interpolation fails this test until it is made a parameter or,
if it is an identifier from a fixed list, added here with why it is safe; an entry that no
longer matches anything fails too, so the list stays the code's.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
SCANNED = ("pipelines",)
# SQL statements (not a word like "from" in a sentence): DuckDB's statements the code uses.
SQL = re.compile(
    r"\bselect\b.*\bfrom\b|\binsert\s+into\b|\bcreate\s+(?:or\s+replace\s+)?(?:temp\s+)?"
    r"(?:table|view|schema|macro)\b|\bdrop\s+(?:table|view|schema)\b|\bdelete\s+from\b"
    r"|\bupdate\s+\S+\s+set\b|\bcomment\s+on\b|\bcopy\s+\S+\s+(?:to|from)\b|\battach\s"
    r"|\balter\s+table\b|\bpragma\s",
    re.I | re.S,
)

# (file, function, interpolated expression): why the value is a fixed identifier.
ALLOWED: dict[tuple[str, str, str], str] = {
    **{
        ("pipelines/defs/forecast/helarsprognos.py", fn, expr): "module constants"
        for fn, expr in (
            ("cached_backtest", "OUTPUT_SCHEMA"),
            ("cached_backtest", "CACHE_TABLE"),
            ("helarsprognos", "OUTPUT_SCHEMA"),
        )
    },
    ("pipelines/defs/forecast/helarsprognos.py", "helarsprognos", "name"): (
        "the names of the forecast's own output tables, from the code"
    ),
    ("pipelines/defs/forecast/output.py", "write_output", "OUTPUT_SCHEMA"): "module constant",
    ("pipelines/defs/forecast/langtidsprognos.py", "langtidsprognos_mart", "OUTPUT_SCHEMA"): (
        "module constant"
    ),
    ("pipelines/defs/forecast/langtidsprognos.py", "langtidsprognos_mart", "name"): (
        "the names of the step's own output tables (the keys of OUTPUTS, from the code)"
    ),
    ("pipelines/lib/report/sections/helarsprognos.py", "_genom_aret", "STATISTISK"): (
        "module constant: the mart's name"
    ),
    ("pipelines/lib/warehouse/build_db.py", "compact", "path"): (
        "the workspace's own build path, single quotes doubled (ATTACH takes no parameter)"
    ),
    ("pipelines/defs/forecast/output.py", "write_output", "table"): (
        "the Python-written mart's name, given by the asset's code"
    ),
    (
        "pipelines/defs/forecast/output.py",
        "write_output",
        "comment.replace(chr(39), chr(39) * 2)",
    ): ("the mart's description from the code, quoted as an SQL string literal"),
    ("pipelines/defs/intake/assets.py", "_intake", "table"): "RAW_TABLES' keys (kinds.py)",
    ("pipelines/defs/warehouse/checks.py", "avstamning_utfall", "_RAW_LEDGER"): "module constant",
    **{
        ("pipelines/lib/intake/crosscheck.py", "org_problems", expr): (
            "crosscheck._ORG_RULES and _WHEN: column names and date expressions of the code; "
            "the rows come in as a registered frame"
        )
        for expr in ("column", "_WHEN[kind]", "first_day", "last_day", "code")
    },
    **{
        ("pipelines/lib/intake/inbox.py", "load_deliveries", expr): (
            "RAW_TABLES: a kind's raw table, its declared columns and their SQL types; the "
            "rows come in as a registered frame"
        )
        for expr in ("table", "target", "casts")
    },
    **{
        ("pipelines/lib/intake/raw_tables.py", "create_statements", expr): (
            "the raw layer's contract: table names, declared columns and types from kinds.py"
        )
        for expr in ("name", "body", "col", "nullable")
    },
    (
        "pipelines/lib/report/sections/ekonomi.py",
        "atgardsplaner",
        "', '.join(ATGARDSPLAN_COLUMNS)",
    ): ("a column list constant"),
    **{
        ("pipelines/lib/report/sections/helarsprognos.py", fn, expr): "mart name constants"
        for fn, expr in (
            ("_precision", "SAMMANFATTNING"),
            ("statistisk_prognos", "STATISTISK"),
            ("statistisk_prognos", "KOMMUN"),
            ("prognosprecision", "SAMMANFATTNING"),
        )
    },
    **{
        ("pipelines/lib/report/sections/langtidsprognos.py", fn, expr): (
            "a mart name from the section's code"
        )
        for fn, expr in (
            ("langtidsprognos", "TABELL"),
            ("langtidsprognos_scenarier", "TABELL"),
            ("kanslighetsanalys", "tabell"),
        )
    },
    ("pipelines/defs/intake/assets.py", "_intake", "MANADSPERIOD_SQL"): (
        "a constant SQL expression (bokslut.py)"
    ),
    ("pipelines/defs/warehouse/checks.py", "<module>", "MANADSPERIOD_SQL"): (
        "a constant SQL expression (bokslut.py)"
    ),
    **{
        ("pipelines/lib/intake/uppfoljning.py", fn, expr): (
            "org column names of _NIVA_KOLUMNER, the SOURCE_ROW constant, and the code tuple "
            "UPPDRAGSGIVARE quoted as literals; the rows come in as a registered frame"
        )
        for fn, expr in (
            ("_valid_codes", "c"),
            ("analys_problems", "SOURCE_ROW"),
            ("analys_problems", "_valid_codes(columns)"),
            ("uppdrag_problems", "SOURCE_ROW"),
            ("uppdrag_problems", "column"),
            ("uppdrag_problems", "codes"),
        )
    },
    ("pipelines/lib/report/sections/resultatrakning.py", "resultatrakning", "', '.join(columns)"): (
        "a column list from the section's code"
    ),
    (
        "pipelines/lib/report/sections/styrning.py",
        "maluppfyllelse",
        "', '.join((f'm.{c}' for c in counts))",
    ): ("the count columns named in the section's code"),
    ("pipelines/lib/report/sections/styrning.py", "maluppfyllelse", "table"): (
        "a mart name from the section's code"
    ),
    (
        "pipelines/lib/report/warehouse.py",
        "is_empty",
        "table",
    ): "a mart name from the report's code",
    ("pipelines/lib/warehouse/fingerprint.py", "mart_fingerprints", "', '.join(columns)"): (
        "column names read from the catalog, each double-quoted by _quote"
    ),
    ("pipelines/lib/warehouse/fingerprint.py", "mart_fingerprints", "_quote(SCHEMA)"): (
        "a quoted identifier"
    ),
    ("pipelines/lib/warehouse/fingerprint.py", "mart_fingerprints", "_quote(mart)"): (
        "a quoted identifier"
    ),
    **{
        ("pipelines/lib/warehouse/periods.py", "record_versions", expr): (
            "the versioned marts' column and key lists, from the code"
        )
        for expr in ("columns", "key_cols")
    },
}


def _text(node: ast.JoinedStr) -> str:
    return "".join(
        v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
    )


def interpolations(source: str, file: str) -> list[tuple[str, str, str, int]]:
    """(file, enclosing function, interpolated expression, line) of every value formatted into
    SQL text in `source`."""
    found: list[tuple[str, str, str, int]] = []
    functions: list[str] = []

    class Visitor(ast.NodeVisitor):
        def visit_FunctionDef(self, node):
            functions.append(node.name)
            self.generic_visit(node)
            functions.pop()

        visit_AsyncFunctionDef = visit_FunctionDef

        def _add(self, expr: ast.AST, line: int) -> None:
            found.append((file, ".".join(functions) or "<module>", ast.unparse(expr), line))

        def visit_JoinedStr(self, node):
            if SQL.search(_text(node)):
                for value in node.values:
                    if isinstance(value, ast.FormattedValue):
                        self._add(value.value, node.lineno)
            # Nested f-strings inside the values are part of the same statement.

        def visit_BinOp(self, node):
            left = node.left
            if (
                isinstance(node.op, ast.Mod)
                and isinstance(left, ast.Constant)
                and isinstance(left.value, str)
                and SQL.search(left.value)
            ):
                self._add(node.right, node.lineno)
            self.generic_visit(node)

        def visit_Call(self, node):
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr == "format"
                and isinstance(func.value, ast.Constant)
                and isinstance(func.value.value, str)
                and SQL.search(func.value.value)
            ):
                for arg in [*node.args, *(k.value for k in node.keywords)]:
                    self._add(arg, node.lineno)
            self.generic_visit(node)

    Visitor().visit(ast.parse(source))
    return found


def _scan() -> list[tuple[str, str, str, int]]:
    found = []
    for folder in SCANNED:
        for path in sorted((REPOSITORY / folder).rglob("*.py")):
            file = path.relative_to(REPOSITORY).as_posix()
            found += interpolations(path.read_text(encoding="utf-8"), file)
    return found


def test_sql_text_interpolates_only_allowed_identifiers():
    found = _scan()
    new = [
        f"{f}:{line} in {fn}(): {expr}"
        for f, fn, expr, line in found
        if (f, fn, expr) not in ALLOWED
    ]
    assert not new, (
        "SQL built by string formatting from a value not known to be a fixed identifier; use a "
        "parameter (? or $name) or a registered frame, or add it to ALLOWED with why:\n"
        + "\n".join(new)
    )
    stale = set(ALLOWED) - {(f, fn, expr) for f, fn, expr, _ in found}
    assert not stale, f"ALLOWED names interpolations that no longer exist: {sorted(stale)}"


def test_the_scan_finds_a_value_formatted_into_sql():
    """The scanner itself: an input value in an f-string, a `%` and a `.format` are all found,
    inside a function or at module level; SQL-free text and parameters are not."""
    source = """
def load(con, value, namn):
    con.execute(f"select * from raw.utfall where ansvar = '{value}'")
    con.execute("delete from raw.budget where ar = %s" % value)
    con.sql("insert into raw.mal values ('{}')".format(namn))
    con.execute("select * from raw.utfall where ansvar = ?", [value])
    print(f"Ansvaret {value} finns inte")
sql = f"create table {namn} as select 1"
"""
    found = [(fn, expr, line) for _, fn, expr, line in interpolations(source, "x.py")]
    assert found == [
        ("load", "value", 3),
        ("load", "value", 4),
        ("load", "namn", 5),
        ("<module>", "namn", 8),
    ]
