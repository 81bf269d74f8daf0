-- The floor of the benchmark: marts.budgetavvikelse's nämnd-level figures (budget, utfall and
-- avvikelse for the month and year to date, per nämnd × month) in one hand-written DuckDB query
-- straight from the delivered files, with none of the product's checks, audit columns,
-- forecasts or marts. What a refresh costs beyond this is the price of everything else.
--
-- benchmarks/refresh.py fills in the file lists ({utfall}, {budget}, {organisation},
-- {periodisering}: DuckDB lists of paths). The ledger is Windows-1252 (read as latin-1: the
-- two agree on every letter the files use), `;`, decimal comma, non-breaking-space thousands.
-- The budget is each year's highest version per row (internbudget over KF), periodised by
-- PERSONAL for kontoklass 5 and evenly otherwise; a row counts in the nämnd its ansvar belongs
-- to on the first day of the month.
with utfall as (
    select
        left(replace(period, '-', ''), 4) || '-' || right(replace(period, '-', ''), 2) as period,
        ansvar,
        konto,
        cast(replace(replace(belopp, chr(160), ''), ',', '.') as decimal(18, 2)) as belopp
    from read_csv(
        {utfall}, delim = ';', header = true, encoding = 'latin-1', all_varchar = true,
        normalize_names = true, union_by_name = true
    )
),

organisation as (
    select
        ansvar,
        namnd,
        cast(giltig_from as date) as giltig_from,
        coalesce(
            cast(giltig_tom as date),
            lead(cast(giltig_from as date)) over (partition by ansvar order by giltig_from)
            - interval 1 day,
            date '9999-12-31'
        ) as giltig_till
    from read_csv({organisation}, delim = ';', header = true, all_varchar = true)
),

budget_rader as (
    select
        cast(b."År" as integer) as ar,
        b.ansvar,
        b.konto,
        b.version,
        cast(replace(b.belopp, ',', '.') as decimal(18, 2)) as belopp
    from read_csv({budget}, delim = ';', header = true, all_varchar = true, union_by_name = true) as b
    where b.version in ('KF', 'internbudget')
),

budget_ar as (
    select ar, ansvar, konto, belopp
    from budget_rader
    qualify dense_rank() over (partition by ar order by version = 'internbudget' desc) = 1
),

nycklar as (
    select
        cast(ar as integer) as ar,
        nyckel,
        cast(manad as integer) as manad,
        cast(replace(andel, ',', '.') as double) as andel
    from read_csv({periodisering}, delim = ';', header = true, all_varchar = true)
    union all
    select ar, 'JAMN', manad, 1 / 12
    from range(2000, 2100) as years (ar), range(1, 13) as months (manad)
),

budget_manad as (
    select
        b.ar || '-' || lpad(cast(k.manad as varchar), 2, '0') as period,
        b.ansvar,
        b.konto,
        cast(b.belopp * k.andel as decimal(18, 2)) as belopp
    from budget_ar as b
    inner join nycklar as k
        on b.ar = k.ar
            and k.nyckel = case when left(b.konto, 1) = '5' then 'PERSONAL' else 'JAMN' end
),

rader as (
    select period, ansvar, konto, belopp as utfall, 0 as budget from utfall
    union all
    select period, ansvar, konto, 0, belopp from budget_manad
),

per_namnd as (
    select
        o.namnd,
        r.period,
        sum(r.budget) as budget_manad,
        sum(r.utfall) as utfall_manad
    from rader as r
    inner join organisation as o
        on r.ansvar = o.ansvar
            and cast(r.period || '-01' as date) between o.giltig_from and o.giltig_till
    where left(r.konto, 1) between '3' and '7'
    group by all
)

select
    namnd,
    period,
    budget_manad,
    utfall_manad,
    budget_manad - utfall_manad as avvikelse_manad,
    sum(budget_manad) over ack as budget_ack,
    sum(utfall_manad) over ack as utfall_ack,
    sum(budget_manad - utfall_manad) over ack as avvikelse_ack
from per_namnd
where period in (select distinct period from utfall)
window ack as (partition by namnd, left(period, 4) order by period)
order by namnd, period
