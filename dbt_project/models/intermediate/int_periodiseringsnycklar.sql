-- The periodisation key shares per year: a delivered key for the year wins over the standard key
-- of the same name.
with levererade as (
    select ar, nyckel, manad, andel, 'levererad' as kalla
    from {{ ref('stg_inkorg__periodisering') }}
),

budgetar as (
    select distinct ar from {{ ref('stg_inkorg__budget') }}
),

standard as (
    select budgetar.ar, seed.nyckel, seed.manad, seed.andel, 'standard' as kalla
    from budgetar
    cross join {{ ref('standardperiodisering') }} as seed
    where not exists (
        select 1 from levererade
        where levererade.ar = budgetar.ar and levererade.nyckel = seed.nyckel
    )
),

final as (
    select * from levererade
    union all
    select * from standard
)

select * from final
