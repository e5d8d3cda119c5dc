-- One row per command: what the hub did about it (its CommandActive, whose `timestamp` is
-- `active_timestamp`, and its CommandResult: success or failure; none: no answer,
-- `is_hub_success` false), the same device's readings whose DateCreated is after the command's
-- and at most 15 s later (0 < delta <= 15 s), whether one of them shows the state the command
-- asked for, and whether another command went to the device at most 15 s before or after (its
-- readings may be the ones listed). The contract views fct_command_statuses and
-- fct_command_readings add the user's current name, so a rename rewrites no command.
--
-- The 15-second windows are equi-joins on (device, 15-second bucket) plus the exact range
-- (macro time_bucket): a command meets only its device's readings and commands of the buckets
-- around it, never every row of its device.
--
-- Incremental: a command's row depends on its own Command, CommandActive and CommandResult and
-- on its device's readings and commands of the 15 s around it. A run rewrites the commands whose
-- items it (re)classified, and those within 15 s of any item it (re)classified on the same device
-- (every copy counts, so an earlier copy arriving late re-judges the old time and the new).
-- A full refresh computes every command with the same SQL.
-- depends_on: {{ ref('int_telemetry__sync_events_classified') }}  (read in the incremental branch only)

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='command_uuid',
    on_schema_change='fail'
) }}

{%- set window_seconds = 15 %}
{%- set shifts = [-1, 0, 1] %}

with

all_commands as (
    select
        *,
        {{ time_bucket('update_timestamp', window_seconds) }} as time_bucket
    from {{ ref('stg_commands') }}
),

{% if is_incremental() %}
changed_items as (
    select distinct
        item_id,
        item_kind,
        device_id,
        {{ time_bucket('update_timestamp', window_seconds) }} as time_bucket
    from {{ ref('int_telemetry__sync_events_classified') }}
    where {{ newer_than_stored('classified_at') }}
        and status <> 'rejected'
),

changed_buckets as (
    -- the buckets whose commands can have an item of the run within 15 s
    {%- for shift in shifts %}
    select device_id, time_bucket + {{ shift }} as time_bucket from changed_items
    {{ "union" if not loop.last }}
    {%- endfor %}
),

affected_commands as (
    select item_id as command_uuid
    from changed_items
    where item_kind = 'command'

    union

    select all_commands.command_uuid
    from all_commands
    inner join changed_buckets
        on all_commands.device_id = changed_buckets.device_id
        and all_commands.time_bucket = changed_buckets.time_bucket
),

commands as (
    select *
    from all_commands
    where command_uuid in (select command_uuid from affected_commands)
),
{% else %}
commands as (
    select * from all_commands
),
{% endif %}

desired_commands as (
    select
        *,
        case command
            when 'SwitchState' then 'Switch'
            when 'LockedState' then 'DoorLocked'
            when 'DimmerState' then 'Dimmer'
            when 'ThermostatMode' then 'ThermostatMode'
            when 'ThermostatHeatSetPoint' then 'ThermostatHeatSetpoint'
            when 'ThermostatCoolSetPoint' then 'ThermostatCoolSetpoint'
        end as matching_item_key,
        -- the reading state that shows the desired one (setpoints compare by value)
        case command
            when 'SwitchState' then lower(switch_state)
            when 'LockedState' then lower(lock_state)
            when 'DimmerState' then case lower(dimmer_state)
                when 'multilevel on' then 'on'
                when 'multilevel off' then 'off'
            end
            when 'ThermostatMode' then case lower(thermostat_mode)
                when 'settocool' then 'cool'
                when 'settoheat' then 'heat'
                else lower(thermostat_mode)
            end
        end as desired_reading_state,
        coalesce(thermostat_heat_set_point, thermostat_cool_set_point) as desired_set_point
    from commands
),

readings as (
    select
        *,
        {{ time_bucket('update_timestamp', window_seconds) }} as time_bucket
    from {{ ref('stg_readings') }}
),

reading_windows as (
    -- a window (t, t + 15 s] lies in the command's bucket and the next one
    {%- for shift in [0, 1] %}
    select
        command_uuid,
        device_id,
        update_timestamp,
        matching_item_key,
        desired_reading_state,
        desired_set_point,
        time_bucket + {{ shift }} as window_bucket
    from desired_commands
    {{ "union all" if not loop.last }}
    {%- endfor %}
),

window_readings as (
    select
        reading_windows.command_uuid,
        readings.reading_uuid,
        readings.item_key,
        readings.state,
        readings.update_timestamp,
        readings.item_key = reading_windows.matching_item_key
            and (
                readings.state = reading_windows.desired_reading_state
                or abs(readings.state_value - reading_windows.desired_set_point) <= 0.5
            ) as is_matching
    from reading_windows
    inner join readings
        on readings.device_id = reading_windows.device_id
        and readings.time_bucket = reading_windows.window_bucket
        and readings.update_timestamp > reading_windows.update_timestamp
        and readings.update_timestamp
            <= {{ dbt.dateadd('second', window_seconds, 'reading_windows.update_timestamp') }}
),

