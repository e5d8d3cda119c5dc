-- Contract table: one row per valid Device log, with its current school and its sessions.

with

valid_events as (
    select * from {{ ref('int_schools__valid_events') }}
),

device_assignments as (
    select * from {{ ref('int_schools__device_assignments') }}
),

device_logs as (
    select distinct log_id as device_id
    from valid_events
    where event_type = 'SetLogType'
        and log_type = 'Device'
),

current_assignments as (
    select
        device_id,
        school_id
    from device_assignments
    where is_current
),

session_starts as (
    -- one per counted session (rows without start stand for sessions that no longer count)
    select
        device_id,
        min(started_at) as first_session_started_at,
        count(*) as session_count
    from {{ ref('int_schools__sessions') }}
    where started_at is not null
    group by device_id
),

devices as (
    select
        device_logs.device_id,
        current_assignments.school_id,
        session_starts.first_session_started_at,
        coalesce(session_starts.session_count, 0) as session_count
    from device_logs
    left join current_assignments
        on device_logs.device_id = current_assignments.device_id
    left join session_starts
        on device_logs.device_id = session_starts.device_id
)

select
    cast(device_id as {{ dbt.type_string() }}) as device_id,
    cast(school_id as {{ dbt.type_string() }}) as school_id,
    cast(first_session_started_at as {{ dbt.type_timestamp() }}) as first_session_started_at,
    cast(session_count as {{ dbt.type_bigint() }}) as session_count
from devices
