-- The month's own net-cost deviation per nämnd × förvaltning × verksamhetsområde × kontogrupp:
-- the month's budget from the version in force at the month's end (the same rows as
-- budget_manad in marts.budgetavvikelse, whose nämnd level is the sum of these) and the month's
-- utfall, both in the organisation valid that month. Internal rows count, as on the nämnd level.
-- forandringsanalys splits the month's deviation by these dimensions.
with i_kraft as (
    select * from {{ ref('int_budget_i_kraft') }}
),

budget as (
    select
        b.namnd, b.ar, b.manad, b.forvaltning, b.verksamhetsomrade, b.kontogrupp,
        sum(b.belopp) as budget_manad,
        cast(0 as decimal(18, 2)) as utfall_manad
    from {{ ref('int_budget_manad') }} as b
    inner join i_kraft
        on {{ i_kraft('b', 'i_kraft') }}
            and b.manad = i_kraft.per_manad
    where b.ingar_i_nettokostnad
    group by all
),

utfall as (
    select
        namnd, ar, manad, forvaltning, verksamhetsomrade, kontogrupp,
        cast(0 as decimal(18, 2)) as budget_manad,
        sum(utfall) as utfall_manad
    from {{ ref('int_ekonomi_manad') }}
    where ingar_i_nettokostnad
    group by all
),

final as (
    select
        namnd,
        ar,
        cast(manad as integer) as manad,
        forvaltning,
        verksamhetsomrade,
        cast(kontogrupp as integer) as kontogrupp,
        cast(sum(budget_manad) as decimal(18, 2)) as budget_manad,
        cast(sum(utfall_manad) as decimal(18, 2)) as utfall_manad
    from (
        select * from budget
        union all by name
        select * from utfall
    ) as rader
    group by all
)

select * from final
