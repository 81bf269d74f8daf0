-- Each goal's indicators with the value that judged them, its year and its status. The goal is
-- (ar, mal_id): a kept goal has the same id every year.
select
    indikatorstatus.ar,
    indikatorstatus.mal_id,
    indikatorstatus.indikator,
    indikatorstatus.kalla,
    indikatorstatus.riktning,
    indikatorstatus.utgangsvarde,
    indikatorstatus.malvarde,
    indikatorstatus.varde,
    indikatorstatus.varde_ar,
    indikatorstatus.andel_av_vagen,
    indikatorstatus.status,
    case indikatorstatus.status
        when 'uppfyllt' then 'gron'
        when 'delvis_uppfyllt' then 'gul'
        when 'ej_uppfyllt' then 'rod'
        else 'gra'
    end as trafikljus
from {{ ref('int_indikatorstatus') }} as indikatorstatus
