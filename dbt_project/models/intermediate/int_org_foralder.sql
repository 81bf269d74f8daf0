-- Where each förvaltning and verksamhet belongs in a year: the nämnd (and förvaltning) with the
-- largest share of its gross cost that year (kontoklass 4–7 utfall; the budget where the year
-- has no utfall yet). A förvaltning serving several nämnder so sits under the one it mostly
-- works for, not under the nämnd of its largest single ledger row.
with rader as (
    select * from {{ ref('int_ekonomi_manad') }}
    where kontoklass between 4 and 7
),

andelar as (
    select
        'forvaltning' as niva, rader.forvaltning as org, rader.ar, rader.namnd,
        cast(null as varchar) as forvaltning, sum(rader.utfall) as utfall,
        sum(rader.budget) as budget
    from rader
    group by rader.forvaltning, rader.ar, rader.namnd

    union all

    select 'verksamhet', verksamhetsomrade, ar, namnd, forvaltning, sum(utfall), sum(budget)
    from rader
    group by verksamhetsomrade, ar, namnd, forvaltning
),

scored as (
    select
        *,
        case
            when sum(abs(utfall)) over (partition by niva, org, ar) <> 0 then utfall
            else budget
        end as bruttokostnad
    from andelar
),

final as (
    select niva, org, ar, namnd, forvaltning
    from scored
    qualify row_number() over (
            partition by niva, org, ar order by bruttokostnad desc, namnd asc, forvaltning asc
        ) = 1
)

select * from final
