-- Contract table: one row per command (`command_uuid`): the valid Command sync events
-- (duplicates removed, the earliest DateCreated kept), desired_state taken apart by command
-- (stg_telemetry__sync_events parses it). A view over the incremental classification: a run
-- rewrites only the items it re-classified.

{{ config(materialized='view') }}

select
    item_id as command_uuid,
    device_id,
    command,
    command_client,
    user_id,
    command_origin,
    command_origin_id,
    thermostat_mode,
    thermostat_heat_set_point,
    thermostat_cool_set_point,
    slot,
    pin,
    switch_state,
    lock_state,
    dimmer_state,
    dimmer_level,
    _raw_command_desired_state,
    update_timestamp,
    event_timestamp,
    _source_file
from {{ ref('int_telemetry__sync_events_classified') }}
where status = 'valid' and item_key = 'Command'
