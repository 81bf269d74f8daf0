-- Goal fulfilment per goal and year: the indicators' statuses, the goal's status (all
-- uppfyllt → uppfyllt; none uppfyllt or delvis → ej_uppfyllt; otherwise delvis_uppfyllt; all
-- without value → saknar_varde; no indicator → saknar_indikator), the traffic light, the parent
-- goal and the statuses of the goals that contribute to it. KF's financial goals are included.
-- A goal is (ar, mal_id): a goal kept into the next year keeps its id, so every join here is
-- within the year, and a parent (foralder) is the goal of that id in the same year.
with mal as (
    select * from {{ ref('stg_inkorg__mal') }}
),

indikatorer as (
    select * from {{ ref('int_indikatorstatus') }}
),

per_mal as (
    select
        ar,
        mal_id,
        count(*) as antal_indikatorer,
        count(*) filter (where status = 'uppfyllt') as indikatorer_uppfyllt,
        count(*) filter (where status = 'delvis_uppfyllt') as indikatorer_delvis,
        count(*) filter (where status = 'ej_uppfyllt') as indikatorer_ej_uppfyllt,
        count(*) filter (where status = 'saknar_varde') as indikatorer_saknar_varde,
        string_agg(indikator || ': ' || status, '; ' order by indikator) as indikatorstatus
    from indikatorer
    group by ar, mal_id
),

registrerade as (
    select
        mal.mal_id,
        mal.niva,
        mal.org,
        mal.ar,
        mal.titel,
        mal.perspektiv,
        mal.foralder,
        mal.agenda2030,
        coalesce(per_mal.antal_indikatorer, 0) as antal_indikatorer,
        per_mal.indikatorstatus,
        case
            when per_mal.mal_id is null then 'saknar_indikator'
            when per_mal.indikatorer_saknar_varde = per_mal.antal_indikatorer then 'saknar_varde'
            when per_mal.indikatorer_uppfyllt = per_mal.antal_indikatorer then 'uppfyllt'
            when per_mal.indikatorer_uppfyllt + per_mal.indikatorer_delvis = 0 then 'ej_uppfyllt'
            else 'delvis_uppfyllt'
        end as status
    from mal
    left join per_mal using (ar, mal_id)
),

finansiella as (
    select
        mal_id, niva, org, ar, titel, perspektiv, foralder,
        cast(null as varchar) as agenda2030,
        1 as antal_indikatorer,
        mal_id || ': ' || status as indikatorstatus,
        status
    from {{ ref('finansiella_mal') }}
),

alla as (
    select * from registrerade
    union all by name
    select * from finansiella
),

delmal as (
    select
        ar,
        foralder as mal_id,
        count(*) as antal_delmal,
        count(*) filter (where status = 'uppfyllt') as delmal_uppfyllt,
        count(*) filter (where status = 'delvis_uppfyllt') as delmal_delvis,
        count(*) filter (where status = 'ej_uppfyllt') as delmal_ej_uppfyllt,
        count(*) filter (where status in ('saknar_varde', 'saknar_indikator')) as delmal_utan_status
    from alla
    where foralder is not null
    group by ar, foralder
),

final as (
    select
        alla.mal_id,
        alla.niva,
        alla.org,
        alla.ar,
        alla.titel,
        alla.perspektiv,
        alla.agenda2030,
        alla.foralder,
        foralder.titel as foralder_titel,
        alla.antal_indikatorer,
        alla.indikatorstatus,
        alla.status,
        case alla.status
            when 'uppfyllt' then 'gron'
            when 'delvis_uppfyllt' then 'gul'
            when 'ej_uppfyllt' then 'rod'
            else 'gra'
        end as trafikljus,
        coalesce(delmal.antal_delmal, 0) as antal_delmal,
        coalesce(delmal.delmal_uppfyllt, 0) as delmal_uppfyllt,
        coalesce(delmal.delmal_delvis, 0) as delmal_delvis,
        coalesce(delmal.delmal_ej_uppfyllt, 0) as delmal_ej_uppfyllt,
        coalesce(delmal.delmal_utan_status, 0) as delmal_utan_status
    from alla
    left join delmal using (ar, mal_id)
    left join alla as foralder on alla.foralder = foralder.mal_id and alla.ar = foralder.ar
)

select * from final
