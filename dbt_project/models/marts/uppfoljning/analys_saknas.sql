-- Flagged nämnder (marts.atgardsplan: flagga) that have no ekonomi analysis for the month: the
-- report lists them as missing instead of leaving a silent gap.
with flaggade as (
    select namnd, namnd_namn, period, ar, status, helarsavvikelse
    from {{ ref('atgardsplan') }}
    where flagga
),

ekonomianalyser as (
    select period, org as namnd
    from {{ ref('stg_inkorg__analys') }}
    where niva = 'namnd' and avsnitt = 'ekonomi'
)

select
    flaggade.period,
    flaggade.ar,
    flaggade.namnd,
    flaggade.namnd_namn,
    flaggade.status as atgardsplan_status,
    flaggade.helarsavvikelse
from flaggade
where not exists (
        select 1 from ekonomianalyser
        where ekonomianalyser.period = flaggade.period and ekonomianalyser.namnd = flaggade.namnd
    )
