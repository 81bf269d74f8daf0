{#- Rows are unique over a combination of columns (the grain). Written here rather than taken
    from dbt_utils so the project needs no package download. -#}
{% test unik_kombination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as antal
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
