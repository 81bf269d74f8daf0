-- Population history (utfall) and forecast (prognos) by region × year (× month for monthly
-- tables) × age (or SCB's age band) × sex, with the age group of the demographic cost model
-- (docs/rules.md).
with befolkning as (
    select * from {{ ref('stg_inkorg__befolkning') }}
),

grupper as (
    select * from {{ ref('aldersgrupper') }}
),

final as (
    select
        befolkning.region,
        befolkning.ar,
        befolkning.manad,
        befolkning.alder,
        befolkning.aldersband,
        befolkning.kon,
        befolkning.typ,
        befolkning.antal,
        grupper.aldersgrupp,
        befolkning.source_file,
        befolkning.source_row
    from befolkning
    left join grupper
        on befolkning.alder between grupper.alder_fran and grupper.alder_till
)

select * from final
