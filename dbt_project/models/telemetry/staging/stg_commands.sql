-- One row per command (`command_uuid`): the valid Command sync events (duplicates removed, the
-- earliest DateCreated kept), desired_state taken apart by command. Values are kept as sent
-- (`settocool`, `Multilevel On`); slot and pin are text (`"0420"` keeps its zero), NULL for
-- the string "None"; a setpoint sent as a numeric string is a number.

with

commands as (
    select * from {{ ref('int_telemetry__sync_events_classified') }}
    where status = 'valid' and item_key = 'Command'
),

desired_states as (
    select
        *,
        {{ json_path_text('item_data', 'desired_state[0]') }} as command,
        {{ json_path_text('item_data', 'desired_state[1]') }} as first_argument,
        {{ json_path_text('item_data', 'desired_state[2]') }} as second_argument
    from commands
)

select
    item_id as command_uuid,
    device_id,
    command,
    nullif(trim({{ json_field('item_data', 'client') }}), '') as command_client,
    -- a number or a string: the same text either way
    nullif(trim({{ json_field('item_data', 'user') }}), '') as user_id,
    {{ json_field('item_data', 'origin') }} as command_origin,
    {{ json_field('item_data', 'origin_id') }} as command_origin_id,
    case when command = 'ThermostatMode' then first_argument end as thermostat_mode,
    case
        when command = 'ThermostatHeatSetPoint'
            then {{ try_cast('trim(first_argument)', type_double()) }}
    end as thermostat_heat_set_point,
    case
        when command = 'ThermostatCoolSetPoint'
            then {{ try_cast('trim(first_argument)', type_double()) }}
    end as thermostat_cool_set_point,
    case when command = 'PinAssignment' and first_argument <> 'None' then first_argument end
        as slot,
    case when command = 'PinAssignment' and second_argument <> 'None' then second_argument end
        as pin,
    case when command = 'SwitchState' then first_argument end as switch_state,
    case when command = 'LockedState' then first_argument end as lock_state,
    case when command = 'DimmerState' then first_argument end as dimmer_state,
    case
        when command = 'DimmerState'
            then {{ try_cast('trim(second_argument)', type_double()) }}
    end as dimmer_level,
    {{ json_field('item_data', 'desired_state') }} as _raw_command_desired_state,
    update_timestamp,
    event_timestamp,
    _source_file
from desired_states
