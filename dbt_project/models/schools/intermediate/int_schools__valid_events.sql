-- The valid events: deduplicated, syntactically and semantically valid. Session starts here
-- are the counted ones and session ends the closing ones (at most one of each per session).

-- A view: the status of old rows can change (incremental classification), so the valid events
-- are read through from the classification rather than copied.

{{ config(materialized='view') }}

with

classified_events as (
    select * from {{ ref('int_schools__events_classified') }}
),

valid_events as (
    select *
    from classified_events
    where status = 'valid'
)

select
    event_key,
    raw_id,
    event_type,
    event_at,
    log_id,
    log_type,
    name,
    school_id,
    session_id
from valid_events
