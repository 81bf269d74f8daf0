{#- A period 'YYYY-MM' as the first day of its month. -#}
{% macro period_datum(col) -%}
    cast({{ col }} || '-01' as date)
{%- endmacro %}

{#- The month a ledger period counts in: the year-end closing entries (period 13, 'YYYY-13')
    count in December; any other period is itself (pipelines/lib/intake/bokslut.py). -#}
{% macro manadsperiod(col) -%}
    case when right({{ col }}, 2) = '13' then left({{ col }}, 4) || '-12' else {{ col }} end
{%- endmacro %}
