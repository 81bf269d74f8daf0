-- Projection assumptions; the latest delivery of a year × parameter wins.
with source as (
    select * from {{ source('raw', 'antaganden') }}
),

renamed as (
    select
        ar,
        trim(parameter) as parameter,
        varde,
        kalla,
        source_file,
        source_row
    from source
    {{ senaste_rad(['ar', 'trim(parameter)']) }}
)

select * from renamed
