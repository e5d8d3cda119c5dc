-- Contract table: one row per command (every fct_command_statuses column) with the same
-- device's readings whose DateCreated is after the command's and at most 15 s later
-- (0 < delta <= 15 s), whether one of them shows the state the command asked for, and whether
-- another command went to the device at most 15 s before or after (its readings may be the
-- ones listed). Computed incrementally in int_telemetry__command_readings; the user's current
-- name is added here.

{{ config(materialized='view') }}

select
    statuses.*,
    commands.readings,
    commands.previous_command_within_15s,
    commands.next_command_within_15s,
    commands.matching_item_key,
    commands.has_matching_reading,
    commands.seconds_to_matching_reading
from {{ ref('fct_command_statuses') }} as statuses
inner join {{ ref('int_telemetry__command_readings') }} as commands
    on statuses.command_uuid = commands.command_uuid
