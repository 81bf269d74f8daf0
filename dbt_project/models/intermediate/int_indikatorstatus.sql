-- Each goal's indicators with the value that judges them and their status:
--   uppfyllt          the target is met, respecting the direction (meeting it exactly counts);
--   delvis_uppfyllt   not met, but moved from the baseline IN THE BETTER DIRECTION by at least
--                     malstyrning.delvis_andel of the distance to the target; a target on the
--                     worse side of the baseline, or equal to it, has no delvis;
--   ej_uppfyllt       otherwise;
--   saknar_varde      no value for the goal's year or the year before: never silently green.
-- The value is the goal org's own where the indicator has one, else the municipality's.
-- A goal is (ar, mal_id): a goal kept into the next year keeps its id, and each year's goal is
-- judged on its own indicators only.
--
-- The comparison is exact in decimals. Values arrive as DOUBLE, where e.g. 9.8 − 10.1 over
-- 9.5 − 10.1 is 0.4999999999999985 and an exactly half-way value would miss the 50 % line.
-- Each value is therefore rounded to 6 decimals (the nearest double to what the controller
-- wrote; no indicator is delivered with more decimals) as DECIMAL(38,6), and the share test
-- is done as a multiplication (movement ≥ andel × distance), which needs no division.
with malindikator as (
    select * from {{ ref('stg_inkorg__malindikator') }}
),

mal as (
    select * from {{ ref('stg_inkorg__mal') }}
),

varden as (
    select * from {{ ref('int_indikatorvarden') }}
    where varde is not null
),

kandidater as (
    select
        mal.ar,
        mal.mal_id,
        malindikator.indikator,
        varden.varde,
        varden.ar as varde_ar
    from malindikator
    inner join mal using (ar, mal_id)
    left join varden
        on malindikator.indikator = varden.indikator
            and varden.org in (mal.org, 'KOMMUN')
            and varden.ar between mal.ar - 1 and mal.ar
    qualify row_number() over (
            partition by mal.ar, mal.mal_id, malindikator.indikator
            order by (varden.org = mal.org) desc, varden.ar desc nulls last
        ) = 1
),

judged as (
    select
        malindikator.ar,
        malindikator.mal_id,
        malindikator.indikator,
        malindikator.kalla,
        malindikator.riktning,
        malindikator.utgangsvarde,
        malindikator.malvarde,
        kandidater.varde,
        kandidater.varde_ar,
        -- +1 when higher is better, −1 when lower is: movement × tecken > 0 is an improvement
        case malindikator.riktning when 'hogre' then 1 when 'lagre' then -1 end as tecken,
        cast(kandidater.varde as decimal(38, 6)) as varde_exakt,
        cast(malindikator.utgangsvarde as decimal(38, 6)) as utgangsvarde_exakt,
        cast(malindikator.malvarde as decimal(38, 6)) as malvarde_exakt,
        coalesce(
            {{ installning('malstyrning.delvis_andel', 'decimal(38, 6)') }}, 0.5
        ) as delvis_andel
    from malindikator
    left join kandidater using (ar, mal_id, indikator)
),

final as (
    select
        ar,
        mal_id,
        indikator,
        kalla,
        riktning,
        utgangsvarde,
        malvarde,
        varde,
        varde_ar,
        case
            when malvarde_exakt <> utgangsvarde_exakt
                then cast(
                        (varde_exakt - utgangsvarde_exakt) / (malvarde_exakt - utgangsvarde_exakt)
                        as double
                    )
        end as andel_av_vagen,
        case
            when varde is null then 'saknar_varde'
            when tecken * (varde_exakt - malvarde_exakt) >= 0 then 'uppfyllt'
            when tecken * (malvarde_exakt - utgangsvarde_exakt) > 0
                and tecken * (varde_exakt - utgangsvarde_exakt)
                >= delvis_andel * tecken * (malvarde_exakt - utgangsvarde_exakt)
                then 'delvis_uppfyllt'
            else 'ej_uppfyllt'
        end as status
    from judged
)

select * from final
