"""A tiny published warehouse, hand-made: two nämnder, one of them flagged for åtgärdsplan.

Figures (kronor), period 2026-03 (the latest; 2026-02 holds the same figures):

- N1 Socialnämnden: årsbudget 1 250 000 000, budget ack 312 500 000, utfall ack 314 000 000,
  avvikelse ack −1 500 000; förvaltningens prognos 1 252 000 000, helårsavvikelse −2 000 000.
- N2 Kultur- och fritidsnämnden: årsbudget 48 000 000, budget ack 12 000 000, utfall ack
  10 999 999,75, avvikelse ack +1 000 000,25; budgetbaserad prognos 46 999 999,75,
  helårsavvikelse +1 000 000,25.
- Kommun (the sum): årsbudget 1 298 000 000, budget ack 324 500 000, utfall ack 324 999 999,75,
  avvikelse ack −499 999,75; helårsprognos 1 298 999 999,75, helårsavvikelse −999 999,75.
"""

from __future__ import annotations

import duckdb
import pytest

from pipelines.lib.intake.raw_tables import create_statements
from pipelines.lib.warehouse.units import mart_models
from pipelines.lib.workspace import Workspace


def create_marts(con: duckdb.DuckDBPyConnection) -> None:
    """Every public mart, empty, with the columns and types of its dbt contract: what any
    refresh publishes before the tests put their rows in."""
    con.execute("create schema marts")
    for table, model in mart_models().items():
        columns = ", ".join(f"{c['name']} {c['data_type']}" for c in model["columns"])
        con.execute(f"create table {table} ({columns})")


# niva, org, org_namn, namnd, forvaltning, period, manad, budget_ack, utfall_ack, arsbudget,
# helarsprognos_forvaltning, helarsprognos_budgetbaserad, helarsprognos_takt
ROWS = [
    (
        "kommun",
        "K",
        "Testby kommun",
        None,
        None,
        1_298_000_000,
        324_500_000,
        "324999999.75",
        None,
        "1298999999.75",
        "1299999999.00",
    ),
    (
        "namnd",
        "N1",
        "Socialnämnden",
        "N1",
        None,
        1_250_000_000,
        312_500_000,
        314_000_000,
        1_252_000_000,
        1_251_500_000,
        1_256_000_000,
    ),
    (
        "namnd",
        "N2",
        "Kultur- och fritidsnämnden",
        "N2",
        None,
        48_000_000,
        12_000_000,
        "10999999.75",
        None,
        "46999999.75",
        "43999999.00",
    ),
    (
        "forvaltning",
        "F1",
        "Socialförvaltningen",
        "N1",
        "F1",
        1_250_000_000,
        312_500_000,
        314_000_000,
        1_252_000_000,
        1_251_500_000,
        1_256_000_000,
    ),
    (
        "forvaltning",
        "F2",
        "Kultur- och fritidsförvaltningen",
        "N2",
        "F2",
        48_000_000,
        12_000_000,
        "10999999.75",
        None,
        "46999999.75",
        "43999999.00",
    ),
]


def _budgetavvikelse(con: duckdb.DuckDBPyConnection) -> None:
    for niva, org, name, namnd, forv, arsb, bud, utf, forvp, budp, takt in ROWS:
        con.execute(
            """
            insert into marts.budgetavvikelse by name
            select $niva as niva, $org as org, $name as org_namn, $namnd as namnd,
                   $forv as forvaltning, '2026-03' as period, 2026 as ar, 3 as manad,
                   b as budget_ack, u as utfall_ack, b - u as avvikelse_ack, a as arsbudget,
                   f as helarsprognos_forvaltning, p as helarsprognos_budgetbaserad,
                   t as helarsprognos_takt, coalesce(f, p) as helarsprognos,
                   case when f is null then 'budgetbaserad' else 'forvaltningens' end
                       as helarsprognos_kalla,
                   a - coalesce(f, p) as helarsavvikelse
            from (select $bud::decimal(18,2) as b, $utf::decimal(18,2) as u,
                         $arsb::decimal(18,2) as a, $forvp::decimal(18,2) as f,
                         $budp::decimal(18,2) as p, $takt::decimal(18,2) as t)
            """,
            {
                "niva": niva,
                "org": org,
                "name": name,
                "namnd": namnd,
                "forv": forv,
                "arsb": str(arsb),
                "bud": str(bud),
                "utf": str(utf),
                "forvp": None if forvp is None else str(forvp),
                "budp": str(budp),
                "takt": str(takt),
            },
        )
    # The previous month: not what the tests look at, only there so 2026-03 is the latest.
    con.execute(
        "insert into marts.budgetavvikelse select * replace ('2026-02' as period, 2 as manad) "
        "from marts.budgetavvikelse"
    )


