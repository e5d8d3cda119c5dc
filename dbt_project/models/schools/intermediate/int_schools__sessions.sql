-- One row per session (counted start), with its closing end and the school its device was
-- assigned to when it started (the latest assignment at or before the start).

with

valid_events as (
    select * from {{ ref('int_schools__valid_events') }}
),

device_assignments as (
    select * from {{ ref('int_schools__device_assignments') }}
),

session_starts as (
    select
        session_id,
        log_id as device_id,
        event_at as started_at
    from valid_events
    where event_type = 'StartSession'
),

session_ends as (
    select
        session_id,
        event_at as ended_at
    from valid_events
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
)

select
    session_id,
    device_id,
    started_at,
    ended_at,
    case
        when ended_at is not null
            then cast(
                {{ dbt.datediff('started_at', 'ended_at', 'millisecond') }}
                as {{ type_double() }}
            ) / 60000.0
    end as duration_minutes,
    ended_at is not null as is_completed,
    school_id
from attributed_sessions
