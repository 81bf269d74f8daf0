-- It reads budgetavvikelse_rapporterad, which the second dbt step builds after the period
-- archive, so it is built in that step too (pipelines/defs/warehouse/dbt.py selects it by tag).
{{ config(tags=['efter_prognos']) }}

-- Förändringsanalys: why each nämnd's helårsavvikelse moved since the previous report.
--
-- The change runs from the previous month of the same year as it was reported (the first
-- archived version of a closed period: what kommunstyrelsen was told when it closed; else that
-- month as published) to the period as published. It is split into components that add up
-- to it to the öre (belopp = the component's contribution; positive = the helårsavvikelse
-- improved, since helårsavvikelse = årsbudget − helårsprognos and positive is överskott).
--
-- Any helårsavvikelse is the deviation to date plus the forecast's deviation for the rest of
-- the year: (budget ack − utfall ack) + (årsbudget − budget ack − (prognos − utfall ack)). The
-- second term is zero for the budgetbaserad forecast. So, with bm and um the month's budget
-- and utfall:
--
-- * manadens_avvikelse = bm − um, per förvaltning × verksamhetsområde × kontogrupp, always;
-- * rattelse_tidigare_manader = utfall ack before + um − utfall ack now: earlier months' utfall
--   booked or corrected after the previous report (non-zero only when that report is an
--   archived, closed one; the residual of the deviation to date, named for what it is);
-- * budgetrevision: with the budgetbaserad forecast in either month, the revision of the
--   months already passed, (budget ack now − bm) − budget ack before (the rest of the year
--   follows the budget, so revising it moves nothing); with förvaltningens prognos in both
--   months, Δårsbudget (the prognos is fixed, so every krona of budget counts);
-- * prognoskalla (budgetbaserad ↔ förvaltningens): the forecast's rest-of-year deviation in
--   the month that has förvaltningens, entering (B → F) or leaving (F → B);
-- * forvaltningens_prognos (förvaltningens both months): what is left, −Δprognos net of the
--   month's deviation and the corrections: how the förvaltning's view of the rest of the year
--   changed beyond what the month itself brought.
--
-- With the budgetbaserad forecast both months, the budget unchanged and an unchanged history,
-- the month's own deviation by dimension is the whole change.
--
-- January has no previous report in its year (a new year's budget is not a change of
-- forecast), and a nämnd without a row in the previous month (new in a reorganisation) has no
-- change to explain: neither gets rows. budgetrevision is always present for a nämnd with a
-- previous report (zero when the budget is unchanged), so every compared nämnd has a row.
with nu as (
    select
        org as namnd, period, ar, manad, arsbudget, budget_manad, budget_ack, utfall_manad,
        utfall_ack, helarsavvikelse,
        helarsprognos_kalla = 'forvaltningens' as forvaltningens
    from {{ ref('budgetavvikelse') }}
    where niva = 'namnd' and manad > 1
),

rapporterad as (
    -- The first archived version of a closed period is what was reported when it closed.
    -- The archive keeps no source column: förvaltningens prognos was in force when the
    -- helårsavvikelse is not the budgetbaserad one (budget ack − utfall ack). Were the two
    -- equal to the öre, either reading gives the same components.
    select
        org as namnd, period, arsbudget, budget_ack, utfall_ack, helarsavvikelse,
        helarsavvikelse <> budget_ack - utfall_ack as forvaltningens
    from {{ ref('budgetavvikelse_rapporterad') }}
    where niva = 'namnd'
    qualify version = min(version) over (partition by period)
),

publicerad as (
    select
        org as namnd, period, arsbudget, budget_ack, utfall_ack, helarsavvikelse,
        helarsprognos_kalla = 'forvaltningens' as forvaltningens
    from {{ ref('budgetavvikelse') }}
    where niva = 'namnd'
        and period not in (select rapporterad.period from rapporterad)
),

foregaende as (
    select * from rapporterad
    union all
    select * from publicerad
),

par as (
    select
        nu.namnd,
        nu.period,
        foregaende.period as foregaende_period,
        nu.ar,
        nu.manad,
        foregaende.forvaltningens as forvaltningens_fore,
        nu.forvaltningens as forvaltningens_nu,
        foregaende.arsbudget as arsbudget_fore,
        nu.arsbudget as arsbudget_nu,
        foregaende.budget_ack as budget_ack_fore,
        nu.budget_ack as budget_ack_nu,
        nu.budget_manad,
        foregaende.utfall_ack as utfall_ack_fore,
        nu.utfall_ack as utfall_ack_nu,
        nu.utfall_manad,
        foregaende.helarsavvikelse as helarsavvikelse_fore,
        nu.helarsavvikelse as helarsavvikelse_nu
    from nu
    inner join foregaende
        on nu.namnd = foregaende.namnd
            and foregaende.period
            = nu.ar || '-' || lpad(cast(nu.manad - 1 as varchar), 2, '0')
),

namndniva as (
    -- The components the nämnd's own figures give (no dimension).
    select
        namnd, period, foregaende_period, 'budgetrevision' as komponent,
        case
            when forvaltningens_fore and forvaltningens_nu then arsbudget_nu - arsbudget_fore
            else (budget_ack_nu - budget_manad) - budget_ack_fore
        end as belopp
    from par

    union all

    select
        namnd, period, foregaende_period, 'forvaltningens_prognos',
        -- Δhelårsavvikelse − Δårsbudget − (bm − um) − (utfall ack before + um − utfall ack now)
        (helarsavvikelse_nu - helarsavvikelse_fore)
        - (arsbudget_nu - arsbudget_fore)
        - budget_manad
        - utfall_ack_fore
        + utfall_ack_nu
    from par
    where forvaltningens_fore and forvaltningens_nu

    union all

    select
        namnd, period, foregaende_period, 'prognoskalla',
        case
            when forvaltningens_nu then helarsavvikelse_nu - (budget_ack_nu - utfall_ack_nu)
            else (budget_ack_fore - utfall_ack_fore) - helarsavvikelse_fore
        end
    from par
    where forvaltningens_fore <> forvaltningens_nu

    union all

    select
        namnd, period, foregaende_period, 'rattelse_tidigare_manader',
        utfall_ack_fore + utfall_manad - utfall_ack_nu
    from par
    where utfall_ack_fore + utfall_manad - utfall_ack_nu <> 0
),

manadens_avvikelse as (
    select
        par.namnd,
        par.period,
        par.foregaende_period,
        'manadens_avvikelse' as komponent,
        dimension.forvaltning,
        dimension.verksamhetsomrade as verksamhet,
        dimension.kontogrupp,
        dimension.budget_manad - dimension.utfall_manad as belopp
    from par
    inner join {{ ref('int_avvikelse_per_dimension') }} as dimension
        on par.namnd = dimension.namnd
            and par.ar = dimension.ar
            and par.manad = dimension.manad
    where dimension.budget_manad <> dimension.utfall_manad
),

final as (
    select
        namnd, period, foregaende_period, komponent,
        cast(null as varchar) as forvaltning,
        cast(null as varchar) as verksamhet,
        cast(null as integer) as kontogrupp,
        cast(belopp as decimal(18, 2)) as belopp
    from namndniva

    union all

    select
        namnd, period, foregaende_period, komponent, forvaltning, verksamhet,
        cast(kontogrupp as integer) as kontogrupp,
        cast(belopp as decimal(18, 2)) as belopp
    from manadens_avvikelse
)

select * from final
