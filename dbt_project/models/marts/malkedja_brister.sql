-- The målkedja's integrity: goals without indicators, and nämnd goals that do not contribute to
-- a KF goal. Each row is a defect to fix in the goal register.
with mal as (
    select * from {{ ref('maluppfyllelse') }}
)

select mal_id, niva, org, ar, titel, 'Målet saknar indikator' as brist
from mal
where status = 'saknar indikator'
union all
select mal_id, niva, org, ar, titel, 'Nämndmålet bidrar inte till något mål på kommunnivå'
from mal
where niva = 'namnd' and foralder is null
