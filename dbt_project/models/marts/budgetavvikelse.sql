-- Budget follow-up at every level (kommun, nämnd, förvaltning, verksamhet) and month:
-- avvikelse = budget − utfall on net cost (positive = överskott, negative = underskott), for the
-- month and year to date, and the full-year view: årsbudget, helårsprognos per method and
-- helårsavvikelse = årsbudget − helårsprognos.
with kostnad as (
    select * from {{ ref('int_nettokostnad_per_niva') }}
),

arsbudget as (
    select niva, org, ar, sum(budget) as arsbudget
    from kostnad
    group by all
),

utfallsmanader as (
    -- Months that have closed in the ledger: every month of a year up to its latest period.
    select ar, max(manad) as sista_manad
    from {{ ref('stg_inkorg__utfall') }}
    group by ar
),

spine as (
    select distinct kostnad.niva, kostnad.org, kostnad.ar, manader.manad
    from kostnad
    inner join utfallsmanader using (ar)
    cross join range(1, 13) as manader(manad)
    where manader.manad <= utfallsmanader.sista_manad
),

manad as (
    select
        spine.niva,
        spine.org,
        spine.ar,
        spine.manad,
        spine.ar || '-' || lpad(cast(spine.manad as varchar), 2, '0') as period,
        coalesce(kostnad.budget, 0) as budget_manad,
        coalesce(kostnad.utfall, 0) as utfall_manad
    from spine
    left join kostnad using (niva, org, ar, manad)
),

parent as (
    -- A unit's nämnd and förvaltning in the latest month it appears in (after a
    -- reorganisation the unit belongs where it is now).
    select niva, org, namnd, forvaltning
    from kostnad
    qualify row_number() over (partition by niva, org order by period desc, namnd) = 1
),

ack as (
    select
        manad.*,
        sum(budget_manad) over w as budget_ack,
        sum(utfall_manad) over w as utfall_ack
    from manad
    window w as (partition by niva, org, ar order by manad.manad)
),

forvaltningens_prognos as (
    select 'namnd' as niva, namnd as org, period, prognos
    from {{ ref('stg_inkorg__prognos') }}
),

prognoser as (
    select
        ack.*,
        arsbudget.arsbudget,
        case when arsbudget.arsbudget <> 0
            then cast(ack.budget_ack as double) / cast(arsbudget.arsbudget as double)
        end as sasongsandel_ack,
        forvaltningens_prognos.prognos as helarsprognos_forvaltning,
        ack.utfall_ack + (arsbudget.arsbudget - ack.budget_ack) as helarsprognos_budgetbaserad
    from ack
    inner join arsbudget using (niva, org, ar)
    left join forvaltningens_prognos using (niva, org, period)
),

kommun_prognos as (
    -- At kommun level the förvaltningar's forecasts add up: the sum of the nämnder's
    -- helårsprognos (förvaltningens where delivered, else budgetbaserad), so the kommun's
    -- helårsavvikelse is the sum of the nämnder's.
    select
        'kommun' as niva,
        'KOMMUN' as org,
        period,
        sum(coalesce(helarsprognos_forvaltning, helarsprognos_budgetbaserad)) as summa_namnder
    from prognoser
    where niva = 'namnd'
    group by period
    having bool_or(helarsprognos_forvaltning is not null)
),

with_kommun as (
    select
        prognoser.* replace (
            coalesce(prognoser.helarsprognos_forvaltning, kommun_prognos.summa_namnder)
                as helarsprognos_forvaltning
        ),
        kommun_prognos.summa_namnder is not null as summa_av_namnder
    from prognoser
    left join kommun_prognos using (niva, org, period)
),

final as (
    select
        prognoser.niva,
        prognoser.org,
        org_namn.org_namn,
        parent.namnd,
        parent.forvaltning,
        prognoser.period,
        prognoser.ar,
        prognoser.manad,
        cast(prognoser.budget_manad as decimal(18, 2)) as budget_manad,
        cast(prognoser.utfall_manad as decimal(18, 2)) as utfall_manad,
        cast(prognoser.budget_manad - prognoser.utfall_manad as decimal(18, 2)) as avvikelse_manad,
        cast(prognoser.budget_ack as decimal(18, 2)) as budget_ack,
        cast(prognoser.utfall_ack as decimal(18, 2)) as utfall_ack,
        cast(prognoser.budget_ack - prognoser.utfall_ack as decimal(18, 2)) as avvikelse_ack,
        cast(prognoser.arsbudget as decimal(18, 2)) as arsbudget,
        cast(prognoser.helarsprognos_forvaltning as decimal(18, 2)) as helarsprognos_forvaltning,
        cast(prognoser.helarsprognos_budgetbaserad as decimal(18, 2))
            as helarsprognos_budgetbaserad,
        cast(round(
            cast(prognoser.utfall_ack as double) / nullif(prognoser.sasongsandel_ack, 0), 2
        ) as decimal(18, 2)) as helarsprognos_takt,
        cast(coalesce(prognoser.helarsprognos_forvaltning, prognoser.helarsprognos_budgetbaserad)
            as decimal(18, 2)) as helarsprognos,
        case
            when prognoser.summa_av_namnder then 'nämndernas prognoser'
            when prognoser.helarsprognos_forvaltning is not null then 'förvaltningens'
            else 'budgetbaserad'
        end as helarsprognos_kalla,
        cast(prognoser.arsbudget
            - coalesce(prognoser.helarsprognos_forvaltning, prognoser.helarsprognos_budgetbaserad)
            as decimal(18, 2)) as helarsavvikelse
    from with_kommun as prognoser
    left join {{ ref('int_org_namn') }} as org_namn using (niva, org)
    left join parent using (niva, org)
)

select * from final
