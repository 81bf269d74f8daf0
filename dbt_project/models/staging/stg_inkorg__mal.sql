-- The goal register in force per year: the latest delivered register for the year replaces it.
with source as (
    select * from {{ source('raw', 'mal') }}
),

latest as (
    {{ senaste_leverans('source', ['ar']) }}
),

renamed as (
    select
        trim(source.id) as mal_id,
        lower(trim(source.niva)) as niva,
        trim(source.org) as org,
        source.ar,
        source.titel,
        lower(trim(source.perspektiv)) as perspektiv,
        nullif(trim(source.foralder), '') as foralder,
        nullif(trim(source.agenda2030), '') as agenda2030,
        source.load_id,
        source.source_file,
        source.source_row
    from source
    inner join latest using (ar, load_id)
)

select * from renamed
