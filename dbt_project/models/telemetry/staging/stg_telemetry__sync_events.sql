-- One row per raw row of raw_telemetry_sync_events: the Twilio Sync envelope extracted from the
-- JSON record, ItemData (sent as an object or as a string holding one) parsed into the typed
-- columns of its ItemKey, the item's id (`command_id`, else `uuid`) and the first syntax rule
-- the row breaks (NULL when none). Classification (duplicates, orphans) is
-- int_telemetry__sync_events_classified's job.
-- Each row depends on its raw row only, so the model is incremental: a run parses the raw rows
-- that arrived since the last one (raw_id is the arrival order), and no JSON is parsed twice.
-- The record's text is kept only for the rows that can end in the quarantine (see raw_record).

{{ config(materialized='incremental', incremental_strategy='append') }}

{%- set command_keys = ['Command', 'CommandActive', 'CommandResult'] %}
{%- set reading_keys = [
    'DoorLocked', 'Switch', 'Dimmer', 'ThermostatMode', 'ThermostatOperatingState',
    'ThermostatCoolSetpoint', 'ThermostatHeatSetpoint', 'Temperature', 'Humidity', 'BatteryLevel'
] %}
{#- the envelope's fields, and ItemData's top-level ones, each parsed once (json_object_fields) -#}
{%- set envelope_fields = {
    'EventType': 'text', 'DateCreated': 'text', 'MapUniqueName': 'text', 'ItemKey': 'text',
    'ItemData': 'json', 'MapSid': 'text', 'MapRevision': 'text', 'ItemRevision': 'text',
    'EndpointId': 'text', 'EventId': 'text', 'AccountSid': 'text', 'ServiceSid': 'text',
    'Identity': 'text', '_source_file': 'text',
} %}
{%- set item_fields = {
    'uuid': 'text', 'command_id': 'text', 'timestamp': 'text', 'client': 'text', 'user': 'text',
    'origin': 'text', 'origin_id': 'text', 'node_id': 'text', 'result': 'text',
    'failure_string': 'text', 'state': 'json',
} %}

with

raw_rows as (
    select
        *,
        {{ json_object_fields('record', envelope_fields) }} as envelope
    from {{ source('telemetry', 'raw_telemetry_sync_events') }}
    {% if is_incremental() %}
    where {{ raw_id_beyond_stored() }}
    {% endif %}
),

extracted_fields as (
    select
        {{ raw_row_columns() }},
        nullif(trim(envelope.EventType), '') as event_type,
        nullif(trim(envelope.DateCreated), '') as date_created_text,
        nullif(trim(envelope.MapUniqueName), '') as device_id,
        nullif(trim(envelope.ItemKey), '') as item_key,
        envelope.ItemData as raw_item_data,
        {{ json_object_text('record', 'ItemData') }} as item_data,
        envelope.MapSid as map_sid,
        envelope.MapRevision as map_revision,
        envelope.ItemRevision as item_revision,
        envelope.EndpointId as endpoint_id,
        envelope.EventId as sync_event_id,
        envelope.AccountSid as account_sid,
        envelope.ServiceSid as service_sid,
        envelope.Identity as identity,
        envelope._source_file as record_source_file
    from raw_rows
),

item_data_fields as (
    select
        *,
        {{ json_object_fields('item_data', item_fields) }} as item
    from extracted_fields
),

typed_fields as (
    select
        *,
        {{ parse_utc_timestamp('date_created_text') }} as update_timestamp,
        case
            when item_key in ('{{ command_keys | join("', '") }}') then 'command'
            when item_key in ('{{ reading_keys | join("', '") }}') then 'reading'
        end as item_kind,
        -- a command's id is `command_id` when present, else `uuid` (Command, Active, Result)
        case
            when item_key in ('{{ command_keys | join("', '") }}') then coalesce(
                nullif(trim(item.command_id), ''),
                nullif(trim(item.uuid), '')
            )
            else nullif(trim(item.uuid), '')
        end as item_id,
        nullif(trim(item.timestamp), '') as item_timestamp_text
    from item_data_fields
),

checked_events as (
    -- the envelope first, then the item key, then ItemData and what its key requires; a
    -- `map_created` event carries no item and is judged by its envelope alone
    select
        *,
        case
            when load_error is not null then load_error
            when not is_json_object then 'malformed_json'
            when date_created_text is null or device_id is null then 'missing_field'
            when event_type = 'map_created' and item_key is null
                then case when update_timestamp is null then 'unparseable_time' end
            when item_key is null or raw_item_data is null then 'missing_field'
            when update_timestamp is null then 'unparseable_time'
            when item_kind is null then 'unknown_item_key'
            when item_data is null then 'invalid_item_data'
            when item_kind = 'command' and item_id is null then 'missing_command_id'
            when item_key = 'Command'
                and {{ json_path_text('item_data', 'desired_state[0]') }} is null
                then 'missing_desired_state'
            when item_kind = 'reading' and item_id is null then 'missing_field'
        end as syntax_reason
    from typed_fields
),

desired_states as (
    select
        *,
        -- each parsed only where its ItemKey has it (a CASE evaluates its branch on those rows)
        case when item_key = 'Command' then {{ json_path_text('item_data', 'desired_state[0]') }}
        end as command,
        case when item_key = 'Command' then {{ json_path_text('item_data', 'desired_state[1]') }}
        end as first_argument,
        case when item_key = 'Command' then {{ json_path_text('item_data', 'desired_state[2]') }}
        end as second_argument,
        case when item_key in ('DoorLocked', 'ThermostatMode', 'ThermostatOperatingState')
            then lower(trim({{ json_field('item_data', 'state') }}))
        end as top_state,
        case when item_kind = 'reading' then trim({{ json_path_text('item.state', 'value') }})
        end as state_value_text,
        case when item_key = 'Dimmer' then trim({{ json_path_text('item.state', 'percent') }})
        end as state_percent_text
    from checked_events
)

select
    raw_id,
    source_file,
    file_hash,
    line_number,
    ingested_at,
    load_error,
    -- the record's text as it arrived, for the rows that can end in the quarantine: those that
    -- break a syntax rule, and every CommandActive and CommandResult (an orphan until its
    -- command arrives); the other rows' text stays in the raw table only
    case
        when syntax_reason is not null or item_key in ('CommandActive', 'CommandResult')
            then raw_record
    end as raw_record,
    event_type,
    date_created_text,
    update_timestamp,
    device_id,
    item_key,
    item_kind,
    item_id,
    {{ parse_utc_timestamp('item_timestamp_text') }} as event_timestamp,
    map_sid,
    map_revision,
    item_revision,
    endpoint_id,
    sync_event_id,
    account_sid,
    service_sid,
    identity,
    coalesce(
        record_source_file, {{ dbt.concat(["'raw_sync_events/'", 'source_file']) }}
    ) as _source_file,
    syntax_reason,
    -- a Command's desired_state taken apart: values kept as sent (`settocool`, `Multilevel On`);
    -- slot and pin are text (`"0420"` keeps its zero), NULL for the string "None"; a setpoint
    -- sent as a numeric string is a number
    command,
    case when item_key = 'Command' then nullif(trim(item.client), '')
    end as command_client,
    -- a number or a string: the same text either way
    case when item_key = 'Command' then nullif(trim(item.user), '')
    end as user_id,
    case when item_key = 'Command' then item.origin
    end as command_origin,
    case when item_key = 'Command' then item.origin_id
    end as command_origin_id,
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
    case when item_key = 'Command' then {{ json_field('item_data', 'desired_state') }}
    end as _raw_command_desired_state,
    -- the hub's CommandActive and CommandResult: `result` `success` or `true` in any case (a
    -- JSON boolean too) is a success; anything else, or none, a failure
    case
        when item_key in ('CommandActive', 'CommandResult')
            then nullif(trim(item.node_id), '')
    end as command_node_id,
    case
        when item_key = 'CommandResult' then coalesce(
            lower(trim(item.result)) in ('success', 'true'), false
        )
    end as is_hub_success,
    case when item_key = 'CommandResult' then item.failure_string
    end as command_failure_string,
    -- a reading's state normalised to text a command's desired value can be compared with:
    -- DoorLocked `locked`/`unlocked`; Switch, Dimmer lower-case `on`/`off` (a Dimmer's percent
    -- in `state_value`); ThermostatMode and OperatingState lower case; setpoints, Temperature,
    -- Humidity and BatteryLevel the number as sent (text) and as a double
    case
        when item_key = 'DoorLocked' then case top_state
            when 'true' then 'locked'
            when 'false' then 'unlocked'
        end
        when item_key in ('ThermostatMode', 'ThermostatOperatingState') then top_state
        when item_key in ('Switch', 'Dimmer') then lower(state_value_text)
        when item_kind = 'reading' then state_value_text
    end as state,
    case
        when item_key = 'Dimmer' then {{ try_cast('state_percent_text', type_double()) }}
        when item_key in (
            'ThermostatCoolSetpoint', 'ThermostatHeatSetpoint', 'Temperature', 'Humidity',
            'BatteryLevel'
        ) then {{ try_cast('state_value_text', type_double()) }}
    end as state_value,
    case when item_kind = 'reading' then nullif(
        trim({{ json_path_text('item.state', 'unit') }}), ''
    ) end as state_unit
from desired_states
