-- The budget rows that stand, each with the nämnd whose budget it is. A row belongs to its
-- ansvar's nämnd on 1 January (or on the ansvar's first valid day, for a unit starting later in
-- the year), so a unit that moves in May stays in the budget its old nämnd decided. A delivery
-- replaces exactly the (year, version, in force from, nämnd) groups it contains: a revised
-- budget for one nämnd never touches another's, and every version stays (the budget in force on
-- any date is chosen in int_budget_i_kraft).
with budget as (
    select * from {{ ref('stg_inkorg__budget') }}
),

organisation as (
    select * from {{ ref('int_organisation') }}
),

placed as (
    select
        budget.*,
        -- Without beslutsdatum a version is in force from 1 January.
        coalesce(budget.beslutsdatum, make_date(budget.ar, 1, 1)) as galler_fran,
        organisation.namnd as budget_namnd
    from budget
    left join organisation
        on budget.ansvar = organisation.ansvar
            and organisation.giltig_from <= make_date(budget.ar, 12, 31)
            and organisation.giltig_till >= make_date(budget.ar, 1, 1)
    -- The earliest organisation row overlapping the year: the one valid on 1 January if any.
    qualify row_number() over (
            partition by budget.load_id, budget.source_row order by organisation.giltig_from
        ) = 1
),

latest as (
    select ar, version, galler_fran, budget_namnd, max(load_id) as load_id
    from placed
    group by all
),

final as (
    select placed.*
    from placed
    inner join latest
        on placed.ar = latest.ar
            and placed.version = latest.version
            and placed.galler_fran = latest.galler_fran
            and placed.budget_namnd is not distinct from latest.budget_namnd
            and placed.load_id = latest.load_id
)

select * from final
