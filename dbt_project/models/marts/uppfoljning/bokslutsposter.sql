-- The year-end closing entries (period 13) shown apart: they count in December everywhere else
-- (docs/rules.md §21), so a month view can say how much of December they are. Net cost as in
-- budgetavvikelse: per nämnd with its internal trade, for the kommun without it.
with rader as (
    select * from {{ ref('int_utfall_rader') }}
    where bokslut and ingar_i_nettokostnad
),

niva as (
    select
        'namnd' as niva,
        namnd as org,
        ar,
        count(*) as antal_rader,
        sum(belopp) as nettokostnad
    from rader
    group by namnd, ar
    union all
    select
        'kommun' as niva,
        'KOMMUN' as org,
        ar,
        count(*) as antal_rader,
        sum(belopp) as nettokostnad
    from rader
    where not intern
    group by ar
)

select
    niva.niva,
    niva.org,
    namn.org_namn,
    niva.ar,
    niva.ar || '-12' as period,
    niva.antal_rader,
    cast(niva.nettokostnad as decimal(18, 2)) as nettokostnad
from niva
left join {{ ref('int_org_namn') }} as namn
    on niva.org = namn.org and niva.niva = namn.niva
