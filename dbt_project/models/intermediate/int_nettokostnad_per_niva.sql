-- Net cost (kontoklass 3–7; debit positive, so positive = net cost) per level × org × month.
-- Kommun level eliminates trade inside the municipality; the other levels keep it, since for a
-- nämnd an internal purchase is a real cost. Classes 1–2 (balance sheet) and 8–9 never count.
with rader as (
    select * from {{ ref('fct_ekonomi_manad') }}
    where ingar_i_nettokostnad
),

per_niva as (
    select 'kommun' as niva, 'KOMMUN' as org, cast(null as varchar) as namnd,
        cast(null as varchar) as forvaltning, period, ar, manad,
        sum(budget) as budget, sum(case when intern then 0 else utfall end) as utfall
    from rader
    group by all

    union all

    select 'namnd', namnd, namnd, null, period, ar, manad, sum(budget), sum(utfall)
    from rader
    group by all

    union all

    -- A förvaltning may prepare for several nämnder (and a verksamhet move between them): its
    -- parent nämnd is the one with the largest share of its cost that month.
    select 'forvaltning', forvaltning, arg_max(namnd, abs(budget) + abs(utfall)), forvaltning,
        period, ar, manad, sum(budget), sum(utfall)
    from rader
    group by forvaltning, period, ar, manad

    union all

    select 'verksamhet', verksamhetsomrade, arg_max(namnd, abs(budget) + abs(utfall)),
        arg_max(forvaltning, abs(budget) + abs(utfall)), period, ar, manad,
        sum(budget), sum(utfall)
    from rader
    group by verksamhetsomrade, period, ar, manad
)

select
    niva,
    org,
    namnd,
    forvaltning,
    period,
    ar,
    manad,
    cast(budget as decimal(18, 2)) as budget,
    cast(utfall as decimal(18, 2)) as utfall
from per_niva
