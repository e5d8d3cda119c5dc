{#
    Fractional seconds from timestamp `start` to timestamp `finish` (negative when `finish` is
    earlier), to the microsecond. dbt.datediff counts whole second boundaries, and DuckDB's
    epoch() is a double that turns 15.001 s into 15.000999927...: microseconds are exact.
#}
{% macro seconds_between(start, finish) -%}
    {{ return(adapter.dispatch('seconds_between', 'event_assets')(start, finish)) }}
{%- endmacro %}

{% macro default__seconds_between(start, finish) -%}
    (extract(epoch from {{ finish }}) - extract(epoch from {{ start }}))
{%- endmacro %}

{% macro duckdb__seconds_between(start, finish) -%}
    ((epoch_us({{ finish }}) - epoch_us({{ start }})) / 1000000.0)
{%- endmacro %}

{% macro spark__seconds_between(start, finish) -%}
    ((unix_micros({{ finish }}) - unix_micros({{ start }})) / 1000000.0)
{%- endmacro %}
