-- One row per raw row of raw_telemetry_sync_events: the Twilio Sync envelope extracted from the
-- JSON record, ItemData as JSON text (sent as an object or as a string holding one), the item's
-- id (`command_id`, else `uuid`) and the first syntax rule the row breaks (NULL when none).
-- Classification (duplicates, orphans) is int_telemetry__sync_events_classified's job.

{%- set command_keys = ['Command', 'CommandActive', 'CommandResult'] %}
{%- set reading_keys = [
    'DoorLocked', 'Switch', 'Dimmer', 'ThermostatMode', 'ThermostatOperatingState',
    'ThermostatCoolSetpoint', 'ThermostatHeatSetpoint', 'Temperature', 'Humidity', 'BatteryLevel'
] %}

with

raw_rows as (
    select * from {{ source('telemetry', 'raw_telemetry_sync_events') }}
),

extracted_fields as (
    select
        {{ raw_row_columns() }},
        nullif(trim({{ json_field('record', 'EventType') }}), '') as event_type,
        nullif(trim({{ json_field('record', 'DateCreated') }}), '') as date_created_text,
        nullif(trim({{ json_field('record', 'MapUniqueName') }}), '') as device_id,
        nullif(trim({{ json_field('record', 'ItemKey') }}), '') as item_key,
        {{ json_field('record', 'ItemData') }} as raw_item_data,
        {{ json_object_text('record', 'ItemData') }} as item_data,
        {{ json_field('record', 'MapSid') }} as map_sid,
        {{ json_field('record', 'MapRevision') }} as map_revision,
        {{ json_field('record', 'ItemRevision') }} as item_revision,
        {{ json_field('record', 'EndpointId') }} as endpoint_id,
        {{ json_field('record', 'EventId') }} as sync_event_id,
        {{ json_field('record', 'AccountSid') }} as account_sid,
        {{ json_field('record', 'ServiceSid') }} as service_sid,
        {{ json_field('record', 'Identity') }} as identity,
        {{ json_field('record', '_source_file') }} as record_source_file
    from raw_rows
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
                nullif(trim({{ json_field('item_data', 'command_id') }}), ''),
                nullif(trim({{ json_field('item_data', 'uuid') }}), '')
            )
            else nullif(trim({{ json_field('item_data', 'uuid') }}), '')
        end as item_id,
        nullif(trim({{ json_field('item_data', 'timestamp') }}), '') as item_timestamp_text
    from extracted_fields
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
)

select
    raw_id,
    source_file,
    file_hash,
    line_number,
    ingested_at,
    load_error,
    raw_record,
    event_type,
    date_created_text,
    update_timestamp,
    device_id,
    item_key,
    item_kind,
    item_id,
    item_data,
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
    syntax_reason
from checked_events
