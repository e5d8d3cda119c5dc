{#
    ISO-8601 calendar parts of a date expression: weeks start on Monday, week 1 is the week
    holding the year's first Thursday, so the days 2021-01-01..03 are in ISO year 2020, week 53,
    of the week starting Monday 2020-12-28.
#}

{# The Monday starting the ISO week of the date, as a date. #}
{% macro iso_week_start(date_expr) -%}
    {{ return(adapter.dispatch('iso_week_start', 'event_assets')(date_expr)) }}
{%- endmacro %}

{% macro default__iso_week_start(date_expr) -%}
    {#- date_trunc('week') starts weeks on Monday on DuckDB, Spark and Postgres -#}
    cast({{ dbt.date_trunc('week', date_expr) }} as date)
{%- endmacro %}


{# The ISO week number (1..53) of the date. #}
{% macro iso_week_number(date_expr) -%}
    {{ return(adapter.dispatch('iso_week_number', 'event_assets')(date_expr)) }}
{%- endmacro %}

{% macro default__iso_week_number(date_expr) -%}
    cast(extract(week from {{ date_expr }}) as {{ dbt.type_int() }})
{%- endmacro %}

{% macro duckdb__iso_week_number(date_expr) -%}
    cast(weekofyear({{ date_expr }}) as {{ dbt.type_int() }})
{%- endmacro %}

{% macro spark__iso_week_number(date_expr) -%}
    cast(weekofyear({{ date_expr }}) as int)
{%- endmacro %}


{# The ISO year the date's ISO week belongs to (differs from the calendar year near 1 January). #}
{% macro iso_year(date_expr) -%}
    {{ return(adapter.dispatch('iso_year', 'event_assets')(date_expr)) }}
{%- endmacro %}

{% macro default__iso_year(date_expr) -%}
    cast(extract(isoyear from {{ date_expr }}) as {{ dbt.type_int() }})
{%- endmacro %}

{% macro duckdb__iso_year(date_expr) -%}
    cast(isoyear({{ date_expr }}) as {{ dbt.type_int() }})
{%- endmacro %}

{% macro spark__iso_year(date_expr) -%}
    cast(extract(yearofweek from {{ date_expr }}) as int)
{%- endmacro %}


{# The ISO day of the week: 1 = Monday .. 7 = Sunday. #}
{% macro iso_day_of_week(date_expr) -%}
    {{ return(adapter.dispatch('iso_day_of_week', 'event_assets')(date_expr)) }}
{%- endmacro %}

{% macro default__iso_day_of_week(date_expr) -%}
    cast(extract(isodow from {{ date_expr }}) as {{ dbt.type_int() }})
{%- endmacro %}

{% macro duckdb__iso_day_of_week(date_expr) -%}
    cast(isodow({{ date_expr }}) as {{ dbt.type_int() }})
{%- endmacro %}

{% macro spark__iso_day_of_week(date_expr) -%}
    cast(extract(dayofweek_iso from {{ date_expr }}) as int)
{%- endmacro %}
