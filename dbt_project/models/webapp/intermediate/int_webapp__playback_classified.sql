-- Every raw heartbeat exactly once with the status its own text gives it: 'rejected' with the
-- first reason that applies (the ingestion's load error, no JSON object, a missing user,
-- session or program id, an event or start time that does not parse), 'duplicate' (the same
-- record text delivered before, in any file: a file landed again in another encoding or under
-- another name) or 'valid'. Whether a valid heartbeat is on time depends on the watermark when
-- its file arrived: the stream processor judges that (late_event, stream_closed), not this model.
--
-- Incremental (append): a row's status depends only on itself and on the copies before it.

{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail'
) }}

{% set heartbeat = json_fields('record', [
    'user_id', 'session_id', 'program_id', 'device', 'start_time', 'event_time'
]) %}

with

raw_rows as (
    select
        {{ raw_row_columns() }},
        nullif(trim({{ heartbeat.user_id }}), '') as user_id,
        nullif(trim({{ heartbeat.session_id }}), '') as session_id,
        nullif(trim({{ heartbeat.program_id }}), '') as program_id,
        {{ heartbeat.device }} as device,
        {{ heartbeat.start_time }} as start_time_text,
        {{ heartbeat.event_time }} as event_time_text
    from {{ source('webapp', 'raw_webapp_playback') }}
    {% if is_incremental() %}
        where {{ raw_id_beyond_stored() }}
    {% endif %}
),

checked_rows as (
    select
        *,
        {{ parse_utc_timestamp('start_time_text') }} as start_time,
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
            when user_id is null or session_id is null or program_id is null
                then 'missing_field'
            when start_time is null or event_at is null then 'unparseable_time'
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
    session_id,
    program_id,
    device,
    start_time_text,
    event_time_text,
    start_time,
    event_at,
    {{ run_started_timestamp() }} as classified_at
from numbered_rows
-- stored in raw_id order (the window above scatters the rows): the stream processor reads one
-- file's rows by their raw_id range, and DuckDB skips every row group outside it only when
-- each row group holds a narrow range
order by raw_id