def _atgardsplan(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """
        insert into marts.atgardsplan (
            namnd, namnd_namn, period, ar, manad, arsbudget, helarsprognos, helarsprognos_kalla,
            helarsavvikelse, tolerans, flagga, status, forsta_flaggade_period, manader_sedan_flagga,
            atgardsplan_beslutsdatum, atgardsplan_diarienummer, atgardsplan_belopp
        ) values
        ('N1', 'Socialnämnden', '2026-02', 2026, 2, 1250000000, 1252000000, 'forvaltningens',
         -2000000, 0, true, 'ny', '2026-02', 0, null, null, null),
        ('N1', 'Socialnämnden', '2026-03', 2026, 3, 1250000000, 1252000000, 'forvaltningens',
         -2000000, 0, true, 'kraver_atgardsplan', '2026-02', 1, null, null, null),
        ('N2', 'Kultur- och fritidsnämnden', '2026-02', 2026, 2, 48000000, 46999999.75,
         'budgetbaserad', 1000000.25, 0, false, null, null, null, null, null, null),
        ('N2', 'Kultur- och fritidsnämnden', '2026-03', 2026, 3, 48000000, 46999999.75,
         'budgetbaserad', 1000000.25, 0, false, null, null, null, null, null, null)
        """
    )


def build_warehouse(ws: Workspace) -> None:
    """The published warehouse: the raw control tables, every mart (empty), and rows in the two
    core marts."""
    ws.warehouse_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(ws.published_db)) as con:
        for statement in create_statements():
            con.execute(statement)
        con.execute(
            "insert into raw.installningar values ('kommun.kod', '9999'), "
            "('kommun.namn', 'Testby kommun')"
        )
        con.execute(
            "insert into raw.korningar values "
            "('run-aaaa', '2026-02', timestamp '2026-03-05 08:00:00', 'refresh'), "
            "('run-bbbb', '2026-03', timestamp '2026-04-06 09:30:00', 'refresh')"
        )
        create_marts(con)
        _budgetavvikelse(con)
        _atgardsplan(con)


