-- The balanskrav per year (kommunallagen 11 kap.): årets resultat − realisationsvinster
-- ± undantag = resultat efter balanskravsjusteringar; − reservation to + disposition from the
-- resultatutjämningsreserv = balanskravsresultat. A closed year (twelve months of utfall) uses
-- the outcome; any other year the full-year forecast at its latest month. A negative result
-- must be restored within the following three years: older deficits first, by later positive
-- results (a surplus while nothing is outstanding is not saved for later).
with ar as (
    select * from {{ ref('int_utfallsar') }}
),

resultat as (
    select
        r.ar,
        case when ar.helt_ar then 'utfall' else 'prognos' end as underlag,
        case when ar.helt_ar then r.arets_resultat else r.helarsprognos_arets_resultat end
            as arets_resultat,
        -- Year to date: in a closed year the whole year's, otherwise the forecast's (a sale not
        -- yet made is not anticipated).
        r.realisationsvinster
    from {{ ref('resultatrakning') }} as r
    inner join ar on r.ar = ar.ar and r.manad = ar.sista_manad
),

justerat as (
    select
        resultat.ar,
        resultat.underlag,
        resultat.arets_resultat,
        resultat.realisationsvinster,
        coalesce(j.undantag, 0) as undantag,
        resultat.arets_resultat - resultat.realisationsvinster + coalesce(j.undantag, 0)
            as resultat_efter_balanskravsjusteringar,
        coalesce(j.resultatreserv_reservation, 0) as resultatreserv_reservation,
        coalesce(j.resultatreserv_disposition, 0) as resultatreserv_disposition
    from resultat
    left join {{ ref('int_balanskrav_justeringar') }} as j using (ar)
),

balanskravsresultat as (
    select
        *,
        resultat_efter_balanskravsjusteringar - resultatreserv_reservation
        + resultatreserv_disposition as balanskravsresultat
    from justerat
),

lopande as (
    -- The amount outstanding follows u(t) = max(0, u(t−1) − b(t)); with s(t) the running sum
    -- of −b, that is s(t) − min(0, min of s up to t). What has been restored so far is then the
    -- deficits to date less what is outstanding, and restoring oldest first, the oldest deficit
    -- still open is the first whose running deficit total exceeds what has been restored.
    select
        *,
        sum(-balanskravsresultat) over w as summa,
        sum(greatest(-balanskravsresultat, 0)) over w as underskott_hittills
    from balanskravsresultat
    window w as (order by ar rows between unbounded preceding and current row)
),

utestaende as (
    select
        *,
        summa - least(0, min(summa) over (
            order by ar rows between unbounded preceding and current row
        )) as att_aterstalla
    from lopande
),

aldsta as (
    select
        senare.ar,
        min(tidigare.ar) as aldsta_underskott_ar
    from utestaende as senare
    inner join utestaende as tidigare
        on senare.ar >= tidigare.ar
            and tidigare.balanskravsresultat < 0
            and tidigare.underskott_hittills > senare.underskott_hittills - senare.att_aterstalla
    where senare.att_aterstalla > 0
    group by senare.ar
)

select
    utestaende.ar,
    cast(utestaende.arets_resultat as decimal(18, 2)) as arets_resultat,
    cast(utestaende.realisationsvinster as decimal(18, 2)) as realisationsvinster,
    cast(utestaende.undantag as decimal(18, 2)) as undantag,
    cast(utestaende.resultat_efter_balanskravsjusteringar as decimal(18, 2))
        as resultat_efter_balanskravsjusteringar,
    cast(utestaende.resultatreserv_reservation as decimal(18, 2)) as resultatreserv_reservation,
    cast(utestaende.resultatreserv_disposition as decimal(18, 2)) as resultatreserv_disposition,
    cast(utestaende.balanskravsresultat as decimal(18, 2)) as balanskravsresultat,
    cast(utestaende.att_aterstalla as decimal(18, 2)) as att_aterstalla,
    cast(aldsta.aldsta_underskott_ar + 3 as integer) as aterstalls_senast,
    utestaende.underlag
from utestaende
left join aldsta using (ar)
