-- Contract table `dim_date` (model webshop__dim_date: engagement has a dim_date too): one row
-- per day from the first to the last day an order was placed or changed or a session happened
-- (today alone when there is none yet), with its ISO week (weeks start on Monday; 2024-12-30 is
-- in ISO week 1 of 2025), month, quarter and year.

{%- set today = 'cast(' ~ dbt.current_timestamp() ~ ' as date)' %}

with

business_days as (
    select cast(placed_at as date) as day from {{ ref('fct_orders') }}
    union all
    select cast(changed_at as date) from {{ ref('fct_order_status_changes') }}
    union all
    select cast(started_at as date) from {{ ref('fct_sessions') }}
    union all
    select cast(ended_at as date) from {{ ref('fct_sessions') }}
),

bounds as (
    select
        coalesce(min(day), {{ today }}) as first_day,
        coalesce(max(day), {{ today }}) as last_day
    from business_days
),

days as (
    select {{ day_series('first_day', 'last_day') }} as calendar_date
    from bounds
)

select
    calendar_date as date,
    {{ iso_year('calendar_date') }} as iso_year,
    {{ iso_week_number('calendar_date') }} as iso_week,
    {{ iso_week_start('calendar_date') }} as week_start,
    cast({{ dbt.date_trunc('month', 'calendar_date') }} as date) as month_start,
    cast(extract(month from calendar_date) as {{ dbt.type_int() }}) as month,
    cast(extract(quarter from calendar_date) as {{ dbt.type_int() }}) as quarter,
    cast(extract(year from calendar_date) as {{ dbt.type_int() }}) as year,
    {{ iso_day_of_week('calendar_date') }} as day_of_week,
    {{ iso_day_of_week('calendar_date') }} >= 6 as is_weekend
from days
