-- Utfall and periodised budget per ansvar × verksamhet × kontogrupp × month, in the organisation
-- valid that month (namnd, forvaltning) and in today's (namnd_idag, forvaltning_idag). The
-- budget is the one in force at the year's latest ledger month. Incremental by year
-- (macros/inkrementell.sql): a new month changes the budget shown for its whole year, so a
-- build recomputes the years of the periods with a new delivery.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='ar',
    on_schema_change='fail',
    pre_hook="{{ tom_vid_full_ombyggnad() }}",
) }}
-- What to recompute is read from these (macros/inkrementell.sql):
-- depends_on: {{ source('raw', 'utfall') }}
-- depends_on: {{ source('raw', 'leveranser') }}
-- depends_on: {{ source('raw', 'installningar') }}

with utfall as (
    select
        period, ar, manad, ansvar, verksamhet, kontogrupp, intern,
        namnd, forvaltning, verksamhetsomrade, namnd_idag, forvaltning_idag,
        sum(belopp) as utfall,
        cast(0 as decimal(18, 2)) as budget
    from {{ ref('int_utfall_rader') }}
    {% if is_incremental() -%}
        where {{ ombyggs('ar', 'ar') }}
    {%- endif %}
    group by all
),

referensmanad as (
    -- The budget shown is the one in force at the year's latest ledger month (December for a
    -- closed year or a year not yet begun): the same budget as that month's budgetavvikelse.
    select ar, sista_manad as per_manad from {{ ref('int_utfallsar') }}
),

i_kraft as (
    select i_kraft.*
    from {{ ref('int_budget_i_kraft') }} as i_kraft
    left join referensmanad using (ar)
    where i_kraft.per_manad = coalesce(referensmanad.per_manad, 12)
),

budget as (
    select
        b.period, b.ar, b.manad, b.ansvar, b.verksamhet, b.kontogrupp, false as intern,
        b.namnd, b.forvaltning, b.verksamhetsomrade, b.namnd_idag, b.forvaltning_idag,
        cast(0 as decimal(18, 2)) as utfall,
        sum(b.belopp) as budget
    from {{ ref('int_budget_manad') }} as b
    inner join i_kraft
        on {{ i_kraft('b', 'i_kraft') }}
    {% if is_incremental() -%}
        where {{ ombyggs('b.ar', 'ar') }}
    {%- endif %}
    group by all
),

combined as (
    select
        period, ar, manad, ansvar, verksamhet, kontogrupp, intern,
        namnd, forvaltning, verksamhetsomrade, namnd_idag, forvaltning_idag,
        cast(sum(utfall) as decimal(18, 2)) as utfall,
        cast(sum(budget) as decimal(18, 2)) as budget
    from (
        select * from utfall
        union all by name
        select * from budget
    ) as rader
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
