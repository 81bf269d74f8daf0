-- The settings the latest run used (the intake rewrites raw.installningar on every run).
with source as (
    select * from {{ source('raw', 'installningar') }}
)

select parameter, varde from source
