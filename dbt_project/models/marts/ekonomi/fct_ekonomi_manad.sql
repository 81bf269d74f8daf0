-- The ekonomi fact as published: int_ekonomi_manad is where it is computed, so intermediate
-- models build on it without reading a mart. Incremental by year like it
-- (macros/inkrementell.sql).
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='ar',
    on_schema_change='fail',
    pre_hook="{{ tom_vid_full_ombyggnad() }}",
) }}
-- What to recompute is read from these (macros/inkrementell.sql):
-- depends_on: {{ source('raw', 'utfall') }}
-- depends_on: {{ source('raw', 'leveranser') }}
-- depends_on: {{ source('raw', 'installningar') }}

select * from {{ ref('int_ekonomi_manad') }}  -- noqa: AM04
{% if is_incremental() -%}
    where {{ ombyggs('ar', 'ar') }}
{%- endif %}
