{#
    Text of a nested field of a JSON column, addressed by a dotted path such as
    'data.activity_id' (NULL when any step is missing, is JSON null, or is not an object).
    Non-string values come back as their JSON text (numbers, booleans, arrays, objects).
#}
{% macro json_path_text(column, path) -%}
    {{ return(adapter.dispatch('json_path_text', 'event_assets')(column, path)) }}
{%- endmacro %}

{% macro default__json_path_text(column, path) -%}
    json_extract_path_text({{ column }}, '{{ path.split(".") | join("', '") }}')
{%- endmacro %}

{% macro duckdb__json_path_text(column, path) -%}
    json_extract_string({{ column }}, '$.{{ path }}')
{%- endmacro %}

{% macro spark__json_path_text(column, path) -%}
    get_json_object({{ column }}, '$.{{ path }}')
{%- endmacro %}


{#
    True when the JSON array of strings at the dotted `path` of a JSON (or JSON text) column
    contains the text `value_expr` (a SQL expression); an empty path means the column itself is
    the array. False when the array is empty; NULL when the column or the array is missing.
#}
{% macro json_array_contains_text(column, path, value_expr) -%}
    {{ return(adapter.dispatch('json_array_contains_text', 'event_assets')(
        column, path, value_expr
    )) }}
{%- endmacro %}

{% macro json_array_path_selector(path) -%}
    ${{ '.' ~ path if path else '' }}
{%- endmacro %}

{% macro default__json_array_contains_text(column, path, value_expr) -%}
    {#- textual fallback: the quoted value occurs in the array's JSON text -#}
    {%- set array_text = json_path_text(column, path) if path
        else 'cast(' ~ column ~ ' as ' ~ dbt.type_string() ~ ')' -%}
    (position({{ dbt.concat(["'\"'", value_expr, "'\"'"]) }} in {{ array_text }}) > 0)
{%- endmacro %}

{% macro duckdb__json_array_contains_text(column, path, value_expr) -%}
    list_contains(
        json_extract_string({{ column }}, '{{ json_array_path_selector(path) }}[*]'), {{ value_expr }}
    )
{%- endmacro %}

{% macro spark__json_array_contains_text(column, path, value_expr) -%}
    array_contains(
        from_json({{ json_path_text(column, path) if path else column }}, 'array<string>'),
        {{ value_expr }}
    )
{%- endmacro %}
