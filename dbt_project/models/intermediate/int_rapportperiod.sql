-- The period this run reports on (chosen by the refresh, recorded in raw.korningar) and the
-- latest period present in the ledger. One row.
with korning as (
    select period
    from {{ ref('stg_styrhjul__korningar') }}
    order by startad desc, run_id desc
    limit 1
),

senaste_utfall as (
    select max(period) as senaste_utfallsperiod from {{ ref('stg_inkorg__utfall') }}
),

final as (
    select
        coalesce(korning.period, senaste_utfall.senaste_utfallsperiod) as rapportperiod,
        senaste_utfall.senaste_utfallsperiod
    from senaste_utfall
    left join korning on true
)

select * from final