def add_optional_marts(ws: Workspace) -> None:
    """Rows in the marts whose inputs are optional (resultaträkning, forecasts, goals, risks)."""
    with duckdb.connect(str(ws.published_db)) as con:
        con.execute(
            """
            insert into marts.resultatrakning by name select
                '2026-03' as period, 2026 as ar, 3 as manad,
                100000000.00::decimal(18,2) as verksamhetens_intakter,
                420000000.00::decimal(18,2) as verksamhetens_kostnader,
                5000000.00::decimal(18,2) as avskrivningar,
                325000000.00::decimal(18,2) as verksamhetens_nettokostnad,
                280000000.00::decimal(18,2) as skatteintakter,
                52000000.00::decimal(18,2) as generella_statsbidrag,
                7000000.00::decimal(18,2) as verksamhetens_resultat,
                -1000000.00::decimal(18,2) as finansnetto,
                6000000.00::decimal(18,2) as arets_resultat,
                1298999999.75::decimal(18,2) as helarsprognos_verksamhetens_nettokostnad,
                24000000.00::decimal(18,2) as helarsprognos_arets_resultat,
                0.018 as resultatandel_prognos,
                0.02 as resultatandel_mal
            """
        )
        con.execute(
            """
            insert into marts.helarsprognos_statistisk by name select * from (values
                ('N1', 'Socialnämnden', '2026-03', 3, 'budgetbaserad', true, 1253000000.0,
                 1240000000.0, 1266000000.0, 0.734),
                ('N1', 'Socialnämnden', '2026-03', 3, 'statistisk', false, 1270000000.0,
                 1260000000.0, 1280000000.0, 0.9),
                ('N2', 'Kultur- och fritidsnämnden', '2026-03', 3, 'forvaltningens', true,
                 46500000.0, 45000000.0, 48000000.0, null)
            ) as t(namnd, namnd_namn, period, manad, metod, officiell, helarsprognos,
                   helarsprognos_lag80, helarsprognos_hog80, sannolikhet_underskott)
            """
        )
        con.execute(
            """
            insert into marts.maluppfyllelse_per_niva by name select * from (values
                ('namnd', 'N1', 2026, 4, 2, 1, 1, 0, 0),
                ('namnd', 'N2', 2026, 3, 1, 1, 0, 1, 0)
            ) as t(niva, org, ar, antal_mal, antal_uppfyllt, antal_delvis, antal_ej_uppfyllt,
                   antal_saknar_varde, antal_saknar_indikator)
            """
        )
        # In mnkr, as the forecast asset writes it. The first year, 2026, is the resultaträkning's
        # helårsprognos (24 000 000 kr, 1,8 %); goal 2 % of 24 / 0,018 = 1 333,3 mnkr → 2,7 short.
        con.execute(
            """
            insert into marts.langtidsprognos by name select * from (values
                (2026, 'bas', 24.0, 0.018, 2.666667, 0.018, 0.018, 0.018, 0.018, 0.018, 1.0,
                 2025, '2026-03'),
                (2027, 'bas', 30.0, 0.021, 0.0, 0.004, 0.012, 0.021, 0.03, 0.037, 0.45,
                 2025, '2026-03'),
                (2028, 'bas', -12.5, -0.008, 43.7, -0.031, -0.02, -0.008, 0.003, 0.014, 0.93,
                 2025, '2026-03'),
                (2027, 'hog', 99.0, 0.07, 0.0, 0.05, 0.06, 0.07, 0.08, 0.09, 0.0,
                 2025, '2026-03')
            ) as t(ar, scenario, arets_resultat, resultatandel, effektiviseringsbehov_mnkr,
                   resultatandel_p10, resultatandel_p25, resultatandel_p50, resultatandel_p75,
                   resultatandel_p90, sannolikhet_under_mal, bas_ar, prognosperiod)
            """
        )
        con.execute(
            """
            insert into marts.kanslighetsanalys by name select * from (values
                ('skattesats_1_ore', 'Skattesatsen höjs med 1 öre.', 2.5, 3.4),
                ('ranta_1pp', 'Räntan 1 procentenhet högre.', -31.0, -38.5)
            ) as t(faktor, beskrivning, ar1_mnkr, ar10_mnkr)
            """
        )
        con.execute(
            """
            -- Per method and month: mean error in % of the årsbudget, MASE, coverage of the
            -- 80 % interval with its Wilson bounds, and whether P(underskott) has skill.
            insert into marts.helarsprognos_precision_sammanfattning by name
            select * from (values
                ('budgetbaserad', 3, 2.5, 0.9, 0.8, 0.7, 0.88, true),
                ('forvaltningens', 3, 1.5, 0.7, 0.75, 0.6, 0.85, false),
                ('statistisk', 3, 1.2, 0.54, 0.82, 0.71, 0.9, false),
                ('statistisk', 6, 0.8, 0.4, 0.78, 0.66, 0.87, true),
                ('statistisk', 1, 9.0, 2.0, 0.5, 0.4, 0.6, false)
            ) as t(metod, manad, mae_procent, mase, tackning_80, tackning_80_lag,
                   tackning_80_hog, sannolikhet_visas)
            """
        )
        con.execute(
            """
            insert into marts.helarsprognos_kommun by name select * from (values
                ('2026-03', 1299500000.0, 1280000000.0, 1320000000.0, 0.4)
            ) as t(period, helarsprognos, helarsprognos_lag80, helarsprognos_hog80,
                   sannolikhet_underskott)
            """
        )
        con.execute(
            """
            insert into marts.intern_kontroll by name select * from (values
                ('N1', 2026, 'Brist i bemanning av hemtjänst', 4, 4, 16, 'rod'),
                ('N2', 2026, 'Felaktiga fakturor', 3, 4, 12, 'gul'),
                ('N2', 2026, 'Låg risk', 2, 2, 4, 'gron'),
                ('N1', 2025, 'Förra årets risk', 5, 5, 25, 'rod')
            ) as t(namnd, ar, risk, sannolikhet, konsekvens, riskvarde, trafikljus)
            """
        )


@pytest.fixture
def ws(tmp_path) -> Workspace:
    workspace = Workspace(home=tmp_path)
    build_warehouse(workspace)
    return workspace


@pytest.fixture
def ws_full(ws: Workspace) -> Workspace:
    """The warehouse with the optional marts too."""
    add_optional_marts(ws)
    return ws
