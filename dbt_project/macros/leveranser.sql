{#- The two replacement rules of deliveries (docs/contract.md), each written once.

    senaste_rad(keys): a row delivered again (same keys) replaces the earlier one; the latest
    delivery (load_id) wins, and within a file the later row.

    senaste_leverans(relation, keys): a delivery replaces a whole group (a period of the ledger,
    a budget year, a key's shares): the load_id of each group's latest delivery, to join on. -#}
{% macro senaste_rad(keys) -%}
    qualify row_number() over (
        partition by {{ keys | join(', ') }} order by load_id desc, source_row desc
    ) = 1
{%- endmacro %}

{% macro senaste_leverans(relation, keys) -%}
    select {{ keys | join(', ') }}, max(load_id) as load_id
    from {{ relation }}
    group by {{ keys | join(', ') }}
{%- endmacro %}
