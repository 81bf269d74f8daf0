"""Period 13: the ledger's year-end closing entries (bokslutsposter), booked after December.

The intake accepts `YYYY13` for utfall (column type `bokslutsperiod`) and keeps it as its own
delivery (it replaces the earlier period-13 delivery, never December's). Everything that reads
months counts it in December, its year's last month: it is never a report period of its own,
and the year's outcome after it is the closed year's (docs/rules.md §21).
"""

from __future__ import annotations

BOKSLUTSMANAD = "13"

# The same rule in SQL, for queries over raw.utfall (dbt: the macro `manadsperiod`).
MANADSPERIOD_SQL = "case when right(period, 2) = '13' then left(period, 4) || '-12' else period end"


def manadsperiod(period: str) -> str:
    """The month a ledger period counts in: '2026-13' → '2026-12'; any other is itself."""
    return f"{period[:4]}-12" if period[5:7] == BOKSLUTSMANAD else period
