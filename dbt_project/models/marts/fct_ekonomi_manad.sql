-- Utfall and periodised budget per ansvar × verksamhet × kontogrupp × month, in the organisation
-- valid that month (namnd, forvaltning) and in today's (namnd_idag, forvaltning_idag).
with utfall as (
    select
        period, ar, manad, ansvar, verksamhet, kontogrupp, intern,
        namnd, forvaltning, verksamhetsomrade, namnd_idag, forvaltning_idag,
        sum(belopp) as utfall,
        cast(0 as decimal(18, 2)) as budget
    from {{ ref('int_utfall_rader') }}
    group by all
),

budget as (
    select
        period, ar, manad, ansvar, verksamhet, kontogrupp, false as intern,
        namnd, forvaltning, verksamhetsomrade, namnd_idag, forvaltning_idag,
        cast(0 as decimal(18, 2)) as utfall,
        sum(belopp) as budget
    from {{ ref('int_budget_manad') }}
    group by all
),

combined as (
    select
        period, ar, manad, ansvar, verksamhet, kontogrupp, intern,
        namnd, forvaltning, verksamhetsomrade, namnd_idag, forvaltning_idag,
        cast(sum(utfall) as decimal(18, 2)) as utfall,
        cast(sum(budget) as decimal(18, 2)) as budget
    from (select * from utfall union all by name select * from budget)
    group by all
),

kontogrupper as (
    select * from {{ ref('kontogrupper') }}
),

final as (
    select
        combined.period,
        combined.ar,
        combined.manad,
        combined.ansvar,
        combined.verksamhet,
        combined.kontogrupp,
        kontogrupper.kontogrupp_namn,
        kontogrupper.kontoklass,
        kontogrupper.resultatpost,
        kontogrupper.ingar_i_nettokostnad,
        combined.intern,
        combined.namnd,
        combined.forvaltning,
        combined.verksamhetsomrade,
        combined.namnd_idag,
        combined.forvaltning_idag,
        combined.utfall,
        combined.budget
    from combined
    left join kontogrupper using (kontogrupp)
)

select * from final
