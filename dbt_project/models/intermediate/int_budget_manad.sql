-- Every standing budget row periodised per month: its annual amount spread by its key (its own
-- nyckel, else the standard key of its kontoklass) over the months on whose first day its ansvar
-- is valid (the key renormalised over them, so a unit starting in July gets its whole annual
-- budget over July–December), each month placed in the organisation valid then (a unit that
-- moves in May counts January–April in its old nämnd and May–December in its new one).
--
-- Month m's budget is round(A × W(m) / W) − round(A × W(m−1) / W), with W(m) the key's weight
-- up to m: the months always add up to A to the öre, and the even key gives exactly m/12. The
-- arithmetic runs in whole öre on integers, half-öre rounding away from zero, so no float share
-- can lose a krona.
--
-- Incremental (macros/inkrementell.sql): nothing here depends on the ledger, so a build
-- recomputes it only when its grund changed (a budget, organisation or periodisering delivery,
-- the settings) and otherwise keeps it as it is. It is the most expensive model of a monthly
-- refresh at a real municipality's size (every budget row × 12 months, with window functions).
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='ar',
    on_schema_change='fail',
    pre_hook="{{ tom_vid_full_ombyggnad() }}",
) }}
-- Whether to recompute is read from raw.leveranser and raw.installningar (as in
-- int_utfall_rader: no depends_on, which the unit tests would need as inputs; the intake has
-- written them before dbt runs).

with budget as (
    select * from {{ ref('int_budget_rader') }}
    {% if is_incremental() -%}
        where {{ byggd_till_load_id() }} = -1
    {%- endif %}
),

kontogrupper as (
    select * from {{ ref('kontogrupper') }}
),

standardnyckel as (
    select * from {{ ref('standardnyckel') }}
),

nycklar as (
    select * from {{ ref('int_periodiseringsnycklar') }}
),

organisation as (
    select * from {{ ref('int_organisation') }}
),

keyed as (
    select
        budget.*,
        kontogrupper.kontogrupp,
        kontogrupper.kontoklass,
        kontogrupper.resultatpost,
        kontogrupper.ingar_i_nettokostnad,
        coalesce(budget.nyckel, standardnyckel.nyckel, 'JAMN') as periodiseringsnyckel
    from budget
    left join kontogrupper on left(budget.konto, 2) = kontogrupper.kontogrupp
    left join standardnyckel on kontogrupper.kontoklass = standardnyckel.kontoklass
),

valid_months as (
    -- Weights as integers (shares have at most 8 meaningful decimals).
    select
        keyed.*,
        nycklar.manad,
        cast(round(nycklar.vikt * 100000000) as hugeint) as vikt,
        organisation.namnd,
        organisation.forvaltning,
        organisation.verksamhetsomrade,
        organisation.namnd_idag,
        organisation.forvaltning_idag
    from keyed
    inner join nycklar
        on keyed.ar = nycklar.ar and keyed.periodiseringsnyckel = nycklar.nyckel
    inner join organisation
        on keyed.ansvar = organisation.ansvar
            and make_date(keyed.ar, nycklar.manad, 1)
            between organisation.giltig_from and organisation.giltig_till
),

weighted as (
    -- A key with no weight in the unit's valid months would lose the amount: spread it evenly.
    select
        * replace (
            case when sum(vikt) over (partition by load_id, source_row) = 0 then 1 else vikt end
                as vikt
        )
    from valid_months
),

cumulative as (
    select
        *,
        cast(belopp * 100 as hugeint) as arsbelopp_ore,
        sum(vikt) over (partition by load_id, source_row order by manad) as vikt_ack,
        sum(vikt) over (partition by load_id, source_row) as vikt_total
    from weighted
),

rounded as (
    select
        *,
        sign(arsbelopp_ore)
        * ((abs(arsbelopp_ore) * vikt_ack * 2 + vikt_total) // (vikt_total * 2))
            as ack_ore
    from cumulative
),

final as (
    select
        ar,
        manad,
        ar || '-' || lpad(cast(manad as varchar), 2, '0') as period,
        ansvar,
        verksamhet,
        konto,
        kontogrupp,
        kontoklass,
        resultatpost,
        ingar_i_nettokostnad,
        periodiseringsnyckel,
        version,
        version_rang,
        galler_fran,
        budget_namnd,
        cast(belopp as decimal(18, 2)) as arsbelopp,
        cast(
            ack_ore
            - coalesce(lag(ack_ore) over (partition by load_id, source_row order by manad), 0)
            as decimal(18, 0)
        ) * 0.01 as belopp,
        namnd,
        forvaltning,
        verksamhetsomrade,
        namnd_idag,
        forvaltning_idag,
        source_file,
        source_row,
        load_id
    from rounded
)

select * from final
