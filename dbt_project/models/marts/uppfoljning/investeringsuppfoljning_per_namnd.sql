-- The investment follow-up summed per nämnd and for the kommun (niva kommun, org KOMMUN), from
-- marts.investeringsuppfoljning so the levels cannot disagree.
with projekt as (
    select * from {{ ref('investeringsuppfoljning') }}
),

niva as (
    select
        'namnd' as niva,
        namnd as org,
        any_value(namnd_namn) as org_namn,
        ar,
        count(*) as antal_projekt,
        sum(budget) as budget,
        sum(utfall_ack) as utfall_ack,
        sum(helarsprognos) as helarsprognos,
        sum(avvikelse) as avvikelse
    from projekt
    group by namnd, ar
    union all
    select
        'kommun' as niva,
        'KOMMUN' as org,
        null as org_namn,
        ar,
        count(*) as antal_projekt,
        sum(budget) as budget,
        sum(utfall_ack) as utfall_ack,
        sum(helarsprognos) as helarsprognos,
        sum(avvikelse) as avvikelse
    from projekt
    group by ar
)

select
    niva.niva,
    niva.org,
    coalesce(niva.org_namn, namn.org_namn) as org_namn,
    niva.ar,
    niva.antal_projekt,
    cast(niva.budget as decimal(18, 2)) as budget,
    cast(niva.utfall_ack as decimal(18, 2)) as utfall_ack,
    cast(niva.helarsprognos as decimal(18, 2)) as helarsprognos,
    cast(niva.avvikelse as decimal(18, 2)) as avvikelse,
    case when niva.budget > 0 then cast(niva.utfall_ack / niva.budget as double) end
        as andel_forbrukad
from niva
left join {{ ref('int_org_namn') }} as namn
    on niva.org = namn.org and niva.niva = namn.niva
