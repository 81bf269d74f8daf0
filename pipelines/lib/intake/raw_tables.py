"""The raw layer's contract: one table per input kind, as loaded, plus the run's control tables.

Every raw table carries the audit columns, so each figure in a mart can be traced back to the
delivered file (by name and SHA-256) and its row. Tables exist even before a kind's first
delivery, so dbt's sources always resolve.
"""

from __future__ import annotations

AUDIT_COLUMNS: dict[str, str] = {
    "source_file": "VARCHAR NOT NULL",
    "file_sha256": "VARCHAR NOT NULL",
    "source_row": "BIGINT NOT NULL",
    "load_id": "BIGINT NOT NULL",
}

MONEY = "DECIMAL(18,2)"

RAW_TABLES: dict[str, dict[str, str]] = {
    "utfall": {
        "period": "VARCHAR",
        "ansvar": "VARCHAR",
        "verksamhet": "VARCHAR",
        "konto": "VARCHAR",
        "projekt": "VARCHAR",
        "motpart": "VARCHAR",
        "belopp": MONEY,
    },
    "budget": {
        "ar": "INTEGER",
        "ansvar": "VARCHAR",
        "verksamhet": "VARCHAR",
        "konto": "VARCHAR",
        "belopp": MONEY,
        "version": "VARCHAR",
        "nyckel": "VARCHAR",
        "beslutsdatum": "DATE",
    },
    "periodisering": {"ar": "INTEGER", "nyckel": "VARCHAR", "manad": "INTEGER", "andel": "DOUBLE"},
    "prognos": {"period": "VARCHAR", "namnd": "VARCHAR", "prognos": MONEY},
    "organisation": {
        "ansvar": "VARCHAR",
        "ansvar_namn": "VARCHAR",
        "forvaltning": "VARCHAR",
        "forvaltning_namn": "VARCHAR",
        "namnd": "VARCHAR",
        "namnd_namn": "VARCHAR",
        "verksamhetsomrade": "VARCHAR",
        "giltig_from": "DATE",
        "giltig_tom": "DATE",
    },
    "atgardsplan": {
        "namnd": "VARCHAR",
        "beslutsdatum": "DATE",
        "diarienummer": "VARCHAR",
        "belopp": MONEY,
        "kommentar": "VARCHAR",
    },
    "befolkning": {
        "region": "VARCHAR",
        "ar": "INTEGER",
        # Monthly tables (SCB's TAB6471) carry a month; annual ones are at 31 December (null).
        "manad": "INTEGER",
        "alder": "INTEGER",
        # SCB tables by age band (e.g. "0-9") leave alder null and name the band here.
        "aldersband": "VARCHAR",
        "kon": "VARCHAR",
        "antal": "BIGINT",
        "typ": "VARCHAR",
    },
    "kolada": {
        "kpi": "VARCHAR",
        "kommun": "VARCHAR",
        "period": "INTEGER",
        "kon": "VARCHAR",
        "varde": "DOUBLE",
        "status": "VARCHAR",
    },
    "indikator": {"indikator": "VARCHAR", "org": "VARCHAR", "period": "VARCHAR", "varde": "DOUBLE"},
    "mal": {
        "id": "VARCHAR",
        "niva": "VARCHAR",
        "org": "VARCHAR",
        "ar": "INTEGER",
        "titel": "VARCHAR",
        "perspektiv": "VARCHAR",
        "foralder": "VARCHAR",
        "agenda2030": "VARCHAR",
    },
    "malindikator": {
        "mal": "VARCHAR",
        # The goal's year: a goal kept into the next year keeps its id, so (ar, mal) is the goal.
        "ar": "INTEGER",
        "indikator": "VARCHAR",
        "kalla": "VARCHAR",
        "riktning": "VARCHAR",
        "utgangsvarde": "DOUBLE",
        "malvarde": "DOUBLE",
    },
    # Exact, since some parameters are kronor (a warehouse created earlier keeps DOUBLE here;
    # staging casts).
    "antaganden": {
        "ar": "INTEGER",
        "parameter": "VARCHAR",
        "varde": "DECIMAL(18,4)",
        "kalla": "VARCHAR",
    },
    "investering": {
        "projekt": "VARCHAR",
        "namnd": "VARCHAR",
        "ar": "INTEGER",
        "belopp": MONEY,
        "typ": "VARCHAR",
        "avskrivningstid": "INTEGER",
    },
    "risk": {
        "namnd": "VARCHAR",
        "ar": "INTEGER",
        "risk": "VARCHAR",
        "sannolikhet": "INTEGER",
        "konsekvens": "INTEGER",
        "kontrollmoment": "VARCHAR",
        "resultat": "VARCHAR",
        "atgard": "VARCHAR",
        "status": "VARCHAR",
    },
}

# Control tables: what was delivered, which runs ran, the settings they ran with, closed periods.
CONTROL_TABLES: dict[str, dict[str, str]] = {
    "leveranser": {
        "load_id": "BIGINT NOT NULL",
        "run_id": "VARCHAR NOT NULL",
        "source_file": "VARCHAR NOT NULL",
        "file_sha256": "VARCHAR NOT NULL",
        "filtyp": "VARCHAR NOT NULL",
        "rader": "BIGINT NOT NULL",
        "teckenkodning": "VARCHAR",
        "inlast_tid": "TIMESTAMP NOT NULL",
    },
    "korningar": {
        "run_id": "VARCHAR NOT NULL",
        "period": "VARCHAR NOT NULL",
        "startad": "TIMESTAMP NOT NULL",
        "typ": "VARCHAR NOT NULL",
    },
    "installningar": {"parameter": "VARCHAR NOT NULL", "varde": "VARCHAR"},
    "periodstangningar": {
        "period": "VARCHAR NOT NULL",
        "stangd_tid": "TIMESTAMP NOT NULL",
        "run_id": "VARCHAR NOT NULL",
    },
}


def create_statements() -> list[str]:
    """DDL that brings a warehouse of any earlier version up to this contract.

    Tables are created if missing and columns added if missing (new columns are nullable), so
    a published warehouse keeps its history across an upgrade.
    """
    statements = ["create schema if not exists raw"]
    tables = {
        **{name: {**columns, **AUDIT_COLUMNS} for name, columns in RAW_TABLES.items()},
        **CONTROL_TABLES,
    }
    for name, columns in tables.items():
        body = ", ".join(f"{col} {typ}" for col, typ in columns.items())
        statements.append(f"create table if not exists raw.{name} ({body})")
        for col, typ in columns.items():
            nullable = typ.replace(" NOT NULL", "")
            statements.append(f"alter table raw.{name} add column if not exists {col} {nullable}")
    return statements
