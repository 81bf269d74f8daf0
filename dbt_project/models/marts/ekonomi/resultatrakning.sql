-- The municipality's income statement per month (docs/rules.md, "Kommun level"): year-to-date
-- utfall and the year's budget per line, and one full-year forecast. Verksamhetens nettokostnad
-- is forecast once, in budgetavvikelse (the nämnder's helårsprognoser, internal trade
-- eliminated); skatteintäkter, generella statsbidrag and the financial lines are budgetbaserad
-- (utfall ack + the rest of the year's periodised budget). Intäkter and kostnader get no
-- forecast of their own, which could not add up to the nämnder's net cost. The financial goals
-- and the balanskrav result are computed from these full-year figures.
with poster as (
    select * from {{ ref('int_resultatposter_manad') }}
),

utfallsmanader as (
    select ar, sista_manad from {{ ref('int_utfallsar') }}
),

spine as (
    select utfallsmanader.ar, manader.manad
    from utfallsmanader
    cross join range(1, 13) as manader (manad)
    where manader.manad <= utfallsmanader.sista_manad
),

per_post as (
    select
        spine.ar,
        spine.manad,
        p.resultatpost,
        sum(case when p.manad <= spine.manad then p.utfall else 0 end) as utfall_ack,
        sum(case when p.manad <= spine.manad then p.budget else 0 end) as budget_ack,
        sum(p.budget) as arsbudget
    from spine
    inner join poster as p on spine.ar = p.ar
    group by all
),

prognos as (
    select *, utfall_ack + (arsbudget - budget_ack) as helarsprognos from per_post
),

wide as (
    select
        ar,
        manad,
        {%- for post in ['verksamhetens_intakter', 'verksamhetens_kostnader', 'avskrivningar',
                         'skatteintakter', 'generella_statsbidrag', 'finansiella_intakter',
                         'finansiella_kostnader'] %}
        coalesce(sum(utfall_ack) filter (where resultatpost = '{{ post }}'), 0) as {{ post }},
        {%- if post not in ['verksamhetens_intakter', 'verksamhetens_kostnader'] %}
            coalesce(sum(helarsprognos) filter (where resultatpost = '{{ post }}'), 0)
                as prognos_{{ post }},
        {%- endif %}
        coalesce(sum(arsbudget) filter (where resultatpost = '{{ post }}'), 0)
            as arsbudget_{{ post }}{{ ',' if not loop.last }}
    {%- endfor %}
    from prognos
    group by all
),

realisationsvinster as (
    select
        rader.ar,
        spine.manad,
        -sum(rader.belopp) as realisationsvinster
    from {{ ref('int_utfall_rader') }} as rader
    inner join spine on rader.ar = spine.ar and rader.manad <= spine.manad
    where list_has_any(
            [left(rader.konto, 4), left(rader.konto, 3)],
            (
                select string_split(varde, ',') from {{ ref('stg_styrhjul__installningar') }}
                where parameter = 'realisationsvinst_konton'
            )
        )
    group by all
),

investeringar as (
    select ar, sum(helarsprognos) as nettoinvesteringar
    from {{ ref('int_investering_helar') }}
    group by ar
),

kommun_prognos as (
    select ar, manad, helarsprognos as nettokostnad
    from {{ ref('budgetavvikelse') }}
    where niva = 'kommun'
),

lines as (
    select
        wide.ar,
        wide.manad,
        wide.verksamhetens_intakter,
        wide.verksamhetens_kostnader,
        wide.avskrivningar,
        wide.verksamhetens_kostnader + wide.avskrivningar - wide.verksamhetens_intakter
            as verksamhetens_nettokostnad,
        wide.skatteintakter,
        wide.generella_statsbidrag,
        wide.finansiella_intakter,
        wide.finansiella_kostnader,
        wide.finansiella_intakter - wide.finansiella_kostnader as finansnetto,
        wide.skatteintakter + wide.generella_statsbidrag + wide.verksamhetens_intakter
        - wide.verksamhetens_kostnader - wide.avskrivningar as verksamhetens_resultat,
        wide.skatteintakter + wide.generella_statsbidrag + wide.verksamhetens_intakter
        - wide.verksamhetens_kostnader - wide.avskrivningar
        + wide.finansiella_intakter - wide.finansiella_kostnader as arets_resultat,
        wide.arsbudget_skatteintakter + wide.arsbudget_generella_statsbidrag
        + wide.arsbudget_verksamhetens_intakter - wide.arsbudget_verksamhetens_kostnader
        - wide.arsbudget_avskrivningar + wide.arsbudget_finansiella_intakter
        - wide.arsbudget_finansiella_kostnader as arsbudget_arets_resultat,
        -- A year without any row in classes 3–7 has no net cost to forecast.
        coalesce(kommun_prognos.nettokostnad, 0) as helarsprognos_verksamhetens_nettokostnad,
        wide.prognos_skatteintakter as helarsprognos_skatteintakter,
        wide.prognos_generella_statsbidrag as helarsprognos_generella_statsbidrag,
        wide.prognos_avskrivningar as helarsprognos_avskrivningar,
        wide.prognos_finansiella_intakter - wide.prognos_finansiella_kostnader
            as helarsprognos_finansnetto,
        wide.prognos_skatteintakter + wide.prognos_generella_statsbidrag
        - coalesce(kommun_prognos.nettokostnad, 0) + wide.prognos_finansiella_intakter
        - wide.prognos_finansiella_kostnader as helarsprognos_arets_resultat,
        -- The gains realised so far are the forecast of the year's: a sale not yet made is
        -- not anticipated.
        coalesce(realisationsvinster.realisationsvinster, 0) as realisationsvinster,
        coalesce(justeringar.undantag, 0) as undantag,
        coalesce(justeringar.resultatreserv_reservation, 0) as resultatreserv_reservation,
        coalesce(justeringar.resultatreserv_disposition, 0) as resultatreserv_disposition,
        investeringar.nettoinvesteringar
    from wide
    left join kommun_prognos using (ar, manad)
    left join realisationsvinster using (ar, manad)
    left join investeringar using (ar)
    left join {{ ref('int_balanskrav_justeringar') }} as justeringar using (ar)
),

final as (
    select
        ar || '-' || lpad(cast(manad as varchar), 2, '0') as period,
        ar,
        manad,
        cast(verksamhetens_intakter as decimal(18, 2)) as verksamhetens_intakter,
        cast(verksamhetens_kostnader as decimal(18, 2)) as verksamhetens_kostnader,
        cast(avskrivningar as decimal(18, 2)) as avskrivningar,
        cast(verksamhetens_nettokostnad as decimal(18, 2)) as verksamhetens_nettokostnad,
        cast(skatteintakter as decimal(18, 2)) as skatteintakter,
        cast(generella_statsbidrag as decimal(18, 2)) as generella_statsbidrag,
        cast(verksamhetens_resultat as decimal(18, 2)) as verksamhetens_resultat,
        cast(finansiella_intakter as decimal(18, 2)) as finansiella_intakter,
        cast(finansiella_kostnader as decimal(18, 2)) as finansiella_kostnader,
        cast(finansnetto as decimal(18, 2)) as finansnetto,
        cast(arets_resultat as decimal(18, 2)) as arets_resultat,
        cast(arsbudget_arets_resultat as decimal(18, 2)) as arsbudget_arets_resultat,
        cast(helarsprognos_verksamhetens_nettokostnad as decimal(18, 2))
            as helarsprognos_verksamhetens_nettokostnad,
        cast(helarsprognos_skatteintakter as decimal(18, 2)) as helarsprognos_skatteintakter,
        cast(helarsprognos_generella_statsbidrag as decimal(18, 2))
            as helarsprognos_generella_statsbidrag,
        cast(helarsprognos_finansnetto as decimal(18, 2)) as helarsprognos_finansnetto,
        cast(helarsprognos_avskrivningar as decimal(18, 2)) as helarsprognos_avskrivningar,
        cast(helarsprognos_arets_resultat as decimal(18, 2)) as helarsprognos_arets_resultat,
        cast(helarsprognos_arets_resultat as double) / nullif(
            cast(helarsprognos_skatteintakter + helarsprognos_generella_statsbidrag as double), 0
        ) as resultatandel_prognos,
        {{ installning('finansiella_mal.resultatandel') }} as resultatandel_mal,
        cast(realisationsvinster as decimal(18, 2)) as realisationsvinster,
        cast(
            helarsprognos_arets_resultat - realisationsvinster + undantag
            - resultatreserv_reservation + resultatreserv_disposition
            as decimal(18, 2)
        ) as balanskravsresultat_prognos,
        cast(nettoinvesteringar as decimal(18, 2)) as nettoinvesteringar,
        cast(helarsprognos_arets_resultat + helarsprognos_avskrivningar as double)
        / nullif(cast(nettoinvesteringar as double), 0) as sjalvfinansieringsgrad_prognos,
        {{ installning('finansiella_mal.sjalvfinansieringsgrad') }} as sjalvfinansieringsgrad_mal
    from lines
)

select * from final
