-- Commands per username and UTC day of their DateCreated, with every day between a username's
-- first and last command day (0 on days without commands). Commands whose user has no record
-- (or none is named) count under `unknown`.

with

commands as (
    select
        coalesce(username, 'unknown') as username,
        cast(command_update_timestamp as date) as timestamp_date,
        has_hub_response,
        is_hub_success
    from {{ ref('fct_command_statuses') }}
),

daily_counts as (
    select
        username,
        timestamp_date,
        count(*) as number_of_commands,
        -- counts, not sums: a sum of integers is a 128-bit integer in DuckDB
        count(case when is_hub_success then 1 end) as number_of_successful_commands,
        count(case when has_hub_response and not is_hub_success then 1 end)
            as number_of_failed_commands,
        count(case when not has_hub_response then 1 end) as number_without_response
    from commands
    group by username, timestamp_date
),

username_days as (
    select
        username,
        {{ day_series('min(timestamp_date)', 'max(timestamp_date)') }} as timestamp_date
    from daily_counts
    group by username
)

select
    username_days.username,
    username_days.timestamp_date,
    coalesce(daily_counts.number_of_commands, 0) as number_of_commands,
    coalesce(daily_counts.number_of_successful_commands, 0) as number_of_successful_commands,
    coalesce(daily_counts.number_of_failed_commands, 0) as number_of_failed_commands,
    coalesce(daily_counts.number_without_response, 0) as number_without_response
from username_days
left join daily_counts
    on username_days.username = daily_counts.username
    and username_days.timestamp_date = daily_counts.timestamp_date
