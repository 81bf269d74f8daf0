-- The budget in force per year: the latest delivery for the year, and within it the highest
-- ranked version (KF < internbudget < reviderad). Replaces the year's budget entirely.
with source as (
    select * from {{ source('raw', 'budget') }}
),

versioner as (
    select * from {{ ref('budgetversioner') }}
),

ranked as (
    select
        source.*,
        coalesce(versioner.rang, 0) as version_rang
    from source
    left join versioner on coalesce(source.version, '') = coalesce(versioner.version, '')
),

chosen as (
    {{ senaste_leverans('ranked', ['ar']) }}
),

chosen_version as (
    select ranked.ar, ranked.load_id, max(ranked.version_rang) as version_rang
    from ranked
    inner join chosen using (ar, load_id)
    group by ranked.ar, ranked.load_id
),

renamed as (
    select
        ranked.ar,
        trim(ranked.ansvar) as ansvar,
        trim(ranked.verksamhet) as verksamhet,
        trim(ranked.konto) as konto,
        ranked.belopp,
        coalesce(nullif(trim(ranked.version), ''), 'KF') as version,
        nullif(trim(ranked.nyckel), '') as nyckel,
        ranked.source_file,
        ranked.file_sha256,
        ranked.source_row,
        ranked.load_id
    from ranked
    inner join chosen_version using (ar, load_id, version_rang)
)

select * from renamed
