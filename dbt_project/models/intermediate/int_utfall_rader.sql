-- Ledger rows placed in the organisation valid on the first day of their period, with their
-- kontogrupp and whether the counterpart is inside the municipality. Incremental by period
-- (macros/inkrementell.sql): a build places only the periods with a new delivery.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='period',
    on_schema_change='fail',
    pre_hook="{{ tom_vid_full_ombyggnad() }}",
) }}
-- What to recompute is read from raw.utfall, raw.leveranser and raw.installningar
-- (macros/inkrementell.sql); no depends_on for them here: the unit test would then need them as
-- inputs. The intake has written them before dbt runs.

with utfall as (
    select * from {{ ref('stg_inkorg__utfall') }}
    {% if is_incremental() -%}
        where {{ ombyggs('period') }}
    {%- endif %}
),

organisation as (
    select * from {{ ref('int_organisation') }}
),

kontogrupper as (
    select * from {{ ref('kontogrupper') }}
),

interna_motparter as (
    select unnest(string_split(varde, ',')) as motpart
    from {{ ref('stg_styrhjul__installningar') }}
    where parameter = 'intern_motpart'
),

final as (
    select
        utfall.period,
        utfall.ar,
        utfall.manad,
        utfall.bokslut,
        utfall.ansvar,
        utfall.verksamhet,
        utfall.konto,
        utfall.projekt,
        utfall.motpart,
        coalesce(utfall.motpart in (select trim(motpart) from interna_motparter), false)
            as intern,
        kontogrupper.kontogrupp,
        kontogrupper.kontoklass,
        kontogrupper.resultatpost,
        kontogrupper.ingar_i_nettokostnad,
        organisation.namnd,
        organisation.forvaltning,
        organisation.verksamhetsomrade,
        organisation.namnd_idag,
        organisation.forvaltning_idag,
        utfall.belopp,
        utfall.source_file,
        utfall.source_row,
        utfall.load_id
    from utfall
    left join kontogrupper on left(utfall.konto, 2) = kontogrupper.kontogrupp
    left join organisation
        on utfall.ansvar = organisation.ansvar
            and {{ period_datum('utfall.period') }}
            between organisation.giltig_from and organisation.giltig_till
)

select * from final
