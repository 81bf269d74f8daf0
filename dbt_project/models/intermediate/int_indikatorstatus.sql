-- Each goal's indicators with the value that judges them and their status (DOMAIN.md §5):
--   uppfyllt       the target is met, respecting the direction (meeting it exactly counts);
--   delvis         not met, but moved from the baseline toward the target by at least
--                  malstyrning.delvis_andel of the way;
--   ej uppfyllt    otherwise;
--   saknar värde   no value for the goal's year or the year before: never silently green.
-- The value is the goal org's own where the indicator has one, else the municipality's.
with malindikator as (
    select * from {{ ref('stg_inkorg__malindikator') }}
),

mal as (
    select * from {{ ref('stg_inkorg__mal') }}
),

varden as (
    select * from {{ ref('int_indikatorvarden') }}
    where varde is not null
),

kandidater as (
    select
        mal.mal_id,
        mal.ar as mal_ar,
        malindikator.indikator,
        varden.varde,
        varden.ar as varde_ar
    from malindikator
    inner join mal using (mal_id)
    left join varden
        on varden.indikator = malindikator.indikator
        and varden.org in (mal.org, 'KOMMUN')
        and varden.ar between mal.ar - 1 and mal.ar
    qualify row_number() over (
        partition by mal.mal_id, malindikator.indikator
        order by (varden.org = mal.org) desc, varden.ar desc nulls last
    ) = 1
),

judged as (
    select
        malindikator.mal_id,
        malindikator.indikator,
        malindikator.kalla,
        malindikator.riktning,
        malindikator.utgangsvarde,
        malindikator.malvarde,
        kandidater.varde,
        kandidater.varde_ar,
        case
            when malindikator.malvarde = malindikator.utgangsvarde then null
            else (kandidater.varde - malindikator.utgangsvarde)
                / (malindikator.malvarde - malindikator.utgangsvarde)
        end as andel_av_vagen,
        {{ installning('malstyrning.delvis_andel') }} as delvis_andel
    from malindikator
    left join kandidater using (mal_id, indikator)
),

final as (
    select
        *,
        case
            when varde is null then 'saknar värde'
            when riktning = 'hogre' and varde >= malvarde then 'uppfyllt'
            when riktning = 'lagre' and varde <= malvarde then 'uppfyllt'
            when andel_av_vagen >= coalesce(delvis_andel, 0.5) then 'delvis uppfyllt'
            else 'ej uppfyllt'
        end as status
    from judged
)

select * from final
