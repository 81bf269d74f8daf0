-- The period the published warehouse reports on, for readers outside dbt (the forecasts, the
-- report, the checks, the status command). One row.
select rapportperiod, senaste_utfallsperiod
from {{ ref('int_rapportperiod') }}
