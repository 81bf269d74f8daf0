{#- A mart published from a table Python wrote (the forecasts): the model's contract columns,
    cast to their declared types. Until the table exists (a forecast skips while its input has
    not been delivered) the mart is empty but has the same columns, so the build never fails on
    a forecast that had nothing to work on. -#}
{% macro publicera(kalla) -%}
    {%- set finns = execute and adapter.get_relation(
        database=kalla.database, schema=kalla.schema, identifier=kalla.identifier
    ) is not none -%}
select
{%- for kolumn in model.columns.values() %}
    cast({{ kolumn.name if finns else 'null' }} as {{ kolumn.data_type }}) as {{ kolumn.name }}
    {{- "," if not loop.last }}
{%- endfor %}
{% if finns %}from {{ kalla }}{% else %}where false{% endif %}
{%- endmacro %}
