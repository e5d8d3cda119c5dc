{# 64-bit floating point type (dbt.type_float() is 32-bit on some engines, e.g. DuckDB). #}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'event_assets')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro duckdb__type_double() -%}
    double
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}
