-- One row per command with what the hub did about it: its CommandActive (the hub's
-- `timestamp` is `active_timestamp`) and its CommandResult (success or failure; none: no
-- answer, `is_hub_success` false). `username` is NULL for a command without a user or whose
-- user has no record. Times between events are by DateCreated, in fractional seconds.

with

commands as (
    select * from {{ ref('stg_commands') }}
),

actives as (
    select * from {{ ref('stg_command_actives') }}
),

results as (
    select * from {{ ref('stg_command_results') }}
),

users as (
    select * from {{ ref('dim_users') }}
)

select
    commands.*,
    users.username,
    commands.event_timestamp as command_timestamp,
    actives.event_timestamp as active_timestamp,
    actives.command_node_id as command_active_node_id,
    results.command_node_id as command_result_node_id,
    results.command_uuid is not null as has_hub_response,
    coalesce(results.is_hub_success, false) as is_hub_success,
    results.command_failure_string as failure_string,
    commands.update_timestamp as command_update_timestamp,
    actives.update_timestamp as active_update_timestamp,
    results.update_timestamp as result_update_timestamp,
    {{ round_measure(seconds_between('commands.update_timestamp', 'results.update_timestamp')) }}
        as seconds_to_result
from commands
left join actives
    on commands.command_uuid = actives.command_uuid
left join results
    on commands.command_uuid = results.command_uuid
left join users
    on commands.user_id = users.user_id
