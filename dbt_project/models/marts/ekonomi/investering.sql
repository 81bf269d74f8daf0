-- Investments per project, year and typ as delivered (latest delivery per project, year, typ).
select projekt, namnd, ar, typ, belopp, avskrivningstid
from {{ ref('stg_inkorg__investering') }}
