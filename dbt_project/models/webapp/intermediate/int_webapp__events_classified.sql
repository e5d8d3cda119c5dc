-- Every raw web event exactly once with one status: 'rejected' with the first reason that
-- applies (the ingestion's load error, no JSON object, no user, no device, no event time that
-- parses), 'duplicate' (the same record text delivered before, in any file: a line repeated in
-- the next day's file) or 'valid'. An offset in `event_time` is applied (`event_at` is UTC).
--
-- Incremental (append): a row's status depends only on itself and on the copies delivered
-- before it, so a run classifies only the new raw rows and never changes a stored status.
-- `classified_at` (the dbt run's start) tells the sessions which rows a run added.

{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail'
) }}

{% set event = json_fields('record', [
    'user_id', 'device_id', 'event_name', 'app_version', 'client', 'event_time'
]) %}

with

raw_rows as (
    select
        {{ raw_row_columns() }},
        -- an empty id is no id ('' and JSON null alike)
        nullif(trim({{ event.user_id }}), '') as user_id,
        nullif(trim({{ event.device_id }}), '') as device_id,
        {{ event.event_name }} as event_name,
        {{ event.app_version }} as app_version,
        {{ event.client }} as client,
        {{ event.event_time }} as event_time_text
    from {{ source('webapp', 'raw_webapp_events') }}
    {% if is_incremental() %}
        where {{ raw_id_beyond_stored() }}
    {% endif %}
),

checked_rows as (
    select
        *,
        {{ parse_utc_timestamp('event_time_text') }} as event_at,
        {{ hash_key('raw_record') }} as record_key
    from raw_rows
),

judged_rows as (
    select
        *,
        case
            when load_error is not null then load_error
            when not is_json_object then 'malformed_json'
            when user_id is null then 'missing_user_id'
            when device_id is null then 'missing_device_id'
            when event_at is null then 'unparseable_time'
        end as reason
    from checked_rows
),

numbered_rows as (
    select
        *,
        case
            when reason is null then row_number() over (
                partition by record_key
                order by ingested_at, source_file, line_number, file_hash
            )
        end as copy_number
    from judged_rows
)

select
    raw_id,
    source_file,
    file_hash,
    line_number,
    ingested_at,
    case
        when reason is not null then 'rejected'
        when copy_number > 1 then 'duplicate'
        {% if is_incremental() %}
            -- a copy of a record a previous run kept
            when record_key in (
                select record_key from {{ this }} where status = 'valid'
            ) then 'duplicate'
        {% endif %}
        else 'valid'
    end as status,
    reason,
    case when reason is not null then raw_record end as raw_record,
    record_key,
    user_id,
    device_id,
    event_name,
    app_version,
    client,
    event_time_text,
    event_at,
    {{ run_started_timestamp() }} as classified_at
from numbered_rows
