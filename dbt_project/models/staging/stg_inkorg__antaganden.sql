-- Projection and balanskrav assumptions; the latest delivery of a year × parameter wins.
-- varde is exact (some parameters are kronor); a warehouse created before it was typed DECIMAL
-- still stores DOUBLE, hence the cast.
with source as (
    select * from {{ source('raw', 'antaganden') }}
),

renamed as (
    select
        ar,
        trim(parameter) as parameter,
        cast(varde as decimal(18, 4)) as varde,
        kalla,
        source_file,
        source_row
    from source
    {{ senaste_rad(['ar', 'trim(parameter)']) }}
)

select * from renamed
