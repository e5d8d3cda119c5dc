{# Median (interpolated, 50th percentile) of a numeric column; NULLs are ignored. #}
{% macro median(column) -%}
    {{ return(adapter.dispatch('median', 'event_assets')(column)) }}
{%- endmacro %}

{% macro default__median(column) -%}
    percentile_cont(0.5) within group (order by {{ column }})
{%- endmacro %}

{% macro duckdb__median(column) -%}
    median({{ column }})
{%- endmacro %}

{% macro spark__median(column) -%}
    percentile({{ column }}, 0.5)
{%- endmacro %}
