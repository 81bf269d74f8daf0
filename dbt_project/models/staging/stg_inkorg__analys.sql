-- Written analyses: a later text for the same (period, niva, org, avsnitt) replaces the earlier.
with source as (
    select * from {{ source('raw', 'analys') }}
),

renamed as (
    select
        period,
        niva,
        trim(org) as org,
        avsnitt,
        text,
        source_file,
        source_row,
        load_id
    from source
    {{ senaste_rad(['period', 'niva', 'trim(org)', 'avsnitt']) }}
)

select * from renamed
