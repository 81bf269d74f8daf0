{#- One setting from the workspace's config (raw.installningar), as a scalar SQL expression. -#}
{% macro installning(parameter, typ='double') -%}
    (select try_cast(varde as {{ typ }}) from {{ ref('stg_styrhjul__installningar') }} where parameter = '{{ parameter }}')
{%- endmacro %}
