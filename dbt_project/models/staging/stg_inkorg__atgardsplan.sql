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
    qualify row_number() over (
        partition by trim(diarienummer) order by load_id desc, source_row desc
    ) = 1
)

select * from renamed
