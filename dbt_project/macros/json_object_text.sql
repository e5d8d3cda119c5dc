{#
    The JSON object at the top-level `field` of a JSON column as JSON text, whether it was sent
    as an object or as a string holding an object's JSON (sync services do both); NULL when it
    is missing, JSON null, or neither (a number, a string that is no JSON, an array).
#}
{% macro json_object_text(column, field) -%}
    {{ return(adapter.dispatch('json_object_text', 'event_assets')(column, field)) }}
{%- endmacro %}

{% macro default__json_object_text(column, field) -%}
    case
        when json_typeof(({{ column }})::json -> '{{ field }}') = 'object'
            then (({{ column }})::json -> '{{ field }}')::text
        when json_typeof(({{ column }})::json -> '{{ field }}') = 'string'
            and left(trim(({{ column }})::json ->> '{{ field }}'), 1) = '{'
            then ({{ column }})::json ->> '{{ field }}'
    end
{%- endmacro %}

{% macro duckdb__json_object_text(column, field) -%}
    case json_type({{ column }}, '$.{{ field }}')
        when 'OBJECT' then cast(json_extract({{ column }}, '$.{{ field }}') as varchar)
        when 'VARCHAR' then case
            when json_type(try_cast(json_extract_string({{ column }}, '$.{{ field }}') as json))
                = 'OBJECT'
                then cast(try_cast(json_extract_string({{ column }}, '$.{{ field }}') as json)
                    as varchar)
        end
    end
{%- endmacro %}

{% macro spark__json_object_text(column, field) -%}
    {#- get_json_object gives an object's JSON text and a string's content alike -#}
    case
        when substring(trim(get_json_object({{ column }}, '$.{{ field }}')), 1, 1) = '{'
            and json_object_keys(get_json_object({{ column }}, '$.{{ field }}')) is not null
            then get_json_object({{ column }}, '$.{{ field }}')
    end
{%- endmacro %}
