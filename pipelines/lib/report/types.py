"""The report types: what each report covers, where its files go and how its model is built.

Each type has a scope (a period ÅÅÅÅ-MM or a year ÅÅÅÅ), is for the kommun or per nämnd, and
has a file stem: its files are `reports/<period or year>/<stem>[_<nämnd>].html` and `.xlsx`
(docs/contract.md). `read(ws, key, namnd) -> Report` builds the model (model.py) that the
shared renderers (html.py, excel.py, pdf.py) write; a yearly type that needs the closed year
(`requires_closed_year`) is refused until `styrhjul close --year` has closed it
(pipelines/lib/run/closing.py holds that one definition).

A type is registered here only once its reader exists (no placeholders). The per-nämnd yearly
readers (written one per nämnd by `write_reports` when no nämnd is given):

- `read_kvalitetsrapport(ws, year: int | str, namnd: str) -> Report` in
  `pipelines/lib/report/kvalitetsrapport.py` (type `kvalitetsrapport`, year, per nämnd);
- `read_verksamhetsberattelse(ws, year: int | str, namnd: str) -> Report` in
  `pipelines/lib/report/verksamhetsberattelse.py` (type `verksamhetsberattelse`, closed year,
  per nämnd).

The readers are imported when called: they import the sections, which need nothing of this
module, and the registry stays cheap to import for the CLI's help.

A reader sets the Report's header fields (`typ`, `title`, `scope`, `namnd`, `namnd_namn`,
`file_stem`) and raises ValueError with a Swedish sentence for anything the user can fix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipelines.lib.report.data import read_report
from pipelines.lib.report.model import Report
from pipelines.lib.workspace import Workspace

PERIOD, AR = "period", "ar"


@dataclass(frozen=True)
class ReportType:
    code: str
    title: str
    scope: str  # PERIOD or AR
    per_namnd: bool
    stem: str
    read: Callable[[Workspace, str, str | None], Report]
    requires_closed_year: bool = False

    def file_stem(self, namnd: str | None) -> str:
        return f"{self.stem}_{namnd}" if namnd else self.stem


def _manadsrapport(ws: Workspace, key: str, namnd: str | None) -> Report:
    return read_report(ws, key)


def _delarsrapport(ws: Workspace, key: str, namnd: str | None) -> Report:
    from pipelines.lib.report.delarsrapport import read_delarsrapport

    return read_delarsrapport(ws, key)


def _arsredovisning(ws: Workspace, key: str, namnd: str | None) -> Report:
    from pipelines.lib.report.arsredovisning import read_arsredovisning

    return read_arsredovisning(ws, int(key))


def _kvalitetsrapport(ws: Workspace, key: str, namnd: str | None) -> Report:
    from pipelines.lib.report.kvalitetsrapport import read_kvalitetsrapport

    return read_kvalitetsrapport(ws, key, str(namnd))


def _verksamhetsberattelse(ws: Workspace, key: str, namnd: str | None) -> Report:
    from pipelines.lib.report.verksamhetsberattelse import read_verksamhetsberattelse

    return read_verksamhetsberattelse(ws, key, str(namnd))


REPORT_TYPES: dict[str, ReportType] = {
    t.code: t
    for t in (
        ReportType(
            "manadsrapport", "Månadsrapport", PERIOD, False, "manadsrapport", _manadsrapport
        ),
        ReportType(
            "delarsrapport", "Delårsrapport", PERIOD, False, "delarsrapport", _delarsrapport
        ),
        ReportType(
            "arsredovisning",
            "Årsredovisning, underlag",
            AR,
            False,
            "arsredovisning_underlag",
            _arsredovisning,
            requires_closed_year=True,
        ),
        ReportType(
            "kvalitetsrapport", "Kvalitetsrapport", AR, True, "kvalitetsrapport", _kvalitetsrapport
        ),
        ReportType(
            "verksamhetsberattelse",
            "Verksamhetsberättelse",
            AR,
            True,
            "verksamhetsberattelse",
            _verksamhetsberattelse,
            requires_closed_year=True,
        ),
    )
}

# Every type the issue names, registered or not: a known but unregistered type gets its own
# message rather than "unknown".
ALL_TYPES = (
    "manadsrapport",
    "delarsrapport",
    "kvalitetsrapport",
    "verksamhetsberattelse",
    "arsredovisning",
)


def report_type(code: str) -> ReportType:
    """The registered type `code`, or ValueError in Swedish."""
    if code in REPORT_TYPES:
        return REPORT_TYPES[code]
    known = ", ".join(REPORT_TYPES)
    if code in ALL_TYPES:
        raise ValueError(
            f"Rapporttypen {code} finns inte i den här versionen ännu; finns: {known}."
        )
    raise ValueError(f"Okänd rapporttyp '{code}'; finns: {known}.")
