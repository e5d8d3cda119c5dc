{#
    A set-returning select expression: one row per UTC day from the date `first_day` to the date
    `last_day`, both included, as a date (use as `select key, {{ day_series(a, b) }} as day
    from ...`). dbt.date_spine needs dbt_utils, which the project does without.
#}
{% macro day_series(first_day, last_day) -%}
    {{ return(adapter.dispatch('day_series', 'event_assets')(first_day, last_day)) }}
{%- endmacro %}

{% macro default__day_series(first_day, last_day) -%}
    cast(generate_series(
        cast({{ first_day }} as timestamp), cast({{ last_day }} as timestamp), interval '1 day'
    ) as date)
{%- endmacro %}

{% macro duckdb__day_series(first_day, last_day) -%}
    cast(unnest(generate_series(
        cast({{ first_day }} as date), cast({{ last_day }} as date), interval 1 day
    )) as date)
{%- endmacro %}

{% macro spark__day_series(first_day, last_day) -%}
    explode(sequence(cast({{ first_day }} as date), cast({{ last_day }} as date), interval 1 day))
{%- endmacro %}
