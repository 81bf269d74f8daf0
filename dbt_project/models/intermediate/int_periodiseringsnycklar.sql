-- The periodisation keys per year as relative weights per month: a delivered key for the year
-- (its shares) wins over the standard key of the same name. Weights, not shares, so the even
-- key is exactly 1/12 a month (0.083333 × 12 is not 1).
with levererade as (
    select ar, nyckel, manad, andel as vikt, 'levererad' as kalla
    from {{ ref('stg_inkorg__periodisering') }}
),

budgetar as (
    select distinct ar from {{ ref('stg_inkorg__budget') }}
),

standard as (
    select
        budgetar.ar, seed.nyckel, seed.manad, cast(seed.vikt as double) as vikt, 'standard' as kalla
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
