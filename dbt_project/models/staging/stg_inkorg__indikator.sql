-- Own measures (indikator_ files); the latest delivery of an indicator × org × period wins.
with source as (
    select * from {{ source('raw', 'indikator') }}
),

renamed as (
    select
        trim(indikator) as indikator,
        trim(org) as org,
        trim(period) as period,
        cast(left(trim(period), 4) as integer) as ar,
        varde,
        source_file,
        source_row
    from source
    {{ senaste_rad(['trim(indikator)', 'trim(org)', 'trim(period)']) }}
)

select * from renamed
