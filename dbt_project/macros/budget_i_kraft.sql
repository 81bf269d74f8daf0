{#- The join of budget rows (int_budget_rader, int_budget_manad) to the version in force
    (int_budget_i_kraft): the same year, version, date in force and nämnd. Written once, since
    every budget figure depends on it. -#}
{% macro i_kraft(budget, i_kraft) -%}
    {{ budget }}.ar = {{ i_kraft }}.ar
    and {{ budget }}.version = {{ i_kraft }}.version
    and {{ budget }}.galler_fran = {{ i_kraft }}.galler_fran
    and {{ budget }}.budget_namnd is not distinct from {{ i_kraft }}.budget_namnd
{%- endmacro %}
