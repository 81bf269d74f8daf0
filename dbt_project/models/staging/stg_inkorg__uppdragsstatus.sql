-- An uppdrag's status as reported for a period: the latest delivery per (uppdrag, period) wins.
with source as (
    select * from {{ source('raw', 'uppdragsstatus') }}
),

renamed as (
    select
        trim(uppdrag) as uppdrag,
        period,
        status,
        kommentar,
        source_file,
        source_row,
        load_id
    from source
    {{ senaste_rad(['trim(uppdrag)', 'period']) }}
)

select * from renamed
