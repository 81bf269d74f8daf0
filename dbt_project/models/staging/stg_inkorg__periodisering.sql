-- Delivered periodisation keys; a later delivery of a key for a year replaces it.
with source as (
    select * from {{ source('raw', 'periodisering') }}
),

latest as (
    {{ senaste_leverans('source', ['ar', 'nyckel']) }}
),

renamed as (
    select
        source.ar,
        trim(source.nyckel) as nyckel,
        source.manad,
        source.andel,
        source.source_file,
        source.source_row
    from source
    inner join latest using (ar, nyckel, load_id)
)

select * from renamed
