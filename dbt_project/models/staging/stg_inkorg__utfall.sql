-- The ledger as it stands: a delivered period replaces that period entirely, so only the rows of
-- each period's latest delivery (highest load_id) count.
with source as (
    select * from {{ source('raw', 'utfall') }}
),

latest_delivery as (
    {{ senaste_leverans('source', ['period']) }}
),

renamed as (
    -- Period 13 (the year-end closing entries) is its own delivery above, and counts in
    -- December from here on: bokslut marks its rows for a month view that shows them apart.
    select
        {{ manadsperiod('source.period') }} as period,
        cast(left(source.period, 4) as integer) as ar,
        least(cast(right(source.period, 2) as integer), 12) as manad,
        right(source.period, 2) = '13' as bokslut,
        trim(source.ansvar) as ansvar,
        trim(source.verksamhet) as verksamhet,
        trim(source.konto) as konto,
        nullif(trim(source.projekt), '') as projekt,
        nullif(trim(source.motpart), '') as motpart,
        source.belopp,
        source.source_file,
        source.file_sha256,
        source.source_row,
        source.load_id
    from source
    inner join latest_delivery using (period, load_id)
)

select * from renamed
