-- Åtgärdsplan flags per nämnd and month (docs/rules.md). A nämnd is flagged when its
-- helårsavvikelse (förvaltningens prognos where present, else the budgetbaserad) is below
-- −tolerans. Status life within a budget year:
--   ny                   the first month of a run of flagged months;
--   kraver_atgardsplan   flagged, no plan decided yet, still within the allowed delay;
--   forsenad             flagged, no plan decided, forsening_manader or more months after `ny`;
--   beslutad             flagged, and a plan was decided on or after the run's first month;
--   atgardad             not flagged now, but flagged earlier in the year.
-- The codes are ASCII; the words a reader sees are in pipelines/lib/labels.py.
with avvikelse as (
    select * from {{ ref('budgetavvikelse') }}
    where niva = 'namnd'
),

installningar as (
    select
        coalesce({{ installning('atgardsplan.tolerans_kr') }}, 0) as tolerans,
        coalesce({{ installning('atgardsplan.forsening_manader', 'integer') }}, 2)
            as forsening_manader
),

flagged as (
    select
        avvikelse.*,
        installningar.tolerans,
        installningar.forsening_manader,
        avvikelse.helarsavvikelse < -installningar.tolerans as flagga
    from avvikelse
    cross join installningar
),

runs as (
    -- Each run of consecutive flagged months gets an id: a flagged month following an
    -- unflagged one (or the year's start) starts a new run.
    select
        *,
        sum(case when flagga and not coalesce(foregaende_flagga, false) then 1 else 0 end)
            over (partition by org, ar order by manad) as flaggomgang
    from (
        select
            *,
            lag(flagga) over (partition by org, ar order by manad) as foregaende_flagga
        from flagged
    ) as flaggade
),

run_start as (
    select
        *,
        min(case when flagga then manad end) over (partition by org, ar, flaggomgang)
            as forsta_flaggade_manad_nr,
        max(case when flagga then 1 else 0 end) over (
            partition by org, ar order by manad rows between unbounded preceding and current row
        ) = 1 as flaggad_tidigare_i_ar
    from runs
),

planer as (
    select * from {{ ref('stg_inkorg__atgardsplan') }}
),

with_plan as (
    select
        run_start.*,
        plan.beslutsdatum as atgardsplan_beslutsdatum,
        plan.diarienummer as atgardsplan_diarienummer,
        plan.belopp as atgardsplan_belopp
    from run_start
    left join lateral (
        -- The latest plan decided between the run's first month and the end of this month.
        select planer.beslutsdatum, planer.diarienummer, planer.belopp
        from planer
        where planer.namnd = run_start.org
            and run_start.flagga
            and planer.beslutsdatum
            >= make_date(run_start.ar, run_start.forsta_flaggade_manad_nr, 1)
            and planer.beslutsdatum < make_date(run_start.ar, run_start.manad, 1) + interval 1 month
        order by planer.beslutsdatum desc, planer.diarienummer desc
        limit 1
    ) as plan on true
),

forvaltningar as (
    -- Every förvaltning that works for the nämnd during the year (has utfall or budget in it)
    -- prepares its plan and sees the same flag, whichever nämnd it mostly works for.
    select namnd, ar, string_agg(distinct forvaltning, ',' order by forvaltning) as forvaltningar
    from {{ ref('int_ekonomi_manad') }}
    where ingar_i_nettokostnad and (utfall <> 0 or budget <> 0)
    group by namnd, ar
),

final as (
    select
        with_plan.org as namnd,
        org_namn as namnd_namn,
        with_plan.period,
        with_plan.ar,
        manad,
        arsbudget,
        helarsprognos,
        helarsprognos_kalla,
        helarsavvikelse,
        cast(tolerans as decimal(18, 2)) as tolerans,
        flagga,
        case
            when flagga and atgardsplan_beslutsdatum is not null then 'beslutad'
            when flagga and manad = forsta_flaggade_manad_nr then 'ny'
            when flagga and manad - forsta_flaggade_manad_nr >= forsening_manader then 'forsenad'
            when flagga then 'kraver_atgardsplan'
            when flaggad_tidigare_i_ar then 'atgardad'
        end as status,
        case when flagga
                then with_plan.ar || '-' || lpad(cast(forsta_flaggade_manad_nr as varchar), 2, '0')
        end as forsta_flaggade_period,
        case when flagga then manad - forsta_flaggade_manad_nr end as manader_sedan_flagga,
        atgardsplan_beslutsdatum,
        atgardsplan_diarienummer,
        atgardsplan_belopp,
        forvaltningar.forvaltningar
    from with_plan
    left join forvaltningar on with_plan.org = forvaltningar.namnd
        and with_plan.ar = forvaltningar.ar
)

select * from final
