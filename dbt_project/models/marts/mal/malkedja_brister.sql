-- The målkedja's integrity: goals without indicators, and nämnd goals that do not contribute to
-- a KF goal. Each row is a defect to fix in the goal register; brist is a code
-- (saknar_indikator, saknar_kommunmal).
with mal as (
    select * from {{ ref('maluppfyllelse') }}
)

select mal_id, niva, org, ar, titel, 'saknar_indikator' as brist
from mal
where status = 'saknar_indikator'
union all
select mal_id, niva, org, ar, titel, 'saknar_kommunmal'
from mal
where niva = 'namnd' and foralder is null
