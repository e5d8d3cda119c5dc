-- Contract table: the quarantine. Every rejected raw event row with its reason and what it
-- carried, so nothing that arrived is silently lost (duplicates are counted, not listed here).
-- Columns by `quarantine_select`.

with

classified_events as (
    select * from {{ ref('int_engagement__events_classified') }}
),

rejected_events as (
    select
        source_file,
        line_number,
        file_hash,
        reason,
        raw_record,
        ingested_at,
        event_id,
        raw_event_name as event_name,
        raw_occurred_at as occurred_at,
        user_id,
        activity_id
    from classified_events
    where status = 'rejected'
)

{{ quarantine_select(
    'rejected_events', ['event_id', 'event_name', 'occurred_at', 'user_id', 'activity_id']
) }}
