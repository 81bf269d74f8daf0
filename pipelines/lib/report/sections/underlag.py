"""The report's data: every input file loaded (raw.leveranser), the files in quarantine and the
months the ledger lacks, so a reader can tell what the figures are built from."""

from __future__ import annotations

from pipelines.lib.intake.crosscheck import history_gaps, missing_months
from pipelines.lib.report.model import COUNT, DATE, Column, Section
from pipelines.lib.report.warehouse import Warehouse

SHA_PREFIX = 12  # hex digits of the SHA-256 shown: enough to tell two files apart by eye

COLUMNS = [
    Column("source_file", "Fil"),
    Column("filtyp", "Filtyp"),
    Column("inlast_tid", "Inläst", DATE),
    Column("rader", "Rader", COUNT),
    Column("sha256", f"SHA-256 (första {SHA_PREFIX} tecknen)"),
]


def ledger_gaps(wh: Warehouse, period: str) -> list[str]:
    """Months without utfall: those of the report year up to the period and those between the
    ledger's first and last month (the intake's own rules, crosscheck.py)."""
    periods = {
        r["period"]
        for r in wh.rows(
            "select period from marts.fct_ekonomi_manad group by period "
            "having count(*) filter (where utfall <> 0) > 0"
        )
    }
    return sorted(set(missing_months(periods, period)) | set(history_gaps(periods)))


def underlag(wh: Warehouse, period: str, quarantined: list[str]) -> Section:
    rows = wh.rows(
        """
        select source_file, filtyp, inlast_tid, rader, left(file_sha256, ?) as sha256
        from raw.leveranser
        order by load_id
        """,
        [SHA_PREFIX],
    )
    lines = []
    if quarantined:
        lines.append(
            f"Filer i karantän (avvisade, ingår inte i siffrorna; se respektive .fel.txt): "
            f"{', '.join(quarantined)}."
        )
    else:
        lines.append("Inga filer ligger i karantän.")
    gaps = ledger_gaps(wh, period)
    if gaps:
        lines.append(f"Utfall saknas för månaderna {', '.join(gaps)}.")
    else:
        lines.append(f"Inga månader saknas i huvudboken fram till {period}.")
    return Section(
        id="underlag",
        title="Underlag: inlästa filer",
        sheet="Underlag",
        columns=COLUMNS,
        rows=rows,
        lines=lines,
        message=None if rows else "Inga filer är inlästa i lagret.",
        description="Varje fil som lästs in i lagret, i den ordning den lästes in: en senare "
        "leverans ersätter det den delar nyckel med i en tidigare (till exempel en rättad "
        "månad). Kontrollsumman (SHA-256) visar vilken fil som användes.",
        source="raw.leveranser, marts.fct_ekonomi_manad, mappen quarantine/",
    )
