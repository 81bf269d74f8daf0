-- The display name of every org unit per level, by its latest version in the register.
with organisation as (
    select * from {{ ref('int_organisation') }}
),

namn as (
    select 'namnd' as niva, namnd as org, namnd_namn as org_namn, giltig_from from organisation
    union all
    select 'forvaltning', forvaltning, forvaltning_namn, giltig_from from organisation
    union all
    select
        'verksamhet', verksamhetsomrade,
        case when verksamhetsomrade = ansvar then ansvar_namn else verksamhetsomrade end,
        giltig_from
    from organisation
    union all
    select
        'kommun', 'KOMMUN',
        coalesce({{ installning('kommun.namn', 'varchar') }}, 'Kommunen'), date '1900-01-01'
)

select niva, org, org_namn
from namn
qualify row_number() over (partition by niva, org order by giltig_from desc, org_namn asc) = 1
