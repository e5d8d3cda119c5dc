{#
    An aggregate: the list of structs with the named `fields` (field name -> SQL expression) of
    the group's rows where `present` holds, ordered by the expression `order_by`; an empty list
    (not NULL) when no row of the group qualifies. DuckDB aggregates an ordered list directly;
    Spark's collect_list has no order, so its structs are sorted with the ordering key as their
    first field, which is then dropped.
#}
{% macro ordered_struct_list(fields, order_by, present) -%}
    {{ return(adapter.dispatch('ordered_struct_list', 'event_assets')(fields, order_by, present)) }}
{%- endmacro %}

{% macro default__ordered_struct_list(fields, order_by, present) -%}
    coalesce(array_agg(row(
        {%- for name, expression in fields.items() %}{{ expression }}{{ ", " if not loop.last }}{% endfor -%}
    ) order by {{ order_by }}) filter (where {{ present }}), array[]::record[])
{%- endmacro %}

{% macro duckdb__ordered_struct_list(fields, order_by, present) -%}
    coalesce(list(struct_pack(
        {%- for name, expression in fields.items() %}{{ name }} := {{ expression }}{{ ", " if not loop.last }}{% endfor -%}
    ) order by {{ order_by }}) filter (where {{ present }}), [])
{%- endmacro %}

{% macro spark__ordered_struct_list(fields, order_by, present) -%}
    transform(
        sort_array(collect_list(case when {{ present }} then named_struct(
            '_order', {{ order_by }}
            {%- for name, expression in fields.items() %}, '{{ name }}', {{ expression }}{% endfor -%}
        ) end)),
        s -> named_struct(
            {%- for name in fields %}'{{ name }}', s.{{ name }}{{ ", " if not loop.last }}{% endfor -%}
        )
    )
{%- endmacro %}
