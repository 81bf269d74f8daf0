-- Net cost utfall (kontoklass 3–7; debit positive, so positive = net cost) per level × org ×
-- month. Kommun level eliminates trade inside the municipality (utfall_intern is what the
-- elimination removed); the other levels keep it, since for a nämnd an internal purchase is a
-- real cost. Classes 1–2 (balance sheet) and 8–9 never count. The budget per level is
-- int_budget_per_niva (it depends on the month it is seen from).
with rader as (
    select * from {{ ref('int_ekonomi_manad') }}
    where ingar_i_nettokostnad
),

per_niva as (
    select
        'kommun' as niva, 'KOMMUN' as org, period, ar, manad,
        sum(case when intern then 0 else utfall end) as utfall,
        sum(case when intern then utfall else 0 end) as utfall_intern
    from rader
    group by all

    union all

    select
        'namnd', namnd, period, ar, manad, sum(utfall),
        sum(case when intern then utfall else 0 end)
    from rader
    group by all

    union all

    select
        'forvaltning', forvaltning, period, ar, manad, sum(utfall),
        sum(case when intern then utfall else 0 end)
    from rader
    group by all

    union all

    select
        'verksamhet', verksamhetsomrade, period, ar, manad, sum(utfall),
        sum(case when intern then utfall else 0 end)
    from rader
    group by all
)

select
    niva,
    org,
    period,
    ar,
    manad,
    cast(utfall as decimal(18, 2)) as utfall,
    cast(utfall_intern as decimal(18, 2)) as utfall_intern
from per_niva
