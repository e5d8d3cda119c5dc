{#
    Cast that yields NULL instead of failing when the value does not convert (e.g. the text
    'long' to a double). dbt.safe_cast is a plain cast on DuckDB (dbt-duckdb does not override
    it), which aborts the whole query on the first bad value.
#}
{% macro try_cast(field, type) -%}
    {{ return(adapter.dispatch('try_cast', 'event_assets')(field, type)) }}
{%- endmacro %}

{% macro default__try_cast(field, type) -%}
    {{ dbt.safe_cast(field, type) }}
{%- endmacro %}

{% macro duckdb__try_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

{% macro spark__try_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