listed_readings as (
    select
        desired_commands.command_uuid,
        {{ ordered_struct_list(
            {
                'item_key': 'window_readings.item_key',
                'state': 'window_readings.state',
                'update_timestamp': 'window_readings.update_timestamp',
            },
            'window_readings.update_timestamp, window_readings.item_key, '
                ~ 'window_readings.reading_uuid',
            'window_readings.reading_uuid is not null',
        ) }} as readings,
        min(
            case when window_readings.is_matching then window_readings.update_timestamp end
        ) as matching_reading_timestamp
    from desired_commands
    left join window_readings
        on desired_commands.command_uuid = window_readings.command_uuid
    group by desired_commands.command_uuid
),

neighbour_windows as (
    -- the 15 s before and after a command lie in its bucket and the two around it
    {%- for shift in shifts %}
    select command_uuid, device_id, update_timestamp, time_bucket + {{ shift }} as window_bucket
    from commands
    {{ "union all" if not loop.last }}
    {%- endfor %}
),

neighbours as (
    -- another command to the device at most 15 s before / after (ties in time: by uuid)
    select
        neighbour_windows.command_uuid,
        count(case
            when others.update_timestamp < neighbour_windows.update_timestamp
                or (
                    others.update_timestamp = neighbour_windows.update_timestamp
                    and others.command_uuid < neighbour_windows.command_uuid
                )
                then 1
        end) > 0 as previous_command_within_15s,
        count(case
            when others.update_timestamp > neighbour_windows.update_timestamp
                or (
                    others.update_timestamp = neighbour_windows.update_timestamp
                    and others.command_uuid > neighbour_windows.command_uuid
                )
                then 1
        end) > 0 as next_command_within_15s
    from neighbour_windows
    inner join all_commands as others
        on others.device_id = neighbour_windows.device_id
        and others.time_bucket = neighbour_windows.window_bucket
        and others.command_uuid <> neighbour_windows.command_uuid
        and others.update_timestamp >= {{ dbt.dateadd(
            'second', -window_seconds, 'neighbour_windows.update_timestamp'
        ) }}
        and others.update_timestamp <= {{ dbt.dateadd(
            'second', window_seconds, 'neighbour_windows.update_timestamp'
        ) }}
    group by neighbour_windows.command_uuid
)

select
    desired_commands.command_uuid,
    desired_commands.device_id,
    desired_commands.command,
    desired_commands.command_client,
    desired_commands.user_id,
    desired_commands.command_origin,
    desired_commands.command_origin_id,
    desired_commands.thermostat_mode,
    desired_commands.thermostat_heat_set_point,
    desired_commands.thermostat_cool_set_point,
    desired_commands.slot,
    desired_commands.pin,
    desired_commands.switch_state,
    desired_commands.lock_state,
    desired_commands.dimmer_state,
    desired_commands.dimmer_level,
    desired_commands._raw_command_desired_state,
    desired_commands.update_timestamp,
    desired_commands.event_timestamp,
    desired_commands._source_file,
    desired_commands.event_timestamp as command_timestamp,
    actives.event_timestamp as active_timestamp,
    actives.command_node_id as command_active_node_id,
    results.command_node_id as command_result_node_id,
    results.command_uuid is not null as has_hub_response,
    coalesce(results.is_hub_success, false) as is_hub_success,
    results.command_failure_string as failure_string,
    desired_commands.update_timestamp as command_update_timestamp,
    actives.update_timestamp as active_update_timestamp,
    results.update_timestamp as result_update_timestamp,
    {{ round_measure(seconds_between(
        'desired_commands.update_timestamp', 'results.update_timestamp'
    )) }} as seconds_to_result,
    listed_readings.readings,
    coalesce(neighbours.previous_command_within_15s, false) as previous_command_within_15s,
    coalesce(neighbours.next_command_within_15s, false) as next_command_within_15s,
    desired_commands.matching_item_key,
    listed_readings.matching_reading_timestamp is not null as has_matching_reading,
    {{ round_measure(seconds_between(
        'desired_commands.update_timestamp', 'listed_readings.matching_reading_timestamp'
    )) }} as seconds_to_matching_reading,
    {{ run_started_timestamp() }} as classified_at
from desired_commands
inner join listed_readings
    on desired_commands.command_uuid = listed_readings.command_uuid
left join neighbours
    on desired_commands.command_uuid = neighbours.command_uuid
left join {{ ref('stg_command_actives') }} as actives
    on desired_commands.command_uuid = actives.command_uuid
left join {{ ref('stg_command_results') }} as results
    on desired_commands.command_uuid = results.command_uuid
