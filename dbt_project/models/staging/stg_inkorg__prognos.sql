-- Förvaltningens helårsprognos: per nämnd and period the latest delivered value.
with source as (
    select * from {{ source('raw', 'prognos') }}
),

renamed as (
    select
        period,
        cast(left(period, 4) as integer) as ar,
        cast(right(period, 2) as integer) as manad,
        trim(namnd) as namnd,
        prognos,
        source_file,
        source_row,
        load_id
    from source
    {{ senaste_rad(['period', 'trim(namnd)']) }}
)

select * from renamed
