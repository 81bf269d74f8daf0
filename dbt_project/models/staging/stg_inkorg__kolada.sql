-- Kolada values; the latest delivery of a KPI × municipality × year × gender wins.
with source as (
    select * from {{ source('raw', 'kolada') }}
),

renamed as (
    select
        trim(kpi) as kpi,
        trim(kommun) as kommun,
        period as ar,
        kon,
        varde,
        status,
        source_file,
        source_row
    from source
    {{ senaste_rad(['trim(kpi)', 'trim(kommun)', 'period', 'kon']) }}
)

select * from renamed
