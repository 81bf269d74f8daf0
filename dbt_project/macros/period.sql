{#- A period 'YYYY-MM' as the first day of its month. -#}
{% macro period_datum(col) -%}
    cast({{ col }} || '-01' as date)
{%- endmacro %}
