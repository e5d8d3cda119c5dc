{# True when a lower-cased text column is a canonical UUID (8-4-4-4-12 hex digits). #}
{% macro matches_uuid(column) -%}
    {{ return(adapter.dispatch('matches_uuid', 'event_assets')(column)) }}
{%- endmacro %}

{% macro uuid_pattern() -%}
    ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$
{%- endmacro %}

{% macro default__matches_uuid(column) -%}
    regexp_like({{ column }}, '{{ uuid_pattern() }}')
{%- endmacro %}

{% macro duckdb__matches_uuid(column) -%}
    regexp_matches({{ column }}, '{{ uuid_pattern() }}')
{%- endmacro %}

{% macro spark__matches_uuid(column) -%}
    ({{ column }} rlike '{{ uuid_pattern() }}')
{%- endmacro %}
