{#
    Text of one top-level field of a JSON object column (NULL when the field is missing, is
    JSON null, or the column is not an object). Non-string values come back as their JSON text.
#}
{% macro json_field(column, field) -%}
    {{ return(adapter.dispatch('json_field', 'event_assets')(column, field)) }}
{%- endmacro %}

{% macro default__json_field(column, field) -%}
    json_extract_path_text({{ column }}, '{{ field }}')
{%- endmacro %}

{% macro duckdb__json_field(column, field) -%}
    json_extract_string({{ column }}, '$.{{ field }}')
{%- endmacro %}

{% macro spark__json_field(column, field) -%}
    get_json_object({{ column }}, '$.{{ field }}')
{%- endmacro %}


{# True when the JSON column holds an object (not an array, scalar or JSON null). #}
{% macro json_is_object(column) -%}
    {{ return(adapter.dispatch('json_is_object', 'event_assets')(column)) }}
{%- endmacro %}

{% macro default__json_is_object(column) -%}
    (substring(trim(cast({{ column }} as {{ dbt.type_string() }})), 1, 1) = '{')
{%- endmacro %}

{% macro duckdb__json_is_object(column) -%}
    (json_type({{ column }}) = 'OBJECT')
{%- endmacro %}

{% macro spark__json_is_object(column) -%}
    (substring(trim({{ column }}), 1, 1) = '{' and json_object_keys({{ column }}) is not null)
{%- endmacro %}


{# True when the JSON object column has `field` as a string (not a number, NaN, object, null). #}
{% macro json_field_is_string(column, field) -%}
    {{ return(adapter.dispatch('json_field_is_string', 'event_assets')(column, field)) }}
{%- endmacro %}

{% macro default__json_field_is_string(column, field) -%}
    (json_typeof(({{ column }})::json -> '{{ field }}') = 'string')
{%- endmacro %}

{% macro duckdb__json_field_is_string(column, field) -%}
    (json_type({{ column }}, '$.{{ field }}') = 'VARCHAR')
{%- endmacro %}

{% macro spark__json_field_is_string(column, field) -%}
    ({{ column }} rlike concat('"{{ field }}"\\s*:\\s*"'))
{%- endmacro %}

{#
    json_field for several fields of the same column: a dict field -> SQL expression, each
    giving exactly what json_field gives. Use them in one select list:
        {% set event = json_fields('record', ['user_id', 'event_time']) %}
        select {{ event.user_id }} as user_id, {{ event.event_time }} as event_time_text
    On DuckDB every expression is an element of one multi-path extraction, which DuckDB's
    common-subexpression elimination runs once per row: the JSON is parsed once instead of once
    per field (6 fields of 10 M web events: 2.4 s instead of 4.9 s).
#}
{% macro json_fields(column, fields) -%}
    {{ return(adapter.dispatch('json_fields', 'event_assets')(column, fields)) }}
{%- endmacro %}

{% macro default__json_fields(column, fields) -%}
    {%- set expressions = {} -%}
    {%- for field in fields -%}
        {%- do expressions.update({field: json_field(column, field)}) -%}
    {%- endfor -%}
    {{ return(expressions) }}
{%- endmacro %}

{% macro duckdb__json_fields(column, fields) -%}
    {%- set paths -%}
        [{% for field in fields %}'$.{{ field }}'{{ ", " if not loop.last }}{% endfor %}]
    {%- endset -%}
    {%- set expressions = {} -%}
    {%- for field in fields -%}
        {%- do expressions.update(
            {field: "json_extract_string(" ~ column ~ ", " ~ paths ~ ")[" ~ loop.index ~ "]"}
        ) -%}
    {%- endfor -%}
    {{ return(expressions) }}
{%- endmacro %}
