-- One row per reading (`reading_uuid` and `item_key`): the valid reading sync events
-- (duplicates removed, the earliest DateCreated kept), the state normalised to text a command's
-- desired value can be compared with: DoorLocked `locked`/`unlocked`; Switch, Dimmer lower-case
-- `on`/`off` (a Dimmer's percent in `state_value`); ThermostatMode and OperatingState lower case;
-- setpoints, Temperature, Humidity and BatteryLevel the number as sent (text) and as a double.

with

readings as (
    select
        *,
        lower(trim({{ json_field('item_data', 'state') }})) as top_state,
        trim({{ json_path_text('item_data', 'state.value') }}) as state_value_text,
        trim({{ json_path_text('item_data', 'state.percent') }}) as state_percent_text,
        nullif(trim({{ json_path_text('item_data', 'state.unit') }}), '') as state_unit
    from {{ ref('int_telemetry__sync_events_classified') }}
    where status = 'valid' and item_kind = 'reading'
)

select
    item_id as reading_uuid,
    device_id,
    item_key,
    case
        when item_key = 'DoorLocked' then case top_state
            when 'true' then 'locked'
            when 'false' then 'unlocked'
        end
        when item_key in ('ThermostatMode', 'ThermostatOperatingState') then top_state
        when item_key in ('Switch', 'Dimmer') then lower(state_value_text)
        else state_value_text
    end as state,
    case
        when item_key = 'Dimmer' then {{ try_cast('state_percent_text', type_double()) }}
        when item_key in (
            'ThermostatCoolSetpoint', 'ThermostatHeatSetpoint', 'Temperature', 'Humidity',
            'BatteryLevel'
        ) then {{ try_cast('state_value_text', type_double()) }}
    end as state_value,
    state_unit,
    update_timestamp,
    event_timestamp
from readings
