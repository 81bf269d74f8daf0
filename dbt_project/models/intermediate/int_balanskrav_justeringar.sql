-- The year's balanskrav adjustments decided outside the ledger, from antaganden_ files, in
-- kronor: undantag (signed, + raises the result), and the resultatutjämningsreserv's
-- reservation and disposition (both stated positive). A year without a value has none.
select
    ar,
    cast(
        coalesce(sum(varde) filter (where parameter = 'balanskrav_undantag'), 0)
        as decimal(18, 2)
    ) as undantag,
    cast(
        coalesce(sum(varde) filter (where parameter = 'resultatreserv_reservation'), 0)
        as decimal(18, 2)
    ) as resultatreserv_reservation,
    cast(
        coalesce(sum(varde) filter (where parameter = 'resultatreserv_disposition'), 0)
        as decimal(18, 2)
    ) as resultatreserv_disposition
from {{ ref('stg_inkorg__antaganden') }}
where parameter in (
        'balanskrav_undantag', 'resultatreserv_reservation', 'resultatreserv_disposition'
    )
group by ar
