-- Each period of the ledger: open or closed, the runs that published it, and how many versions
-- of its figures were reported.
with perioder as (
    select distinct period, ar, manad from {{ ref('budgetavvikelse') }}
),

publicering as (
    select
        period, min(startad) as forst_publicerad,
        arg_max(run_id, startad) as publicerad_av_korning,
        max(startad) as senast_publicerad
    from {{ source('raw', 'korningar') }}
    group by period
),

versioner as (
    select period, max(version) as versioner
    from {{ source('arkiv', 'rapporterad_budgetavvikelse') }}
    group by period
)

select
    perioder.period,
    perioder.ar,
    perioder.manad,
    case when s.period is not null then 'stangd' else 'oppen' end as status,
    s.stangd_tid,
    s.run_id as stangd_av_korning,
    publicering.forst_publicerad,
    publicering.senast_publicerad,
    publicering.publicerad_av_korning,
    coalesce(versioner.versioner, 0) as versioner,
    coalesce(versioner.versioner, 0) > 1 as rattad_efter_stangning
from perioder
left join {{ source('raw', 'periodstangningar') }} as s using (period)
left join publicering using (period)
left join versioner using (period)
order by perioder.period
