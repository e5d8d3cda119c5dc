-- One row per raw row: the event's fields extracted and typed, an event key for exact-duplicate
-- detection and the first syntax rule the row breaks (NULL when it breaks none).
-- Each row depends on its raw row only, so the model is incremental: a run stages the raw rows
-- that arrived since the last one (raw_id is the arrival order). Only what the rules need is kept
-- (10 M rows are read by every later model): the file, line and text of a record stay in the raw
-- table, and `schools_rejected_events` reads them there by raw_id for the rejected rows only.

{{ config(materialized='incremental', incremental_strategy='append') }}

{% set event = json_fields('record', [
    'type', 'time', 'logId', 'logType', 'name', 'schoolId', 'sessionId'
]) %}

with

raw_rows as (
    select * from {{ source('schools', 'raw_schools_events') }}
    {% if is_incremental() %}
    where {{ raw_id_beyond_stored() }}
    {% endif %}
),

extracted_fields as (
    select
        raw_id,
        source_file,
        file_hash,
        line_number,
        ingested_at,
        load_error,
        record,
        raw_line,
        coalesce(record is not null and {{ json_is_object('record') }}, false) as is_json_object,
        {{ event['type'] }} as raw_event_type,
        {{ event['time'] }} as raw_event_time,
        {{ event['logId'] }} as raw_log_id,
        {{ event['logType'] }} as raw_log_type,
        {{ event['name'] }} as raw_name,
        {{ event['schoolId'] }} as raw_school_id,
        {{ event['sessionId'] }} as raw_session_id
    from raw_rows
),

cleaned_fields as (
    -- blank counts as missing; ids compare case-insensitively
    select
        *,
        nullif(trim(raw_event_type), '') as event_type_text,
        nullif(trim(raw_event_time), '') as event_time_text,
        lower(nullif(trim(raw_log_id), '')) as log_id,
        nullif(trim(raw_log_type), '') as log_type,
        case when trim(raw_name) <> '' then raw_name end as name,
        lower(nullif(trim(raw_school_id), '')) as school_id,
        lower(nullif(trim(raw_session_id), '')) as session_id
    from extracted_fields
),

typed_fields as (
    -- 'SetNameEvent' and 'SetName' are the same type
    select
        *,
        case
            when {{ dbt.right('event_type_text', 5) }} = 'Event'
                then substring(event_type_text, 1, {{ dbt.length('event_type_text') }} - 5)
            else event_type_text
        end as event_type,
        {{ parse_utc_timestamp('event_time_text') }} as event_at
    from cleaned_fields
),

checked_events as (
    select
        *,
        case
            when load_error is not null then load_error
            when not is_json_object then 'malformed_json'
            when event_type_text is null or event_time_text is null or log_id is null
                then 'missing_field'
            when event_type = 'SetLogType' and log_type is null then 'missing_field'
            when event_type = 'SetName' and name is null then 'missing_field'
            when event_type = 'AssignToSchool' and school_id is null then 'missing_field'
            when event_type in ('StartSession', 'EndSession') and session_id is null
                then 'missing_field'
            when event_type not in (
                'SetLogType', 'SetName', 'AssignToSchool', 'StartSession', 'EndSession'
            )
                then 'unknown_type'
            when not {{ matches_uuid('log_id') }} then 'invalid_uuid'
            when event_type = 'AssignToSchool' and not {{ matches_uuid('school_id') }}
                then 'invalid_uuid'
            when event_type in ('StartSession', 'EndSession') and not {{ matches_uuid('session_id') }}
                then 'invalid_uuid'
            when event_at is null then 'unparseable_time'
            when event_at < cast('{{ var("schools_min_event_time", "2020-01-01") }}' as {{ dbt.type_timestamp() }})
                then 'time_out_of_range'
            when event_at > {{ dbt.dateadd('day', 1, 'ingested_at') }} then 'time_out_of_range'
            when event_type = 'SetLogType' and log_type not in ('School', 'Device')
                then 'invalid_log_type'
        end as syntax_reason
    from typed_fields
),

keyed_events as (
    -- Equal keys = the same record, the later copies of which are duplicates: a well-formed
    -- event is the same as another with the same type, instant, log and payload (e.g. a file
    -- delivered twice, reformatted); a record that breaks a syntax rule only when it is the
    -- same text, byte for byte ('!' keeps the two kinds of key apart). A row without text has
    -- no key and is never a duplicate.
    select
        *,
        case
            when syntax_reason is not null then {{ hash_key(dbt.concat([
                "'!'", "coalesce(cast(record as " ~ dbt.type_string() ~ "), raw_line)",
            ])) }}
            else {{ hash_key(dbt.concat([
                "coalesce(event_type, '<null>')", "'|'",
                "coalesce(cast(event_at as " ~ dbt.type_string() ~ "), event_time_text, '<null>')", "'|'",
                "coalesce(log_id, '<null>')", "'|'",
                "coalesce(log_type, '<null>')", "'|'",
                "coalesce(name, '<null>')", "'|'",
                "coalesce(school_id, '<null>')", "'|'",
                "coalesce(session_id, '<null>')",
            ])) }}
        end as event_key
    from checked_events
)

select
    raw_id,
    event_type,
    event_at,
    log_id,
    log_type,
    name,
    school_id,
    session_id,
    event_key,
    syntax_reason
from keyed_events
