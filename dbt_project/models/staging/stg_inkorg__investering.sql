-- Investments per project and year; the latest delivery of a project-year-type wins.
with source as (
    select * from {{ source('raw', 'investering') }}
),

renamed as (
    select
        trim(projekt) as projekt,
        trim(namnd) as namnd,
        ar,
        belopp,
        lower(trim(typ)) as typ,
        avskrivningstid,
        source_file,
        source_row,
        load_id
    from source
    qualify row_number() over (
        partition by trim(projekt), ar, lower(trim(typ)) order by load_id desc, source_row desc
    ) = 1
)

select * from renamed
