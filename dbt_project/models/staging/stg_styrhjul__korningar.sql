with source as (
    select * from {{ source('raw', 'korningar') }}
)

select run_id, period, startad, typ from source
