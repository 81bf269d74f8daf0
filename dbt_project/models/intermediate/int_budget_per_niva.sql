-- Net-cost budget per level × org × month, as it stood at the end of each month of the year
-- (per_manad): each nämnd's months come from the version in force for it then. Budgetavvikelse
-- reads the row set of its own month, so October's report uses October's budget and a
-- revision in June changes June's figures onwards, never the months already reported.
with budget as (
    select * from {{ ref('int_budget_manad') }}
    where ingar_i_nettokostnad
),

i_kraft as (
    select * from {{ ref('int_budget_i_kraft') }}
),

compact as (
    select
        ar, manad, version, galler_fran, budget_namnd, namnd, forvaltning, verksamhetsomrade,
        sum(belopp) as belopp
    from budget
    group by all
),

in_force as (
    select compact.*, i_kraft.per_manad
    from compact
    inner join i_kraft
        on {{ i_kraft('compact', 'i_kraft') }}
),

per_niva as (
    select 'kommun' as niva, 'KOMMUN' as org, ar, per_manad, manad, sum(belopp) as budget
    from in_force
    group by all

    union all

    select 'namnd', namnd, ar, per_manad, manad, sum(belopp)
    from in_force
    group by all

    union all

    select 'forvaltning', forvaltning, ar, per_manad, manad, sum(belopp)
    from in_force
    group by all

    union all

    select 'verksamhet', verksamhetsomrade, ar, per_manad, manad, sum(belopp)
    from in_force
    group by all
)

select
    niva,
    org,
    ar,
    cast(per_manad as integer) as per_manad,
    manad,
    cast(budget as decimal(18, 2)) as budget
from per_niva
