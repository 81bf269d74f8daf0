"""Checks dbt's tests cannot express: reconciliation against the raw ledger, and the flags.

Both read the build copy before publication; the reconciliation blocks publishing.
"""

import dagster as dg

from pipelines.defs.resources import WorkspaceResource
from pipelines.lib.intake.bokslut import MANADSPERIOD_SQL
from pipelines.lib.labels import label
from pipelines.lib.report.format import format_mnkr
from pipelines.lib.warehouse import build_db

# The ledger as delivered, recomputed here without dbt's models: per period the latest delivery,
# closing entries (period 13) counted in December as the marts count them.
_RAW_LEDGER = f"""
    with latest as (select period, max(load_id) as load_id from raw.utfall group by period)
    select {MANADSPERIOD_SQL} as period, u.konto, u.motpart, u.belopp
    from raw.utfall as u inner join latest using (period, load_id)
"""


@dg.asset_check(
    asset=["marts", "fct_ekonomi_manad"],
    blocking=True,
    description="Summan av inlästa belopp per period i raw.utfall är lika med martens, öre för "
    "öre; "
    "kommunens nettokostnad är summan av klass 3–7 efter eliminering av interna poster.",
)
def avstamning_utfall(workspace: WorkspaceResource) -> dg.AssetCheckResult:
    ws = workspace.workspace
    with build_db.build_connection(ws, read_only=True) as con:
        mismatches = con.execute(
            f"""
            with raw_sum as (
                select period, sum(belopp) as raw_belopp from ({_RAW_LEDGER}) group by period
            ),
            mart_sum as (
                select period, sum(utfall) as mart_belopp
                from marts.fct_ekonomi_manad group by period
            )
            select period, raw_belopp, mart_belopp
            from raw_sum full join mart_sum using (period)
            where coalesce(raw_belopp, 0) <> coalesce(mart_belopp, 0)
            order by period
            """
        ).fetchall()
        kommun = con.execute(
            f"""
            with interna as (
                select unnest(string_split(varde, ',')) as motpart
                from raw.installningar where parameter = 'intern_motpart'
            ),
            raw_net as (
                select period, sum(belopp) as raw_netto
                from ({_RAW_LEDGER})
                where left(konto, 1) between '3' and '7'
                  and coalesce(motpart, '') not in (select trim(motpart) from interna)
                group by period
            )
            select b.period, raw_net.raw_netto, b.utfall_manad
            from marts.budgetavvikelse as b
            left join raw_net using (period)
            where b.niva = 'kommun' and coalesce(raw_net.raw_netto, 0) <> b.utfall_manad
            order by b.period
            """
        ).fetchall()
        periods = con.execute("select count(distinct period) from raw.utfall").fetchall()[0][0]
    return dg.AssetCheckResult(
        passed=not mismatches and not kommun,
        metadata={
            "perioder": periods,
            "avvikande_perioder": [f"{p}: raw {r} / mart {m}" for p, r, m in mismatches][:20],
            "avvikande_kommunnivå": [f"{p}: raw {r} / mart {m}" for p, r, m in kommun][:20],
        },
        description=None
        if not (mismatches or kommun)
        else "Marterna stämmer inte med huvudbokens inlästa belopp; inget publiceras.",
    )


def _flag_table(rows) -> str:
    """The flagged nämnder as a Markdown table for the UI (amounts in mnkr, Swedish format)."""
    if not rows:
        return "Ingen nämnd har negativ helårsavvikelse."
    lines = ["| Nämnd | Status | Helårsavvikelse (mnkr) |", "|---|---|---:|"]
    for kod, namn, status, avv in rows:
        lines.append(f"| {namn} ({kod}) | {label('atgardsplan_status', status)} | "
                     f"{format_mnkr(avv, signed=True)} |")  # fmt: skip
    return "\n".join(lines)


@dg.asset_check(
    asset=["marts", "atgardsplan"],
    description="Varnar för nämnder med negativ helårsavvikelse som behöver en åtgärdsplan.",
)
def atgardsplan_flaggor(workspace: WorkspaceResource) -> dg.AssetCheckResult:
    ws = workspace.workspace
    with build_db.build_connection(ws, read_only=True) as con:
        rows = con.execute(
            """
            select namnd, namnd_namn, status, helarsavvikelse
            from marts.atgardsplan
            where flagga and period = (select rapportperiod from marts.rapportperiod)
            order by helarsavvikelse
            """
        ).fetchall()
    return dg.AssetCheckResult(
        passed=not rows,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "flaggade_namnder": dg.MetadataValue.md(_flag_table(rows)),
            "antal": len(rows),
        },
        description=(
            "Nämnder som behöver en åtgärdsplan: " + ", ".join(r[1] for r in rows)
            if rows
            else "Ingen nämnd har negativ helårsavvikelse."
        ),
    )
