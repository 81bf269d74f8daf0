-- Full-year investment per project and year, the one rule for every investment follow-up:
-- the nämnd's delivered prognos for the year where there is one; else, in a closed year, the
-- outcome; else the outcome to date plus what remains of the plan (an overrun is not offset by
-- an underrun later in the year, so the remainder is never negative).
with investering as (
    select * from {{ ref('stg_inkorg__investering') }}
),

per_projekt as (
    select
        projekt,
        ar,
        -- The latest delivery names the nämnd, as after a reorganisation.
        arg_max(namnd, load_id) as namnd,
        sum(belopp) filter (where typ = 'plan') as plan,
        sum(belopp) filter (where typ = 'utfall') as utfall,
        sum(belopp) filter (where typ = 'prognos') as prognos
    from investering
    group by projekt, ar
),

final as (
    select
        p.projekt,
        p.namnd,
        p.ar,
        p.plan,
        p.utfall,
        p.prognos,
        case
            when p.prognos is not null then p.prognos
            when coalesce(ar.helt_ar, false) and p.utfall is not null then p.utfall
            else coalesce(p.utfall, 0) + greatest(coalesce(p.plan, 0) - coalesce(p.utfall, 0), 0)
        end as helarsprognos,
        case
            when p.prognos is not null then 'prognos'
            when coalesce(ar.helt_ar, false) and p.utfall is not null then 'utfall'
            when p.utfall is null then 'plan'
            else 'utfall_och_aterstaende_plan'
        end as underlag
    from per_projekt as p
    left join {{ ref('int_utfallsar') }} as ar using (ar)
)

select
    projekt,
    namnd,
    ar,
    cast(plan as decimal(18, 2)) as plan,
    cast(utfall as decimal(18, 2)) as utfall,
    cast(prognos as decimal(18, 2)) as prognos,
    cast(helarsprognos as decimal(18, 2)) as helarsprognos,
    underlag
from final
