-- The effective-dated org register. A row is valid from giltig_from to its explicit giltig_tom,
-- else to the day before the next row of the same ansvar, else open-ended: so a reorganisation
-- delivered as one new row moves the ansvar without counting it in two places (the intake
-- rejects rows whose explicit ranges overlap). Each row also carries the ansvar's place in
-- today's organisation (its latest row), so history can be shown either way.
with organisation as (
    select * from {{ ref('stg_inkorg__organisation') }}
),

dated as (
    select
        *,
        -- least() skips a null: the explicit end, the day before the next row, or open.
        coalesce(
            least(
                giltig_tom, lead(giltig_from) over (partition by ansvar order by giltig_from) - 1
            ),
            date '9999-12-31'
        ) as giltig_till
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
        cast(dated.giltig_till as date) as giltig_till,
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
