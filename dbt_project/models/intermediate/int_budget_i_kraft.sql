-- The budget version in force for each nämnd at the end of each month of a year: its highest
-- version (KF < internbudget < reviderad) decided on or before the month's last day, the latest
-- decision within a version. A backtest or a report as of March so never sees an October
-- revision.
with versioner as (
    select distinct ar, budget_namnd, version, version_rang, galler_fran
    from {{ ref('int_budget_rader') }}
),

final as (
    select
        versioner.ar,
        manader.manad as per_manad,
        versioner.budget_namnd,
        versioner.version,
        versioner.galler_fran
    from versioner
    cross join range(1, 13) as manader (manad)
    where versioner.galler_fran
        <= last_day(make_date(versioner.ar, cast(manader.manad as integer), 1))
    qualify row_number() over (
            partition by versioner.ar, manader.manad, versioner.budget_namnd
            order by versioner.version_rang desc, versioner.galler_fran desc
        ) = 1
)

select * from final
