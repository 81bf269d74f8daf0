-- The income statement and the budget follow-up must agree on the municipality's net cost: the
-- same accounts (classes 3–7, kontogrupper.ingar_i_nettokostnad) with internal trade
-- eliminated. Returns each period where the year-to-date outcomes differ, or where the
-- full-year forecasts do.
with resultat as (
    select period, verksamhetens_nettokostnad, helarsprognos_verksamhetens_nettokostnad
    from {{ ref('resultatrakning') }}
),

kommun as (
    select period, utfall_ack, helarsprognos
    from {{ ref('budgetavvikelse') }}
    where niva = 'kommun'
)

select
    coalesce(resultat.period, kommun.period) as period,
    resultat.verksamhetens_nettokostnad,
    kommun.utfall_ack,
    resultat.helarsprognos_verksamhetens_nettokostnad,
    kommun.helarsprognos
from resultat
full join kommun using (period)
where coalesce(resultat.verksamhetens_nettokostnad, 0) <> coalesce(kommun.utfall_ack, 0)
    or coalesce(resultat.helarsprognos_verksamhetens_nettokostnad, 0)
    <> coalesce(kommun.helarsprognos, 0)
