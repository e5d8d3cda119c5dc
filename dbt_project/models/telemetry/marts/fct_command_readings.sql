-- One row per command (every fct_command_statuses column) with the same device's readings
-- whose DateCreated is after the command's and at most 15 s later (0 < delta <= 15 s), and
-- whether one of them shows the state the command asked for.
-- The window is a range join on (device, time): each command meets only its device's readings
-- of the next 15 s, never every reading of the device. Neighbouring commands (another command
-- to the device at most 15 s before or after, whose readings may be the ones listed) come from
-- the previous and next command of the device in time order: no join at all.

{%- set window_seconds = 15 %}
{#- every column of fct_command_statuses, in its order -#}
{%- set status_columns = [
    'command_uuid', 'device_id', 'command', 'command_client', 'user_id', 'command_origin',
    'command_origin_id', 'thermostat_mode', 'thermostat_heat_set_point',
    'thermostat_cool_set_point', 'slot', 'pin', 'switch_state', 'lock_state', 'dimmer_state',
    'dimmer_level', '_raw_command_desired_state', 'update_timestamp', 'event_timestamp',
    '_source_file', 'username', 'command_timestamp', 'active_timestamp',
    'command_active_node_id', 'command_result_node_id', 'has_hub_response', 'is_hub_success',
    'failure_string', 'command_update_timestamp', 'active_update_timestamp',
    'result_update_timestamp', 'seconds_to_result',
] %}

with

commands as (
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
    from {{ ref('fct_command_statuses') }}
),

readings as (
    select * from {{ ref('stg_readings') }}
),

neighbours as (
    select
        command_uuid,
        lag(command_update_timestamp) over device_order as previous_command_timestamp,
        lead(command_update_timestamp) over device_order as next_command_timestamp
    from commands
    window device_order as (partition by device_id order by command_update_timestamp, command_uuid)
),

window_readings as (
    select
        commands.command_uuid,
        commands.command_update_timestamp,
        readings.reading_uuid,
        readings.item_key,
        readings.state,
        readings.update_timestamp,
        readings.item_key = commands.matching_item_key
            and (
                readings.state = commands.desired_reading_state
                or abs(readings.state_value - commands.desired_set_point) <= 0.5
            ) as is_matching
    from commands
    inner join readings
        on readings.device_id = commands.device_id
        and readings.update_timestamp > commands.command_update_timestamp
        and readings.update_timestamp
            <= {{ dbt.dateadd('second', window_seconds, 'commands.command_update_timestamp') }}
),

listed_readings as (
    select
        commands.command_uuid,
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
    from commands
    left join window_readings
        on commands.command_uuid = window_readings.command_uuid
    group by commands.command_uuid
)

select
    {%- for column in status_columns %}
    commands.{{ column }},
    {%- endfor %}
    listed_readings.readings,
    coalesce(
        neighbours.previous_command_timestamp >= {{ dbt.dateadd(
            'second', -window_seconds, 'commands.command_update_timestamp'
        ) }},
        false
    ) as previous_command_within_15s,
    coalesce(
        neighbours.next_command_timestamp <= {{ dbt.dateadd(
            'second', window_seconds, 'commands.command_update_timestamp'
        ) }},
        false
    ) as next_command_within_15s,
    commands.matching_item_key,
    listed_readings.matching_reading_timestamp is not null as has_matching_reading,
    {{ round_measure(seconds_between(
        'commands.command_update_timestamp', 'listed_readings.matching_reading_timestamp'
    )) }} as seconds_to_matching_reading
from commands
inner join neighbours
    on commands.command_uuid = neighbours.command_uuid
inner join listed_readings
    on commands.command_uuid = listed_readings.command_uuid
