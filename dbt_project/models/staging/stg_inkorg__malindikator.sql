-- The indicators of the goals in force (delivered in the same register file as their goal).
-- An indicator belongs to the goal of its year: a goal kept into the next year keeps its id,
-- so (ar, mal_id) is the goal. Rows loaded before the register carried the indicator's year
-- have no ar; they take their goal's year within their file.
with source as (
    select * from {{ source('raw', 'malindikator') }}
),

mal as (
    select mal_id, ar, load_id from {{ ref('stg_inkorg__mal') }}
),

renamed as (
    select
        mal.ar,
        trim(source.mal) as mal_id,
        trim(source.indikator) as indikator,
        lower(trim(source.kalla)) as kalla,
        source.riktning,
        source.utgangsvarde,
        source.malvarde,
        source.source_file,
        source.source_row
    from source
    inner join mal
        on trim(source.mal) = mal.mal_id
            and source.load_id = mal.load_id
            and (source.ar = mal.ar or source.ar is null)
)

select * from renamed
