-- Intern kontroll: the risk register; the latest delivery per nämnd and year replaces it.
with source as (
    select * from {{ source('raw', 'risk') }}
),

latest as (
    select trim(namnd) as namnd, ar, max(load_id) as load_id from source group by all
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
    inner join latest on trim(source.namnd) = latest.namnd
        and source.ar = latest.ar and source.load_id = latest.load_id
)

select * from renamed
