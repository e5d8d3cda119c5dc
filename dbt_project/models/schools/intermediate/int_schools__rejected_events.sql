-- Every rejected raw row with its reason and what it carried (file, line, raw text), read from
-- the raw table for the rejected rows only.
--
-- Incremental like int_schools__sessions: a run rewrites the rows the classification
-- (re)decided since the last run (newer `classified_at`). A stored row that is no longer
-- rejected (e.g. an end whose start arrived late) is written without reason, so that
-- delete+insert replaces it; `schools_rejected_events` leaves such rows out.

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='raw_id',
    on_schema_change='fail'
) }}

with

reclassified_events as (
    select
        raw_id,
        status,
        reason
    from {{ ref('int_schools__events_classified') }}
    {% if is_incremental() %}
    where {{ newer_than_stored('classified_at') }}
    {% endif %}
),

rejected_statuses as (
    select *
    from reclassified_events
    where status = 'rejected'
),

rejected_events as (
    -- the log id as staging parsed it (NULL when the row has none)
    select
        rejected_statuses.raw_id,
        rejected_statuses.reason,
        staged_events.log_id
    from {{ ref('stg_schools__events') }} as staged_events
    inner join rejected_statuses
        on staged_events.raw_id = rejected_statuses.raw_id
),

raw_rows as (
    -- where and as what the row arrived
    select
        raw_id,
        source_file,
        file_hash,
        line_number,
        ingested_at,
        {{ json_field('record', 'type') }} as event_type,
        {{ json_field('record', 'time') }} as event_time,
        coalesce(cast(record as {{ dbt.type_string() }}), raw_line) as raw_record
    from {{ source('schools', 'raw_schools_events') }}
    where raw_id in (select raw_id from rejected_events)
),

rejected_with_text as (
    select
        raw_rows.raw_id,
        raw_rows.source_file,
        raw_rows.line_number,
        raw_rows.file_hash,
        rejected_events.reason,
        raw_rows.event_type,
        raw_rows.event_time,
        rejected_events.log_id,
        raw_rows.raw_record,
        raw_rows.ingested_at
    from rejected_events
    inner join raw_rows
        on rejected_events.raw_id = raw_rows.raw_id

    {% if is_incremental() %}
    union all

    -- stored rows that are no longer rejected: replaced by a row without reason
    select
        raw_id,
        source_file,
        line_number,
        file_hash,
        cast(null as {{ dbt.type_string() }}) as reason,
        event_type,
        event_time,
        log_id,
        raw_record,
        ingested_at
    from {{ this }}
    where raw_id in (
            select raw_id
            from reclassified_events
            where status <> 'rejected'
        )
        and reason is not null
    {% endif %}
)

select
    *,
    (select max(classified_at) from {{ ref('int_schools__events_classified') }}) as classified_at
from rejected_with_text
