-- Contract table: one row per session of a user on one device. A session is a run of events in
-- which no two consecutive ones are more than `webapp_session_gap_seconds` apart (default
-- 1800: a gap of exactly 30:00 stays in, 30:00.001 starts a new session; the gap is compared
-- in microseconds, not rounded). `session_id` is a hash of user, device and first event time,
-- so the same events always give the same id. The app version is the first event's.

with

valid_events as (
    select
        raw_id,
        user_id,
        device_id,
        event_at,
        app_version
    from {{ ref('int_webapp__events_classified') }}
    where status = 'valid'
),

gaps as (
    select
        *,
        {{ seconds_between(
            'lag(event_at) over (partition by user_id, device_id order by event_at, raw_id)',
            'event_at'
        ) }} as seconds_since_previous
    from valid_events
),

numbered_events as (
    select
        *,
        sum(
            case
                when seconds_since_previous is null
                    or seconds_since_previous > {{ var('webapp_session_gap_seconds', 1800) }}
                    then 1
                else 0
            end
        ) over (
            partition by user_id, device_id
            order by event_at, raw_id
            rows between unbounded preceding and current row
        ) as session_number
    from gaps
),

session_events as (
    select
        *,
        first_value(app_version) over (
            partition by user_id, device_id, session_number
            order by event_at, raw_id
            rows between unbounded preceding and unbounded following
        ) as first_app_version
    from numbered_events
),

sessions as (
    select
        user_id,
        device_id,
        min(event_at) as started_at,
        max(event_at) as ended_at,
        cast(count(*) as {{ dbt.type_bigint() }}) as event_count,
        min(first_app_version) as app_version
    from session_events
    group by user_id, device_id, session_number
)

select
    {{ dbt.hash(dbt.concat([
        'user_id', "'|'", 'device_id', "'|'", dbt.cast('started_at', dbt.type_string())
    ])) }} as session_id,
    user_id,
    device_id,
    started_at,
    ended_at,
    {{ round_measure(seconds_between('started_at', 'ended_at')) }} as duration_seconds,
    event_count,
    app_version
from sessions
