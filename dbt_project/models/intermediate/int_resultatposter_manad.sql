-- The municipality's income-statement lines per month, internal trade eliminated, signed so that
-- every line is positive as named (revenues positive, costs positive). Budget lines come from
-- the periodised budget (which has no counterpart, so nothing to eliminate).
with fct as (
    select * from {{ ref('int_ekonomi_manad') }}
    where resultatpost not in ('balans', 'interna')
),

signed as (
    select
        period,
        ar,
        manad,
        resultatpost,
        case when resultatpost in (
                    'verksamhetens_intakter', 'skatteintakter', 'generella_statsbidrag',
                    'finansiella_intakter'
                ) then -1
            else 1
        end as tecken,
        case when intern then 0 else utfall end as utfall,
        budget
    from fct
)

select
    period,
    ar,
    manad,
    resultatpost,
    cast(sum(tecken * utfall) as decimal(18, 2)) as utfall,
    cast(sum(tecken * budget) as decimal(18, 2)) as budget
from signed
group by all
