-- The municipality's income statement per month (DOMAIN.md §4, "Kommun level"): year-to-date
-- utfall, the year's budget and a budgetbaserad helårsprognos (utfall ack + the rest of the
-- year's periodised budget) per line, the financial goals and the balanskrav result.
with poster as (
    select * from {{ ref('int_resultatposter_manad') }}
),

utfallsmanader as (
    select ar, max(manad) as sista_manad from {{ ref('stg_inkorg__utfall') }} group by ar
),

spine as (
    select utfallsmanader.ar, manader.manad
    from utfallsmanader
    cross join range(1, 13) as manader(manad)
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
    inner join poster as p on p.ar = spine.ar
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
        coalesce(sum(arsbudget) filter (where resultatpost = '{{ post }}'), 0)
            as arsbudget_{{ post }},
        coalesce(sum(helarsprognos) filter (where resultatpost = '{{ post }}'), 0)
            as prognos_{{ post }}{{ ',' if not loop.last }}
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
        (select string_split(varde, ',') from {{ ref('stg_styrhjul__installningar') }}
         where parameter = 'realisationsvinst_konton')
    )
    group by all
),

investeringar as (
    -- Net investments of the year: the outcome where delivered, else the plan.
    select ar, coalesce(sum(belopp) filter (where typ = 'utfall'), sum(belopp)) as nettoinvesteringar
    from {{ ref('stg_inkorg__investering') }}
    group by ar
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
        wide.prognos_verksamhetens_kostnader + wide.prognos_avskrivningar
            - wide.prognos_verksamhetens_intakter as helarsprognos_verksamhetens_nettokostnad,
        wide.prognos_skatteintakter as helarsprognos_skatteintakter,
        wide.prognos_generella_statsbidrag as helarsprognos_generella_statsbidrag,
        wide.prognos_avskrivningar as helarsprognos_avskrivningar,
        wide.prognos_finansiella_intakter - wide.prognos_finansiella_kostnader
            as helarsprognos_finansnetto,
        wide.prognos_skatteintakter + wide.prognos_generella_statsbidrag
            + wide.prognos_verksamhetens_intakter - wide.prognos_verksamhetens_kostnader
            - wide.prognos_avskrivningar + wide.prognos_finansiella_intakter
            - wide.prognos_finansiella_kostnader as helarsprognos_arets_resultat,
        coalesce(realisationsvinster.realisationsvinster, 0) as realisationsvinster,
        investeringar.nettoinvesteringar
    from wide
    left join realisationsvinster using (ar, manad)
    left join investeringar using (ar)
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
        cast(helarsprognos_arets_resultat as decimal(18, 2)) as helarsprognos_arets_resultat,
        cast(helarsprognos_arets_resultat as double) / nullif(
            cast(helarsprognos_skatteintakter + helarsprognos_generella_statsbidrag as double), 0
        ) as resultatandel_prognos,
        {{ installning('finansiella_mal.resultatandel') }} as resultatandel_mal,
        cast(realisationsvinster as decimal(18, 2)) as realisationsvinster,
        cast(helarsprognos_arets_resultat - realisationsvinster as decimal(18, 2))
            as balanskravsresultat_prognos,
        cast(nettoinvesteringar as decimal(18, 2)) as nettoinvesteringar,
        cast(helarsprognos_arets_resultat + helarsprognos_avskrivningar as double)
            / nullif(cast(nettoinvesteringar as double), 0) as sjalvfinansieringsgrad_prognos,
        {{ installning('finansiella_mal.sjalvfinansieringsgrad') }} as sjalvfinansieringsgrad_mal
    from lines
)

select * from final
