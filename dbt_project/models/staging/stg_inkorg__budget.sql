-- Every delivered budget row, with its version's canonical name and rank. Which rows are in
-- force is decided in int_budget_rader (it needs the organisation to find each row's nämnd).
with source as (
    select * from {{ source('raw', 'budget') }}
),

versioner as (
    select * from {{ ref('budgetversioner') }}
),

renamed as (
    select
        source.ar,
        trim(source.ansvar) as ansvar,
        trim(source.verksamhet) as verksamhet,
        trim(source.konto) as konto,
        source.belopp,
        -- Without a version a row is KF's budget (the intake rejects unknown versions).
        coalesce(versioner.version, 'KF') as version,
        coalesce(versioner.rang, 1) as version_rang,
        source.beslutsdatum,
        nullif(trim(source.nyckel), '') as nyckel,
        source.source_file,
        source.file_sha256,
        source.source_row,
        source.load_id
    from source
    left join versioner
        on lower(nullif(trim(source.version), '')) = lower(versioner.version)
)

select * from renamed
