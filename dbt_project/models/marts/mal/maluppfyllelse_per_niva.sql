-- Måluppfyllelse per level and org: the number of goals by status.
select
    niva,
    org,
    ar,
    count(*) as antal_mal,
    count(*) filter (where status = 'uppfyllt') as antal_uppfyllt,
    count(*) filter (where status = 'delvis_uppfyllt') as antal_delvis,
    count(*) filter (where status = 'ej_uppfyllt') as antal_ej_uppfyllt,
    count(*) filter (where status = 'saknar_varde') as antal_saknar_varde,
    count(*) filter (where status = 'saknar_indikator') as antal_saknar_indikator
from {{ ref('maluppfyllelse') }}
group by all
