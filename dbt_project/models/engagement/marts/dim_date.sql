-- Contract table: one row per day from the first to the last day with a valid event (today
-- alone when there is none yet), with its ISO week, month, quarter, year and weekday.

{#- date_spine asks the warehouse for the number of days when the model is compiled -#}
{%- set events_relation = ref('int_engagement__events_with_status') -%}
{%- set today = 'cast(' ~ dbt.current_timestamp() ~ ' as date)' -%}
{%- set first_day -%}
    coalesce((select min(event_date) from {{ events_relation }}), {{ today }})
{%- endset -%}
{%- set last_day -%}
    coalesce((select max(event_date) from {{ events_relation }}), {{ today }})
{%- endset %}

with

spine as (
    -- date_spine stops before its end: end one day after the last day
    {{ dbt.date_spine('day', first_day, dbt.dateadd('day', 1, last_day)) }}
),

days as (
    select cast(date_day as date) as calendar_date
    from spine
),

calendar_parts as (
    select
        calendar_date,
        {{ iso_year('calendar_date') }} as iso_year,
        {{ iso_week_number('calendar_date') }} as iso_week,
        {{ iso_week_start('calendar_date') }} as week_start,
        cast({{ dbt.date_trunc('month', 'calendar_date') }} as date) as month_start,
        cast(extract(month from calendar_date) as {{ dbt.type_int() }}) as month,
        cast(extract(quarter from calendar_date) as {{ dbt.type_int() }}) as quarter,
        cast(extract(year from calendar_date) as {{ dbt.type_int() }}) as year,
        {{ iso_day_of_week('calendar_date') }} as day_of_week
    from days
)

select
    cast(calendar_date as date) as date,
    cast(iso_year as {{ dbt.type_int() }}) as iso_year,
    cast(iso_week as {{ dbt.type_int() }}) as iso_week,
    cast(week_start as date) as week_start,
    cast(month_start as date) as month_start,
    cast(month as {{ dbt.type_int() }}) as month,
    cast(quarter as {{ dbt.type_int() }}) as quarter,
    cast(year as {{ dbt.type_int() }}) as year,
    cast(day_of_week as {{ dbt.type_int() }}) as day_of_week,
    cast(
        case day_of_week
            when 1 then 'Monday'
            when 2 then 'Tuesday'
            when 3 then 'Wednesday'
            when 4 then 'Thursday'
            when 5 then 'Friday'
            when 6 then 'Saturday'
            when 7 then 'Sunday'
        end as {{ dbt.type_string() }}
    ) as weekday_name,
    cast(day_of_week >= 6 as {{ dbt.type_boolean() }}) as is_weekend
from calendar_parts
