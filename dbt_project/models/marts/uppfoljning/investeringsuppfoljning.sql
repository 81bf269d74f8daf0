-- Investment follow-up per project and year: the plan (budget), the outcome to date and its
-- month, the year's prognos by the one full-year rule (int_investering_helar, docs/rules.md
-- §12), the avvikelse (budget − prognos, positive = spending below the budget) and the share of
-- the budget spent. A project with a plan and no outcome has utfall_ack 0.
with helar as (
    select * from {{ ref('int_investering_helar') }}
),

utfallsperiod as (
    select projekt, ar, period as utfall_period
    from {{ ref('stg_inkorg__investering') }}
    where typ = 'utfall'
)

select
    helar.projekt,
    helar.namnd,
    namn.org_namn as namnd_namn,
    helar.ar,
    cast(coalesce(helar.plan, 0) as decimal(18, 2)) as budget,
    cast(coalesce(helar.utfall, 0) as decimal(18, 2)) as utfall_ack,
    utfallsperiod.utfall_period,
    helar.prognos as levererad_prognos,
    helar.helarsprognos,
    helar.underlag,
    cast(coalesce(helar.plan, 0) - helar.helarsprognos as decimal(18, 2)) as avvikelse,
    case
        when helar.plan > 0 then cast(coalesce(helar.utfall, 0) / helar.plan as double)
    end as andel_forbrukad
from helar
left join utfallsperiod using (projekt, ar)
left join {{ ref('int_org_namn') }} as namn
    on helar.namnd = namn.org and namn.niva = 'namnd'
