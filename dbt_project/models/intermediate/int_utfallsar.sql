-- The ledger's years: the latest month delivered and whether the year is closed (all twelve
-- months of utfall present), which decides whether a full-year figure is an outcome or a forecast.
select
    ar,
    max(manad) as sista_manad,
    count(distinct manad) = 12 as helt_ar
from {{ ref('stg_inkorg__utfall') }}
group by ar
