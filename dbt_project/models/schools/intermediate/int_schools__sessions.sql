-- One row per session (counted start), with its closing end and the school its device was
-- assigned to when it started (the latest assignment at or before the start).
--
-- Incremental: a run recomputes only the sessions the classification may have changed since
-- the last run (rows with a newer `classified_at`): sessions that received an event or were
-- re-classified, and every session of a device whose assignments changed. A session in scope
-- that no longer has a counted start (its device became invalid) is written as a row without
-- start, so that delete+insert replaces the old row; `sessions` and `schools` leave such rows
-- out. A full refresh computes every session with the same SQL and writes no such rows.

-- depends_on: {{ ref('stg_schools__events') }}  (read in the incremental branch only)

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='session_id',
    on_schema_change='fail'
) }}

with

{% if is_incremental() %}
reclassified_rows as (
    select raw_id
    from {{ ref('int_schools__events_classified') }}
    where {{ newer_than_stored('classified_at') }}
),

reclassified_events as (
    -- their fields are in staging (`in`, not a join: DuckDB would apply the newer-than filter
    -- only after joining all 10 M rows)
    select
        session_id,
        log_id,
        event_type
    from {{ ref('stg_schools__events') }}
    where raw_id in (select raw_id from reclassified_rows)
),

sessions_in_scope as (
    select session_id
    from reclassified_events
    where session_id is not null

    union

    select session_id
    from {{ ref('int_schools__valid_events') }}
    where event_type = 'StartSession'
        and log_id in (
            select log_id
            from reclassified_events
            where event_type = 'AssignToSchool'
        )
),
{% endif %}

valid_session_events as (
    select
        session_id,
        event_type,
        log_id,
        event_at
    from {{ ref('int_schools__valid_events') }}
    where event_type in ('StartSession', 'EndSession')
    {% if is_incremental() %}
        and session_id in (select session_id from sessions_in_scope)
    {% endif %}
),

device_assignments as (
    select * from {{ ref('int_schools__device_assignments') }}
),

session_starts as (
    select
        session_id,
        log_id as device_id,
        event_at as started_at
    from valid_session_events
    where event_type = 'StartSession'
),

session_ends as (
    select
        session_id,
        event_at as ended_at
    from valid_session_events
    where event_type = 'EndSession'
),

paired_sessions as (
    select
        session_starts.session_id,
        session_starts.device_id,
        session_starts.started_at,
        session_ends.ended_at
    from session_starts
    left join session_ends
        on session_starts.session_id = session_ends.session_id
),

attributed_sessions as (
    select
        paired_sessions.*,
        device_assignments.school_id
    from paired_sessions
    left join device_assignments
        on paired_sessions.device_id = device_assignments.device_id
        and device_assignments.assigned_at <= paired_sessions.started_at
        and (
            device_assignments.superseded_at is null
            or paired_sessions.started_at < device_assignments.superseded_at
        )
),

sessions as (
    select
        session_id,
        device_id,
        started_at,
        ended_at,
        case
            when ended_at is not null
                then {{ round_measure(
                    'cast(' ~ dbt.datediff('started_at', 'ended_at', 'millisecond')
                    ~ ' as ' ~ type_double() ~ ') / 60000.0'
                ) }}
        end as duration_minutes,
        ended_at is not null as is_completed,
        school_id
    from attributed_sessions

    {% if is_incremental() %}
    union all

    -- sessions in scope that are stored but no longer counted: replaced by a row without start
    select
        session_id,
        cast(null as {{ dbt.type_string() }}) as device_id,
        cast(null as {{ dbt.type_timestamp() }}) as started_at,
        cast(null as {{ dbt.type_timestamp() }}) as ended_at,
        cast(null as {{ type_double() }}) as duration_minutes,
        cast(null as {{ dbt.type_boolean() }}) as is_completed,
        cast(null as {{ dbt.type_string() }}) as school_id
    from {{ this }}
    where session_id in (select session_id from sessions_in_scope)
        and session_id not in (select session_id from session_starts)
        and started_at is not null
    {% endif %}
)

select
    session_id,
    device_id,
    started_at,
    ended_at,
    duration_minutes,
    is_completed,
    school_id,
    (select max(classified_at) from {{ ref('int_schools__events_classified') }}) as classified_at
from sessions
