-- Quality indicators (kvalitetsfaktorer) per indicator × org × year: the value, the perspective
-- of the goal it measures, and for Kolada KPIs the comparison group's median and the
-- municipality's rank among itself and the group (1 = best, respecting the direction).
with varden as (
    select * from {{ ref('int_indikatorvarden') }}
),

-- The goal an indicator measures is (ar, mal_id): a kept goal has the same id every year, so
-- the perspective and direction are taken from the indicator's goal in the latest year.
malindikator as (
    select indikator, riktning, ar as mal_ar, mal_id
    from {{ ref('stg_inkorg__malindikator') }}
    qualify row_number() over (partition by indikator order by ar desc, mal_id asc) = 1
),

mal as (
    select ar as mal_ar, mal_id, perspektiv from {{ ref('stg_inkorg__mal') }}
),

grupp as (
    select unnest(string_split({{ installning('jamforelsegrupp', 'varchar') }}, ',')) as kommun
),

jamforelse as (
    select
        kolada.kpi as indikator,
        kolada.ar,
        kolada.kommun,
        kolada.varde
    from {{ ref('stg_inkorg__kolada') }} as kolada
    where kolada.kon = 'T'
        and kolada.varde is not null
        and (
            kolada.kommun in (select trim(kommun) from grupp)
            or kolada.kommun = {{ installning('kommun.kod', 'varchar') }}
        )
),

rankad as (
    select
        jamforelse.*,
        rank() over (
            partition by jamforelse.indikator, jamforelse.ar
            order by case when malindikator.riktning = 'lagre' then jamforelse.varde
                else -jamforelse.varde
            end
        ) as rang,
        count(*) over (partition by jamforelse.indikator, jamforelse.ar) as antal_jamforda
    from jamforelse
    left join malindikator using (indikator)
),

grupp_median as (
    select indikator, ar, median(varde) as jamforelsegrupp_median
    from jamforelse
    where kommun <> {{ installning('kommun.kod', 'varchar') }}
    group by all
),

final as (
    select
        varden.indikator,
        varden.kalla,
        varden.org,
        varden.ar,
        varden.varde,
        mal.perspektiv,
        malindikator.riktning,
        grupp_median.jamforelsegrupp_median,
        case when varden.kalla = 'kolada' then rankad.rang end as rang,
        case when varden.kalla = 'kolada' then rankad.antal_jamforda end as antal_jamforda
    from varden
    left join malindikator using (indikator)
    left join mal using (mal_ar, mal_id)
    left join grupp_median using (indikator, ar)
    left join rankad
        on varden.indikator = rankad.indikator and varden.ar = rankad.ar
            and rankad.kommun = {{ installning('kommun.kod', 'varchar') }}
)

select * from final
