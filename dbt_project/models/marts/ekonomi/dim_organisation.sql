-- The organisation, effective-dated: ansvar → verksamhetsområde → förvaltning → nämnd → kommun.
with organisation as (
    select * from {{ ref('int_organisation') }}
),

final as (
    select
        ansvar,
        ansvar_namn,
        verksamhetsomrade,
        forvaltning,
        forvaltning_namn,
        namnd,
        namnd_namn,
        'KOMMUN' as kommun,
        giltig_from,
        giltig_tom,
        namnd_idag,
        forvaltning_idag,
        giltig_tom is null as galler_idag,
        source_file,
        source_row
    from organisation
)

select * from final
