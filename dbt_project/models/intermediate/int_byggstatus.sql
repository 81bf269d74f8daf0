-- What the incremental models were built from (macros/inkrementell.sql): the highest load_id,
-- the grund (every other delivery and the settings) and the code version. Built after them
-- (depends_on below), so the next build reads the state this one left.
-- depends_on: {{ ref('int_utfall_rader') }}
-- depends_on: {{ ref('int_budget_manad') }}
-- depends_on: {{ ref('int_ekonomi_manad') }}
-- depends_on: {{ ref('fct_ekonomi_manad') }}
select
    {{ byggets_grund() }} as grund,
    (select max(load_id) from {{ source('raw', 'leveranser') }}) as senaste_load_id,
    {{ kodversion() }} as kodversion
