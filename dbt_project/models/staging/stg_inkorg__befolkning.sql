-- Population by region, year, age and sex; a later delivery for a region, year and typ replaces
-- the earlier one (a new befolkningsprognos replaces the old forecast years).
with source as (
    select * from {{ source('raw', 'befolkning') }}
),

latest as (
    {{ senaste_leverans('source', ['region', 'ar', 'typ']) }}
),

renamed as (
    select
        trim(source.region) as region,
        source.ar,
        source.manad,
        source.alder,
        source.aldersband,
        source.kon,
        source.antal,
        source.typ,
        source.source_file,
        source.source_row
    from source
    inner join latest using (region, ar, typ, load_id)
)

select * from renamed
