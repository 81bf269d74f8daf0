-- The indicators of the goals in force (delivered in the same register file as their goal).
with source as (
    select * from {{ source('raw', 'malindikator') }}
),

mal as (
    select mal_id, load_id from {{ ref('stg_inkorg__mal') }}
),

renamed as (
    select
        trim(source.mal) as mal_id,
        trim(source.indikator) as indikator,
        lower(trim(source.kalla)) as kalla,
        source.riktning,
        source.utgangsvarde,
        source.malvarde,
        source.source_file,
        source.source_row
    from source
    inner join mal on trim(source.mal) = mal.mal_id and source.load_id = mal.load_id
)

select * from renamed
