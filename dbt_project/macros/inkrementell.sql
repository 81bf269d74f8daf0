{#- The ledger-grained models are incremental by period (docs/architecture.md, "Incremental by
    period"). What a build must redo is decided here, once, from the raw tables and the state the
    previous build left in int_byggstatus:

    - every ledger period with a delivery newer than the previous build (a re-delivered old
      period included: its latest delivery replaces it, stg_inkorg__utfall's rule);
    - everything when anything else the figures depend on changed: a delivery of a kind these
      models are built from besides the ledger (grundande_filtyper(): organisation, budget,
      periodisering) or the settings (raw.installningar), compared as byggets_grund(); or when
      there is no previous state. Correctness before speed: these recompute all years rather
      than guess which ones they affect. A delivery of any other kind (the month's prognos,
      indicators, Kolada, goals, risks, ...) changes nothing these models hold, so the monthly
      delivery stays incremental; tests/warehouse/test_incremental.py checks the list against
      the models' raw sources in dbt's graph.

    A new code version makes pipelines/defs/warehouse/dbt.py run dbt with --full-refresh. -#}

{#- The kinds of delivery, besides the ledger, that the incremental models are built from. -#}
{% macro grundande_filtyper() -%}
    {{ return(['organisation', 'budget', 'periodisering']) }}
{%- endmacro %}

{% macro byggets_grund() -%}
    md5(concat_ws(
        '|',
        (
            select coalesce(string_agg(cast(load_id as varchar), ',' order by load_id), '')
            from {{ source('raw', 'leveranser') }}
            where filtyp in ('{{ grundande_filtyper() | join("', '") }}')
        ),
        (
            select coalesce(
                string_agg(parameter || '=' || coalesce(varde, ''), ';' order by parameter, varde),
                ''
            )
            from {{ source('raw', 'installningar') }}
        )
    ))
{%- endmacro %}

{#- The highest load_id the incremental models already hold; -1 means rebuild everything. The
    state is read without ref(): int_byggstatus is written after these models, from this build. -#}
{% macro byggd_till_load_id() -%}
    {%- set status = none -%}
    {%- if execute -%}
        {%- set status = adapter.get_relation(
            database=this.database, schema='intermediate', identifier='int_byggstatus'
        ) -%}
    {%- endif -%}
    {%- if status is none -%}
        cast(-1 as bigint)
    {%- else -%}
        coalesce((
            select max(senaste_load_id) from {{ status }} where grund = {{ byggets_grund() }}
        ), -1)
    {%- endif -%}
{%- endmacro %}

{#- True for the rows an incremental build recomputes, by period or by year (ar). -#}
{% macro ombyggs(kolumn, niva='period') -%}
    {%- set perioder -%}
        select distinct period from {{ source('raw', 'utfall') }}
        where load_id > {{ byggd_till_load_id() }}
    {%- endset -%}
    {%- if niva == 'period' -%}
        {{ kolumn }} in ({{ perioder }})
    {%- else -%}
        ({{ byggd_till_load_id() }} = -1
        or {{ kolumn }} in (select distinct cast(left(period, 4) as integer) from ({{ perioder }})))
    {%- endif -%}
{%- endmacro %}

{#- pre_hook of each incremental model: when everything is rebuilt, first empty the table, so a
    period or year that no longer exists (a budget year withdrawn) does not stay behind. -#}
{% macro tom_vid_full_ombyggnad() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ byggd_till_load_id() }} = -1
    {%- endif -%}
{%- endmacro %}

{#- The code version the refresh runs (pipelines/defs/warehouse/dbt.py sets it; empty outside a
    refresh, as in the tests' own dbt runs). -#}
{% macro kodversion() -%}
    '{{ env_var("STYRHJUL_KODVERSION", "") }}'
{%- endmacro %}
