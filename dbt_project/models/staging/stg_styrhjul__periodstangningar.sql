with source as (
    select * from {{ source('raw', 'periodstangningar') }}
)

select period, stangd_tid, run_id from source
