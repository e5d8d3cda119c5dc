-- Contract table: the quarantine. Every rejected raw row of the domain with its reason and what
-- it carried, so nothing that arrived is silently lost (duplicates are counted in the
-- classified models, not listed): web events whose own text is no valid record, and heartbeats
-- rejected for their text or refused by the stream processor against the watermark
-- (late_event, stream_closed): the rejected rows of int_webapp__playback_judged, which the
-- reconciliation of raw_webapp_playback counts, each raw row once.
-- `source_file` is the file's path under landing/webapp/ (`events/...`, `playback/...`).
-- Columns by `quarantine_select`.

with

rejected_events as (
    select
        {{ dbt.concat(["'events/'", 'source_file']) }} as source_file,
        line_number,
        file_hash,
        reason,
        raw_record,
        ingested_at,
        user_id,
        device_id,
        cast(null as {{ dbt.type_string() }}) as session_id,
        cast(null as {{ dbt.type_string() }}) as program_id,
        event_time_text as event_time
    from {{ ref('int_webapp__events_classified') }}
    where status = 'rejected'
),

rejected_heartbeats as (
    select
        {{ dbt.concat(["'playback/'", 'source_file']) }} as source_file,
        line_number,
        file_hash,
        reason,
        raw_record,
        ingested_at,
        user_id,
        cast(null as {{ dbt.type_string() }}) as device_id,
        session_id,
        program_id,
        event_time_text as event_time
    from {{ ref('int_webapp__playback_judged') }}
    where status = 'rejected'
),

rejected_rows as (
    select * from rejected_events
    union all
    select * from rejected_heartbeats
)

{{ quarantine_select(
    'rejected_rows',
    ['user_id', 'device_id', 'session_id', 'program_id', 'event_time']
) }}
