-- Contract table: the quarantine. Every rejected raw row with its reason and what it carried,
-- so nothing that arrived is silently lost (exact duplicates are counted, not listed here).
-- A view over the incremental `int_schools__rejected_events`; columns by `quarantine_select`.

{{ config(materialized='view') }}

with

rejected_events as (
    select * from {{ ref('int_schools__rejected_events') }}
    -- rows without reason stand for rows that are no longer rejected
    where reason is not null
)

{{ quarantine_select('rejected_events', ['event_type', 'event_time', 'log_id']) }}
