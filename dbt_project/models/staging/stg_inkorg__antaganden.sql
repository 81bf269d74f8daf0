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
    qualify row_number() over (
        partition by ar, trim(parameter) order by load_id desc, source_row desc
    ) = 1
)

select * from renamed
