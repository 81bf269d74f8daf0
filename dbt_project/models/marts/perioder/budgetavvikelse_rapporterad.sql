-- Every reported version of the closed periods' budgetavvikelse, from the append-only archive
-- the refresh keeps (pipelines/lib/warehouse/periods.py), with the latest version marked.
select
    a.*,
    a.version = max(a.version) over (partition by a.period) as senaste_version
from {{ source('arkiv', 'rapporterad_budgetavvikelse') }} as a
