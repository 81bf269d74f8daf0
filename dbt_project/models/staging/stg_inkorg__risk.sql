-- Intern kontroll: the risk register; the latest delivery per nämnd and year replaces it.
with source as (
    select * from {{ source('raw', 'risk') }}
),

latest as (
    {{ senaste_leverans('source', ['namnd', 'ar']) }}
),

renamed as (
    select
        trim(source.namnd) as namnd,
        source.ar,
        source.risk,
        source.sannolikhet,
        source.konsekvens,
        source.kontrollmoment,
        source.resultat,
        source.atgard,
        source.status,
        source.source_file,
        source.source_row
    from source
    inner join latest using (namnd, ar, load_id)
)

select * from renamed
