-- The organisation register, effective-dated. Deliveries accumulate; for the same ansvar and
-- giltig_from the latest delivery wins.
with source as (
    select * from {{ source('raw', 'organisation') }}
),

renamed as (
    select
        trim(ansvar) as ansvar,
        trim(ansvar_namn) as ansvar_namn,
        trim(forvaltning) as forvaltning,
        trim(forvaltning_namn) as forvaltning_namn,
        trim(namnd) as namnd,
        trim(namnd_namn) as namnd_namn,
        nullif(trim(verksamhetsomrade), '') as verksamhetsomrade,
        giltig_from,
        giltig_tom,
        source_file,
        source_row,
        load_id
    from source
    {{ senaste_rad(['trim(ansvar)', 'giltig_from']) }}
)

select * from renamed
