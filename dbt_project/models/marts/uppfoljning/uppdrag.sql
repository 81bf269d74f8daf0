-- Each uppdrag per month from its decision to the report period, with the status in force then:
-- the latest status reported for that month or an earlier one (`ej_rapporterad` before the first
-- report). Once an uppdrag is finished (genomfort or avslutat_ej_genomfort) it is kept to the end
-- of that year, so the year's reports show it, and then leaves the follow-up. forsenad: the
-- deadline passed before the month's end and the uppdrag is not finished.
with uppdrag as (
    select * from {{ ref('stg_inkorg__uppdrag') }}
),

statusar as (
    select * from {{ ref('stg_inkorg__uppdragsstatus') }}
),

rapportperiod as (
    select {{ period_datum('rapportperiod') }} as rapportmanad
    from {{ ref('int_rapportperiod') }}
),

avslutade as (
    -- The first month an uppdrag is reported finished.
    select uppdrag as id, min(period) as avslutad_period
    from statusar
    where status in ('genomfort', 'avslutat_ej_genomfort')
    group by uppdrag
),

manader as (
    select
        id,
        strftime(manad, '%Y-%m') as period,
        last_day(manad) as manadens_slut
    from (
        select
            uppdrag.id,
            unnest(generate_series(
                cast(date_trunc('month', uppdrag.beslutsdatum) as timestamp),
                cast(least(
                    rapportperiod.rapportmanad,
                    coalesce(
                        make_date(cast(left(avslutade.avslutad_period, 4) as integer), 12, 1),
                        rapportperiod.rapportmanad
                    )
                ) as timestamp),
                interval 1 month
            )) as manad
        from uppdrag
        cross join rapportperiod
        left join avslutade using (id)
    ) as manadsrader
),

i_kraft as (
    select
        manader.id,
        manader.period,
        manader.manadens_slut,
        statusar.status,
        statusar.period as status_period,
        statusar.kommentar
    from manader
    left join statusar
        on manader.id = statusar.uppdrag and manader.period >= statusar.period
    qualify row_number() over (
            partition by manader.id, manader.period order by statusar.period desc nulls last
        ) = 1
)

select
    uppdrag.id,
    uppdrag.ar,
    uppdrag.givet_av,
    uppdrag.mottagare,
    coalesce(namn.org_namn, uppdrag.mottagare) as mottagare_namn,
    uppdrag.titel,
    uppdrag.beslutsdatum,
    uppdrag.klart_senast,
    i_kraft.period,
    coalesce(i_kraft.status, 'ej_rapporterad') as status,
    i_kraft.status_period,
    i_kraft.kommentar,
    coalesce(
        uppdrag.klart_senast < i_kraft.manadens_slut
        and coalesce(i_kraft.status, '') not in ('genomfort', 'avslutat_ej_genomfort'),
        false
    ) as forsenad,
    case
        when uppdrag.klart_senast < i_kraft.manadens_slut
            and coalesce(i_kraft.status, '') not in ('genomfort', 'avslutat_ej_genomfort')
            then cast(i_kraft.manadens_slut - uppdrag.klart_senast as integer)
    end as dagar_forsenad,
    uppdrag.source_file
from i_kraft
inner join uppdrag using (id)
left join {{ ref('int_org_namn') }} as namn
    on uppdrag.mottagare = namn.org and namn.niva = 'namnd'
