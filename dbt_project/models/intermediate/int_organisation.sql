-- The effective-dated org register with open-ended validity made explicit, and each ansvar's
-- place in today's organisation (the latest version), so history can be shown either way.
with organisation as (
    select * from {{ ref('stg_inkorg__organisation') }}
),

dated as (
    select
        *,
        coalesce(giltig_tom, date '9999-12-31') as giltig_till
    from organisation
),

idag as (
    select
        ansvar,
        namnd as namnd_idag,
        namnd_namn as namnd_namn_idag,
        forvaltning as forvaltning_idag,
        forvaltning_namn as forvaltning_namn_idag
    from dated
    qualify row_number() over (partition by ansvar order by giltig_from desc) = 1
),

final as (
    select
        dated.ansvar,
        dated.ansvar_namn,
        dated.forvaltning,
        dated.forvaltning_namn,
        dated.namnd,
        dated.namnd_namn,
        coalesce(dated.verksamhetsomrade, dated.ansvar) as verksamhetsomrade,
        dated.giltig_from,
        dated.giltig_tom,
        dated.giltig_till,
        idag.namnd_idag,
        idag.namnd_namn_idag,
        idag.forvaltning_idag,
        idag.forvaltning_namn_idag,
        dated.source_file,
        dated.source_row
    from dated
    left join idag using (ansvar)
)

select * from final
