-- The annual budget periodised per month: belopp × the share of the row's key (its own nyckel,
-- else the standard key of its kontoklass), placed in the organisation valid that month.
with budget as (
    select * from {{ ref('stg_inkorg__budget') }}
),

kontogrupper as (
    select * from {{ ref('kontogrupper') }}
),

standardnyckel as (
    select * from {{ ref('standardnyckel') }}
),

nycklar as (
    select * from {{ ref('int_periodiseringsnycklar') }}
),

organisation as (
    select * from {{ ref('int_organisation') }}
),

keyed as (
    select
        budget.*,
        kontogrupper.kontogrupp,
        kontogrupper.kontoklass,
        kontogrupper.resultatpost,
        kontogrupper.ingar_i_nettokostnad,
        coalesce(budget.nyckel, standardnyckel.nyckel, 'JAMN') as periodiseringsnyckel
    from budget
    left join kontogrupper on left(budget.konto, 2) = kontogrupper.kontogrupp
    left join standardnyckel on kontogrupper.kontoklass = standardnyckel.kontoklass
),

normalised as (
    -- Cumulative shares of each key, normalised so the year's last month reaches exactly 1:
    -- each month's budget is the difference of rounded cumulative amounts, so the months of a
    -- row always add up to its annual amount to the öre.
    select
        ar,
        nyckel,
        manad,
        sum(andel) over (partition by ar, nyckel order by manad)
            / sum(andel) over (partition by ar, nyckel) as kumulativ_andel_tal
    from nycklar
),

exact as (
    -- Decimal arithmetic, so half-öre rounds away from zero as a controller expects.
    select ar, nyckel, manad, cast(kumulativ_andel_tal as decimal(16, 12)) as kumulativ_andel
    from normalised
),

periodised as (
    select
        keyed.ar,
        nycklar.manad,
        keyed.ar || '-' || lpad(cast(nycklar.manad as varchar), 2, '0') as period,
        keyed.ansvar,
        keyed.verksamhet,
        keyed.konto,
        keyed.kontogrupp,
        keyed.kontoklass,
        keyed.resultatpost,
        keyed.ingar_i_nettokostnad,
        keyed.periodiseringsnyckel,
        keyed.version,
        cast(keyed.belopp as decimal(18, 2)) as arsbelopp,
        cast(round(cast(keyed.belopp as decimal(38, 2)) * nycklar.kumulativ_andel, 2) as decimal(18, 2))
            - coalesce(cast(round(cast(keyed.belopp as decimal(38, 2)) * lag(nycklar.kumulativ_andel) over (
                partition by keyed.ar, keyed.source_file, keyed.source_row order by nycklar.manad
            ), 2) as decimal(18, 2)), 0) as belopp,
        keyed.source_file,
        keyed.source_row
    from keyed
    inner join exact as nycklar
        on keyed.ar = nycklar.ar and keyed.periodiseringsnyckel = nycklar.nyckel
),

final as (
    select
        periodised.*,
        organisation.namnd,
        organisation.forvaltning,
        organisation.verksamhetsomrade,
        organisation.namnd_idag,
        organisation.forvaltning_idag
    from periodised
    left join organisation
        on periodised.ansvar = organisation.ansvar
        and {{ period_datum('periodised.period') }} between organisation.giltig_from and organisation.giltig_till
)

select * from final
