with source as (
    select * from {{ source('raw', 'atgardsplan') }}
),

renamed as (
    select
        trim(namnd) as namnd,
        beslutsdatum,
        trim(diarienummer) as diarienummer,
        belopp,
        kommentar,
        source_file,
        source_row,
        load_id
    from source
    {{ senaste_rad(['trim(diarienummer)']) }}
)

select * from renamed
