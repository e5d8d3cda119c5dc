-- The valid events: deduplicated, syntactically and semantically valid. Session starts here
-- are the counted ones and session ends the closing ones (at most one of each per session).

-- A view: the status of old rows can change (incremental classification), so the valid events
-- are read through from the classification (the status) and staging (the fields) rather than
-- copied. Every field comes from staging, so a reader's filter on them (a type, a few sessions)
-- narrows the staged side, which the join builds its hash table on; the classification is the
-- side it streams through.

{{ config(materialized='view') }}

with

valid_statuses as (
    select raw_id
    from {{ ref('int_schools__events_classified') }}
    where status = 'valid'
),

staged_events as (
    select * from {{ ref('stg_schools__events') }}
),

valid_events as (
    select staged_events.*
    from valid_statuses
    inner join staged_events
        on valid_statuses.raw_id = staged_events.raw_id
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
