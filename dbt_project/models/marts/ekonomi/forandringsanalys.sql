-- Förändringsanalys: why each nämnd's helårsavvikelse moved since the previous report.
--
-- The change runs from the previous month of the same year as it was reported (the first
-- archived version of a closed period: what kommunstyrelsen was told; else that month as
-- published) to the period as published, and is split into components that add up to it to
-- the öre (belopp = the component's contribution; positive = the avvikelse improved):
--
-- * Förvaltningens prognos in force both months (F → F): helårsavvikelse = årsbudget − F, so
--   budgetrevision = Δårsbudget and forvaltningens_prognos = F(before) − F(now).
-- * Budgetbaserad both months (B → B): helårsavvikelse = budget ack − utfall ack, so a
--   revision counts only through the months already passed: budgetrevision = (budget ack now
--   − the month's budget) − budget ack before; manadens_avvikelse = the month's budget − utfall,
--   by förvaltning × verksamhet × kontogrupp; rattelse_tidigare_manader = utfall of earlier
--   months booked or corrected since. With the budget unchanged and no late booking, the
--   month's own deviation by dimension is the whole change.
-- * A change of source (B → F or F → B): the B → B components plus prognoskalla, the gap
--   between förvaltningens prognos and the budgetbaserad one in the month that has förvaltningens.
--
-- January has no previous report in its year (a new year's budget is not a change of
-- forecast), and a nämnd without a row in the previous month (new in a reorganisation) has no
-- change to explain: neither gets rows.
with nu as (
    select
        org as namnd, period, ar, manad, arsbudget, budget_manad, budget_ack, utfall_manad,
        utfall_ack, helarsavvikelse, helarsprognos_kalla
    from {{ ref('budgetavvikelse') }}
    where niva = 'namnd' and manad > 1
),

rapporterad as (
    -- The first archived version of a closed period is what was reported when it closed.
    select org as namnd, period, arsbudget, budget_ack, utfall_ack, helarsavvikelse
    from {{ ref('budgetavvikelse_rapporterad') }}
    where niva = 'namnd'
    qualify version = min(version) over (partition by period)
),

publicerad as (
    select org as namnd, period, arsbudget, budget_ack, utfall_ack, helarsavvikelse
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
        -- Förvaltningens prognos was in force when the helårsavvikelse is not the
        -- budgetbaserad one (budget ack − utfall ack); archived rows keep no source column.
        foregaende.helarsavvikelse
        <> foregaende.budget_ack - foregaende.utfall_ack as forvaltningens_fore,
        nu.helarsprognos_kalla = 'forvaltningens' as forvaltningens_nu,
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
            and foregaende.period = nu.ar || '-' || lpad(cast(nu.manad - 1 as varchar), 2, '0')
),

namndniva as (
    -- The components the nämnd's figures give (no dimension).
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
        (helarsavvikelse_nu - helarsavvikelse_fore) - (arsbudget_nu - arsbudget_fore)
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
    where not (forvaltningens_fore and forvaltningens_nu)
),

i_kraft as (
    select * from {{ ref('int_budget_i_kraft') }}
),

manadens_budget as (
    -- The month's net-cost budget by dimension, from the version in force at the month's end
    -- (the same rows as budget_manad in marts.budgetavvikelse).
    select
        b.namnd, b.ar, b.manad, b.forvaltning, b.verksamhet, b.kontogrupp,
        sum(b.belopp) as budget,
        cast(0 as decimal(18, 2)) as utfall
    from {{ ref('int_budget_manad') }} as b
    inner join i_kraft
        on {{ i_kraft('b', 'i_kraft') }}
            and b.manad = i_kraft.per_manad
    where b.ingar_i_nettokostnad
    group by all
),

manadens_utfall as (
    select
        namnd, ar, manad, forvaltning, verksamhet, kontogrupp,
        cast(0 as decimal(18, 2)) as budget,
        sum(utfall) as utfall
    from {{ ref('int_ekonomi_manad') }}
    where ingar_i_nettokostnad
    group by all
),

manadens_avvikelse as (
    select
        par.namnd, par.period, par.foregaende_period, 'manadens_avvikelse' as komponent,
        rader.forvaltning, rader.verksamhet, rader.kontogrupp,
        sum(rader.budget) - sum(rader.utfall) as belopp
    from par
    inner join (
        select * from manadens_budget
        union all by name
        select * from manadens_utfall
    ) as rader
        on par.namnd = rader.namnd and par.ar = rader.ar and par.manad = rader.manad
    where not (par.forvaltningens_fore and par.forvaltningens_nu)
    group by all
    having sum(rader.budget) - sum(rader.utfall) <> 0
),

final as (
    select
        namnd, period, foregaende_period, komponent,
        cast(null as varchar) as forvaltning,
        cast(null as varchar) as verksamhet,
        cast(null as varchar) as kontogrupp,
        cast(belopp as decimal(18, 2)) as belopp
    from namndniva

    union all

    select
        namnd, period, foregaende_period, komponent, forvaltning, verksamhet, kontogrupp,
        cast(belopp as decimal(18, 2)) as belopp
    from manadens_avvikelse
)

select * from final
