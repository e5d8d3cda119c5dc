-- One row per raw row of raw_engagement_events: the activity_exit event's fields extracted from
-- the nested JSON record and typed, the real data's quirks cleaned (`iPhone OS` is iOS, an empty
-- collection id is none) and the first syntax rule the row breaks (NULL when it breaks none).

{% set event = json_fields('record', [
    'event_id', 'name', 'occurred_at', 'user_id', 'child_id'
]) %}

with

raw_rows as (
    select * from {{ source('engagement', 'raw_engagement_events') }}
),

extracted_fields as (
    select
        {{ raw_row_columns() }},
        {{ event['event_id'] }} as raw_event_id,
        {{ event['name'] }} as raw_event_name,
        {{ event['occurred_at'] }} as raw_occurred_at,
        {{ event['user_id'] }} as raw_user_id,
        {{ event['child_id'] }} as raw_child_id,
        {{ json_path_text('record', 'data.activity_id') }} as raw_activity_id,
        {{ json_path_text('record', 'data.source') }} as raw_source,
        {{ json_path_text('record', 'data.duration') }} as raw_duration,
        {{ json_path_text('record', 'data.completed') }} as raw_completed,
        {{ json_path_text('record', 'data.collection_id') }} as raw_collection_id,
        {{ json_path_text('record', 'data.loading_time') }} as raw_loading_time,
        {{ json_path_text('record', 'context.device.device_id') }} as raw_device_id,
        {{ json_path_text('record', 'context.os.name') }} as raw_os_name,
        {{ json_path_text('record', 'context.os.version') }} as raw_os_version,
        {{ json_path_text('record', 'context.app.version') }} as raw_app_version,
        {{ json_path_text('record', 'context.app.build') }} as raw_app_build
    from raw_rows
),

cleaned_fields as (
    -- blank counts as missing; ids compare case-insensitively; real quirks: the older iOS
    -- name `iPhone OS` and an empty-string collection id
    select
        *,
        lower(nullif(trim(raw_event_id), '')) as event_id,
        nullif(trim(raw_event_name), '') as event_name,
        nullif(trim(raw_occurred_at), '') as occurred_at_text,
        lower(nullif(trim(raw_user_id), '')) as user_id,
        lower(nullif(trim(raw_child_id), '')) as child_id,
        nullif(trim(raw_activity_id), '') as activity_id,
        nullif(trim(raw_source), '') as source,
        nullif(trim(raw_duration), '') as duration_text,
        lower(nullif(trim(raw_completed), '')) as completed_text,
        nullif(trim(raw_collection_id), '') as collection_id,
        nullif(trim(raw_loading_time), '') as loading_time_text,
        lower(nullif(trim(raw_device_id), '')) as device_id,
        case
            when lower(trim(raw_os_name)) = 'iphone os' then 'iOS'
            else nullif(trim(raw_os_name), '')
        end as os_name,
        nullif(trim(raw_os_version), '') as os_version,
        nullif(trim(raw_app_version), '') as app_version,
        nullif(trim(raw_app_build), '') as app_build
    from extracted_fields
),

typed_fields as (
    select
        *,
        {{ parse_utc_timestamp('occurred_at_text') }} as occurred_at,
        {{ try_cast('duration_text', type_double()) }} as duration_seconds,
        case completed_text
            when 'true' then true
            when 'false' then false
        end as completed,
        {{ try_cast('loading_time_text', type_double()) }} as loading_seconds
    from cleaned_fields
),

checked_events as (
    -- the envelope first (a row that is not an activity_exit event is judged by its name, not
    -- by activity_exit's fields), then the activity_exit fields, then their values
    select
        *,
        case
            when load_error is not null then load_error
            when not is_json_object then 'malformed_json'
            when event_id is null or event_name is null or occurred_at_text is null
                then 'missing_field'
            when event_name <> 'activity_exit' then 'invalid_event_name'
            when user_id is null or duration_text is null or completed_text is null
                then 'missing_field'
            when activity_id is null then 'missing_activity_id'
            when occurred_at is null then 'unparseable_time'
            when duration_seconds is null then 'non_numeric_duration'
            when duration_seconds < 0 then 'negative_duration'
            when duration_seconds > {{ var('engagement_max_duration_seconds', 21600) }}
                then 'duration_too_long'
            when completed is null then 'invalid_completed'
            when loading_time_text is not null and loading_seconds is null
                then 'non_numeric_loading_time'
            when loading_seconds < 0 then 'negative_loading_time'
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
    is_json_object,
    raw_record,
    raw_event_name,
    raw_occurred_at,
    event_id,
    event_name,
    occurred_at,
    user_id,
    child_id,
    activity_id,
    source,
    duration_seconds,
    completed,
    collection_id,
    loading_seconds,
    device_id,
    os_name,
    os_version,
    app_version,
    app_build,
    syntax_reason
from checked_events
