-- Investments per project and year by typ (plan, utfall to date, or the nämnd's full-year prognos);
-- the latest delivery of a project-year-type wins. period: the month an utfall is to date (or a
-- prognos was made in); empty on plan rows and on undated deliveries.
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
        period,
        source_file,
        source_row,
        load_id
    from source
    {{ senaste_rad(['trim(projekt)', 'ar', 'lower(trim(typ))']) }}
)

select * from renamed
