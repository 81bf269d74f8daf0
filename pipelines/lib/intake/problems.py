"""Problems found in an input file, and the Swedish text a controller reads about them.

A `Problem` is one thing wrong with a file, located as precisely as possible: the row number is the
line number the user sees in the file or the Excel sheet (the header is row 1, the first data row
is row 2), the column is the normalised column name. Every reason is a Swedish sentence a
controller can act on.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .personnummer import mask_personnummer

# A file with thousands of identical errors (say, every amount written in an English format) would
# give an unreadable .fel.txt; beyond this many lines per (column, reason) the text summarises.
MAX_LINES_PER_REASON = 50
MAX_VALUE_CHARS = 80


def display_name(name: str) -> str:
    """A file name as it may be shown and stored: control characters as '?', personnummer
    masked (a name is chosen by whoever exported the file)."""
    shown = "".join("?" if unicodedata.category(c) == "Cc" else c for c in name)
    return mask_personnummer(shown)


@dataclass(frozen=True)
class Problem:
    file: str
    reason: str
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def __post_init__(self) -> None:
        # A personnummer where an amount or a date belongs is also reported as unparseable
        # there, with its value: no Problem ever holds the full number.
        object.__setattr__(self, "file", display_name(self.file))
        object.__setattr__(self, "reason", mask_personnummer(self.reason))
        if self.value is not None:
            object.__setattr__(self, "value", mask_personnummer(self.value))

    def location(self) -> str:
        """'Rad 14, kolumn belopp, värde '12,3,4'' (the parts that are known), or ''."""
        parts = []
        if self.row is not None:
            parts.append(f"rad {self.row}")
        if self.column is not None:
            parts.append(f"kolumn {self.column}")
        if self.value is not None:
            parts.append(f"värde '{_shorten(self.value)}'")
        text = ", ".join(parts)
        return text[:1].upper() + text[1:]

    def line(self) -> str:
        """One line of the .fel.txt: location, colon, reason, ending with a full stop."""
        reason = self.reason.rstrip()
        if not reason.endswith((".", "!", "?")):
            reason += "."
        where = self.location()
        return f"{where}: {reason}" if where else reason


class IntakeError(Exception):
    """Raised by a reader when a file cannot be read; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(p.line() for p in self.problems[:5]))


def format_problems(
    file_name: str, problems: Iterable[Problem], max_per_reason: int = MAX_LINES_PER_REASON
) -> str:
    """The Swedish text of `<file>.fel.txt`: heading, one line per problem, what to do."""
    problems = list(problems)
    count = len(problems)
    lines = [
        f"Filen {display_name(file_name)} har inte lästs in.",
        f"Hela filen har avvisats och flyttats till karantän. {count} problem hittades:",
        "",
    ]
    shown: Counter[tuple[str | None, str]] = Counter()
    hidden: Counter[tuple[str | None, str]] = Counter()
    for problem in problems:
        key = (problem.column, problem.reason)
        if shown[key] < max_per_reason:
            shown[key] += 1
            lines.append(problem.line())
        else:
            hidden[key] += 1
    for (column, reason), n in hidden.items():
        where = f" i kolumn {column}" if column else ""
        lines.append(f"... och {n} rader till med samma fel{where}: {reason.rstrip('.')}.")
    lines += [
        "",
        "Gör så här: rätta filen och lägg den i inkorgen igen. Ingenting från filen har lästs in, "
        "och inget nytt har publicerats förrän alla filer i inkorgen går att läsa in.",
        "Radnumren är de rader du ser i filen eller kalkylbladet (rubrikraden är rad 1).",
        "",
    ]
    return "\n".join(lines)


def _shorten(value: str) -> str:
    value = value.replace("\r", " ").replace("\n", " ")
    if len(value) <= MAX_VALUE_CHARS:
        return value
    return value[: MAX_VALUE_CHARS - 1] + "…"


# What Python's json module says, in a controller's words (its messages are English).
_JSON_ERRORS = {
    "Expecting value": "ett värde saknas",
    "Expecting ',' delimiter": "ett kommatecken eller en avslutande parentes saknas",
    "Expecting ':' delimiter": "ett kolon saknas",
    "Expecting property name enclosed in double quotes": (
        "ett namn saknas eller står inte inom dubbla citattecken"
    ),
    "Unterminated string starting at": "en text avslutas aldrig med citattecken",
    "Extra data": "det finns mer text efter dokumentets slut",
    "Invalid control character at": "en text innehåller ett otillåtet styrtecken",
}


def json_error_reason(exc: ValueError) -> str:
    """'Filen är inte giltig JSON: ...' for a json.JSONDecodeError, with where it happened and,
    when the text stops mid-document, that the file is probably cut off (an interrupted copy
    or download)."""
    msg = getattr(exc, "msg", "")
    what = next(
        (swedish for english, swedish in _JSON_ERRORS.items() if msg.startswith(english)), ""
    )
    doc, pos = getattr(exc, "doc", ""), getattr(exc, "pos", 0)
    where = f"rad {getattr(exc, 'lineno', '?')}, tecken {getattr(exc, 'colno', '?')}"
    if doc and pos >= len(doc.rstrip()):
        return (
            f"Filen är inte giltig JSON: den tar slut mitt i innehållet ({where}), så den är "
            "troligen avkortad"
        )
    return f"Filen är inte giltig JSON: {what or 'tecknen går inte att tolka'} ({where})"
