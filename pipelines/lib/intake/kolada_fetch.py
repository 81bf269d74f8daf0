"""Fetching Kolada values into the inbox, when the workspace is configured online.

Online or not, Kolada values enter the warehouse the same way: as `kolada_*.json` files in the
inbox, read by the one parser (`pipelines.lib.intake.sources.kolada.parse_kolada`). Fetching only
writes such a file (the API's answer pages, unchanged), so every value stays traceable to a file
in the archive, and an offline installation simply drops the files there by hand.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from pipelines.lib.intake.sources.kolada import KoladaClient
from pipelines.lib.workspace import Workspace

YEARS_BACK = 6


def kpis_in_goal_register(ws: Workspace) -> list[str]:
    """The Kolada KPIs the published goal register measures goals with."""
    if not ws.published_db.exists():
        return []
    from pipelines.lib.warehouse.build_db import open_published

    con = open_published(ws)
    try:
        # The intake reads its own schema: the Kolada indicators of the goal register in force
        # (each year's latest delivered register), as stg_inkorg__malindikator selects them.
        rows = con.execute(
            """
            with in_force as (select ar, max(load_id) as load_id from raw.mal group by ar),
            mal as (
                select trim(m.id) as mal_id, m.ar, m.load_id
                from raw.mal as m inner join in_force using (ar, load_id)
            )
            select distinct trim(i.indikator)
            from raw.malindikator as i
            inner join mal
                on trim(i.mal) = mal.mal_id and i.load_id = mal.load_id
                and (i.ar = mal.ar or i.ar is null)
            where lower(trim(i.kalla)) = 'kolada'
            order by 1
            """
        ).fetchall()
    finally:
        con.close()
    return [r[0] for r in rows]


def fetch_to_inbox(
    ws: Workspace, settings: dict[str, Any], today: dt.date, client: KoladaClient | None = None
) -> Path | None:
    """Write the configured KPIs' values as one kolada_*.json file; None when nothing to fetch."""
    kolada = settings.get("kolada", {})
    kpis = sorted({*kolada.get("kpi", []), *kpis_in_goal_register(ws)})
    if not kpis:
        return None
    kommuner = [settings["kommun"]["kod"], *settings.get("jamforelsegrupp", [])]
    years = list(range(today.year - YEARS_BACK, today.year))
    pages = (client or KoladaClient()).fetch_raw_pages(kpis, kommuner, years)
    target = ws.inbox / f"kolada_hamtad_{today:%Y%m%d}.json"
    target.write_text(json.dumps(pages, ensure_ascii=False, indent=1), encoding="utf-8")
    return target
