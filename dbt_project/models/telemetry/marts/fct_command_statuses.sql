-- Contract table: one row per command with what the hub did about it (its CommandActive and
-- CommandResult; none: no answer, `is_hub_success` false; see int_telemetry__command_readings).
-- `username` is the user's current name, NULL for a command without a user or whose user has
-- no record. Times between events are by DateCreated, in fractional seconds.
-- A view over the incremental int_telemetry__command_readings: a run writes only the commands
-- it changed, and a rename shows in every command of the user without rewriting them.

{{ config(materialized='view') }}

select
    commands.command_uuid,
    commands.device_id,
    commands.command,
    commands.command_client,
    commands.user_id,
    commands.command_origin,
    commands.command_origin_id,
    commands.thermostat_mode,
    commands.thermostat_heat_set_point,
    commands.thermostat_cool_set_point,
    commands.slot,
    commands.pin,
    commands.switch_state,
    commands.lock_state,
    commands.dimmer_state,
    commands.dimmer_level,
    commands._raw_command_desired_state,
    commands.update_timestamp,
    commands.event_timestamp,
    commands._source_file,
    users.username,
    commands.command_timestamp,
    commands.active_timestamp,
    commands.command_active_node_id,
    commands.command_result_node_id,
    commands.has_hub_response,
    commands.is_hub_success,
    commands.failure_string,
    commands.command_update_timestamp,
    commands.active_update_timestamp,
    commands.result_update_timestamp,
    commands.seconds_to_result
from {{ ref('int_telemetry__command_readings') }} as commands
left join {{ ref('dim_users') }} as users
    on commands.user_id = users.user_id
