{#
    Several top-level fields of a JSON object column, parsed once, as a struct whose members are
    named like the fields: `fields` maps each field name to 'text' (its text, as json_field gives
    it: a string's content, any other value's JSON text) or 'json' (its JSON value, for reading
    further with json_path_text). A row whose column is no object gives NULL members.
    One parse per row instead of one per field: on 1 M Twilio Sync events, 14 envelope fields
    cost 19 s field by field and 4.5 s this way.
#}
{% macro json_object_fields(column, fields) -%}
    {{ return(adapter.dispatch('json_object_fields', 'event_assets')(column, fields)) }}
{%- endmacro %}

{% macro default__json_object_fields(column, fields) -%}
    {{ exceptions.raise_compiler_error(
        "json_object_fields has no implementation for " ~ target.type ~ ": add one (a struct "
        ~ "of the fields) in macros/json_object_fields.sql"
    ) }}
{%- endmacro %}

{% macro duckdb__json_object_fields(column, fields) -%}
    json_transform({{ column }}, '{
        {%- for name, kind in fields.items() -%}
            "{{ name }}": "{{ 'JSON' if kind == 'json' else 'VARCHAR' }}"{{ ", " if not loop.last }}
        {%- endfor -%}
    }')
{%- endmacro %}

{% macro spark__json_object_fields(column, fields) -%}
    {#- a STRING member holds a nested value's JSON text, which get_json_object reads further -#}
    from_json({{ column }}, '
        {%- for name in fields %}`{{ name }}` STRING{{ ", " if not loop.last }}{% endfor -%}
    ')
{%- endmacro %}
