-- Budget follow-up at every level (kommun, nämnd, förvaltning, verksamhet) and month:
-- avvikelse = budget − utfall on net cost (positive = överskott, negative = underskott), for the
-- month and year to date, and the full-year view: årsbudget, helårsprognos per method and
-- helårsavvikelse = årsbudget − helårsprognos.
--
-- Each month is seen as it stood then: the budget in force at the month's end (a revision counts
-- from its decision on) and förvaltningens latest forecast up to the month. The official
-- helårsprognos of a nämnd is förvaltningens in force, else the budgetbaserad; the kommun's is
-- the sum of the nämnder's official forecasts less the internal trade the kommun eliminates, so
-- the kommun's helårsavvikelse is the nämnder's plus what the elimination removed.
with utfall as (
    select * from {{ ref('int_nettokostnad_per_niva') }}
),

budget as (
    select
        niva, org, ar, per_manad as manad,
        sum(budget) filter (where manad = per_manad) as budget_manad,
        sum(budget) filter (where manad <= per_manad) as budget_ack,
        sum(budget) as arsbudget
    from {{ ref('int_budget_per_niva') }}
    group by niva, org, ar, per_manad
),

utfallsmanader as (
    -- Months that have closed in the ledger: every month of a year up to its latest period (the
    -- intake stops a refresh that lacks a month of the report year).
    select ar, sista_manad from {{ ref('int_utfallsar') }}
),

enheter as (
    select distinct niva, org, ar from utfall
    union
    select distinct niva, org, ar from budget
),

spine as (
    select enheter.niva, enheter.org, enheter.ar, manader.manad
    from enheter
    inner join utfallsmanader using (ar)
    cross join range(1, 13) as manader (manad)
    where manader.manad <= utfallsmanader.sista_manad
),

manad as (
    select
        spine.niva,
        spine.org,
        spine.ar,
        spine.manad,
        spine.ar || '-' || lpad(cast(spine.manad as varchar), 2, '0') as period,
        coalesce(budget.budget_manad, 0) as budget_manad,
        coalesce(budget.budget_ack, 0) as budget_ack,
        coalesce(budget.arsbudget, 0) as arsbudget,
        coalesce(utfall.utfall, 0) as utfall_manad,
        coalesce(utfall.utfall_intern, 0) as utfall_intern_manad
    from spine
    left join budget using (niva, org, ar, manad)
    left join utfall using (niva, org, ar, manad)
),

ack as (
    select
        manad.*,
        sum(manad.utfall_manad) over w as utfall_ack,
        sum(manad.utfall_intern_manad) over w as utfall_intern_ack
    from manad
    window w as (partition by niva, org, ar order by manad.manad)
),

prognoser as (
    select
        ack.*,
        case when ack.arsbudget <> 0
                then cast(ack.budget_ack as double) / cast(ack.arsbudget as double)
        end as sasongsandel_ack,
        forvaltningens.prognos as helarsprognos_forvaltning,
        forvaltningens.prognos_period as helarsprognos_forvaltning_period,
        ack.utfall_ack + (ack.arsbudget - ack.budget_ack) as helarsprognos_budgetbaserad
    from ack
    left join {{ ref('int_forvaltningens_prognos') }} as forvaltningens
        on ack.niva = 'namnd'
            and ack.org = forvaltningens.namnd
            and ack.ar = forvaltningens.ar
            and ack.manad = forvaltningens.manad
),

officiell as (
    select
        *,
        case
            when
                niva = 'namnd'
                then coalesce(helarsprognos_forvaltning, helarsprognos_budgetbaserad)
            when niva <> 'kommun' then helarsprognos_budgetbaserad
        end as helarsprognos_officiell
    from prognoser
),

kommun_prognos as (
    -- Internal trade is part of each nämnd's forecast (an internal purchase is a real cost for
    -- the nämnd); what the kommun eliminates to date leaves the sum too.
    select
        'kommun' as niva,
        'KOMMUN' as org,
        namnder.period,
        sum(namnder.helarsprognos_officiell) as summa_namnder
    from officiell as namnder
    where namnder.niva = 'namnd'
    group by namnder.period
),

with_kommun as (
    select
        officiell.* replace (
            case
                when officiell.niva = 'kommun'
                    then kommun_prognos.summa_namnder - officiell.utfall_intern_ack
                else officiell.helarsprognos_officiell
            end as helarsprognos_officiell
        )
    from officiell
    left join kommun_prognos using (niva, org, period)
),

foralder as (
    select * from {{ ref('int_org_foralder') }}
),

final as (
    select
        prognoser.niva,
        prognoser.org,
        org_namn.org_namn,
        case
            when prognoser.niva = 'namnd' then prognoser.org
            else foralder.namnd
        end as namnd,
        case
            when prognoser.niva = 'forvaltning' then prognoser.org
            else foralder.forvaltning
        end as forvaltning,
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
        prognoser.helarsprognos_forvaltning_period,
        cast(prognoser.helarsprognos_budgetbaserad as decimal(18, 2))
            as helarsprognos_budgetbaserad,
        cast(round(
            cast(prognoser.utfall_ack as double) / nullif(prognoser.sasongsandel_ack, 0), 2
        ) as decimal(18, 2)) as helarsprognos_takt,
        cast(prognoser.helarsprognos_officiell as decimal(18, 2)) as helarsprognos,
        case
            when prognoser.niva = 'kommun' then 'namndernas_prognoser'
            when prognoser.helarsprognos_forvaltning is not null then 'forvaltningens'
            else 'budgetbaserad'
        end as helarsprognos_kalla,
        cast(prognoser.arsbudget - prognoser.helarsprognos_officiell as decimal(18, 2))
            as helarsavvikelse,
        cast(prognoser.utfall_intern_ack as decimal(18, 2)) as utfall_intern_ack
    from with_kommun as prognoser
    left join {{ ref('int_org_namn') }} as org_namn using (niva, org)
    left join foralder
        on prognoser.niva = foralder.niva
            and prognoser.org = foralder.org
            and prognoser.ar = foralder.ar
)

select * from final
