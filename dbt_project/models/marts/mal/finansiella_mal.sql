-- KF's financial goals (god ekonomisk hushållning) as kommun-level goals, judged on the
-- report period's helårsprognos in marts.resultatrakning.
with resultat as (
    select r.*
    from {{ ref('resultatrakning') }} as r
    inner join {{ ref('rapportperiod') }} as p on r.period = p.rapportperiod
),

mal as (
    select
        'FIN-RESULTATANDEL' as mal_id,
        ar,
        'Resultatandel (årets resultat / skatteintäkter och generella statsbidrag)' as titel,
        resultatandel_prognos as varde,
        resultatandel_mal as malvarde
    from resultat
    union all
    select
        'FIN-SJALVFINANSIERING',
        ar,
        'Självfinansieringsgrad av investeringar',
        sjalvfinansieringsgrad_prognos,
        sjalvfinansieringsgrad_mal
    from resultat
)

select
    mal_id,
    'kommun' as niva,
    'KOMMUN' as org,
    ar,
    'God ekonomisk hushållning: ' || titel as titel,
    'ekonomi' as perspektiv,
    cast(null as varchar) as foralder,
    varde,
    malvarde,
    case
        when varde is null or malvarde is null then 'saknar_varde'
        when varde >= malvarde then 'uppfyllt'
        else 'ej_uppfyllt'
    end as status
from mal
