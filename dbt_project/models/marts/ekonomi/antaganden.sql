-- The projection's and balanskrav's assumptions as delivered (latest delivery per year and
-- parameter), in the units the antaganden_ files state them.
select ar, parameter, varde, kalla
from {{ ref('stg_inkorg__antaganden') }}
