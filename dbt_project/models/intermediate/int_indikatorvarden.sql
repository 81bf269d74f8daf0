-- Every indicator value per org and year, from Kolada (the own municipality, total of both
-- sexes, at kommun level) and from own measures (latest period within the year).
with installningar as (
    select {{ installning('kommun.kod', 'varchar') }} as kommunkod
),

kolada as (
    select kpi as indikator, 'kolada' as kalla, 'KOMMUN' as org, ar, varde
    from {{ ref('stg_inkorg__kolada') }}
    cross join installningar
    where kommun = installningar.kommunkod and kon = 'T'
),

egna as (
    select indikator, 'egen' as kalla, org, ar, varde
    from {{ ref('stg_inkorg__indikator') }}
    qualify row_number() over (partition by indikator, org, ar order by period desc) = 1
)

select * from kolada
union all
select * from egna
