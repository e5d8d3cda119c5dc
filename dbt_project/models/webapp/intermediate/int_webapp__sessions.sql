-- One row per session of a user on one device (webapp_sessions serves it). A session is a run
-- of valid events in which no two consecutive ones are more than `webapp_session_gap_seconds`
-- apart (default 1800: a gap of exactly 30:00 stays in, 30:00.001 starts a new session; the
-- gap is compared in microseconds). `session_id` is a hash of user, device and first event
-- time, so the same events always give the same id. The app version is the first event's.
--
-- Incremental: a run reads only the events of the devices that received new valid events, in
-- one window per device: from the new events, widened to the stored sessions that come within
-- the gap of them (the sessions still open at the end of the data before: their last 30
-- minutes), never the device's whole history. Every session in that window is recomputed.
-- A stored session of the window whose id no longer comes out (a new event before its start,
-- or one bridging two sessions) is written as a row without start, so that delete+insert
-- removes the old row; the post-hook then deletes those rows. A full refresh computes every
-- session with the same SQL.

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='session_id',
    on_schema_change='fail',
    post_hook="delete from {{ this }} where started_at is null"
) }}

{% set gap_seconds = var('webapp_session_gap_seconds', 1800) %}

with

{% if is_incremental() %}
new_events as (
    select
        user_id,
        device_id,
        event_at
    from {{ ref('int_webapp__events_classified') }}
    where status = 'valid'
        and {{ newer_than_stored('classified_at') }}
),

new_spans as (
    select
        user_id,
        device_id,
        min(event_at) as first_new_at,
        max(event_at) as last_new_at
    from new_events
    group by user_id, device_id
),

-- the stored sessions a new event can join, extend or bridge
stored_sessions_in_reach as (
    select
        stored.session_id,
        stored.user_id,
        stored.device_id,
        stored.started_at,
        stored.ended_at
    from {{ this }} as stored
    inner join new_spans
        on stored.user_id = new_spans.user_id
        and stored.device_id = new_spans.device_id
        and {{ seconds_between('stored.ended_at', 'new_spans.first_new_at') }} <= {{ gap_seconds }}
        and {{ seconds_between('new_spans.last_new_at', 'stored.started_at') }} <= {{ gap_seconds }}
),

windows as (
    select
        new_spans.user_id,
        new_spans.device_id,
        least(new_spans.first_new_at, coalesce(min(reach.started_at), new_spans.first_new_at))
            as window_start,
        greatest(new_spans.last_new_at, coalesce(max(reach.ended_at), new_spans.last_new_at))
            as window_end
    from new_spans
    left join stored_sessions_in_reach as reach
        on new_spans.user_id = reach.user_id
        and new_spans.device_id = reach.device_id
    group by new_spans.user_id, new_spans.device_id, new_spans.first_new_at,
        new_spans.last_new_at
),
{% endif %}

valid_events as (
    select
        events.raw_id,
        events.user_id,
        events.device_id,
        events.event_at,
        events.app_version
    from {{ ref('int_webapp__events_classified') }} as events
    {% if is_incremental() %}
        inner join windows
            on events.user_id = windows.user_id
            and events.device_id = windows.device_id
            and events.event_at between windows.window_start and windows.window_end
    {% endif %}
    where events.status = 'valid'
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
                    or seconds_since_previous > {{ gap_seconds }}
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

grouped_sessions as (
    select
        user_id,
        device_id,
        min(event_at) as started_at,
        max(event_at) as ended_at,
        cast(count(*) as {{ dbt.type_bigint() }}) as event_count,
        min(first_app_version) as app_version
    from session_events
    group by user_id, device_id, session_number
),

sessions as (
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
    from grouped_sessions

    {% if is_incremental() %}
    union all

    -- stored sessions of the windows that no longer come out: removed (see the post-hook)
    select
        session_id,
        cast(null as {{ dbt.type_string() }}) as user_id,
        cast(null as {{ dbt.type_string() }}) as device_id,
        cast(null as {{ dbt.type_timestamp() }}) as started_at,
        cast(null as {{ dbt.type_timestamp() }}) as ended_at,
        cast(null as {{ type_double() }}) as duration_seconds,
        cast(null as {{ dbt.type_bigint() }}) as event_count,
        cast(null as {{ dbt.type_string() }}) as app_version
    from stored_sessions_in_reach
    {% endif %}
)

select
    *,
    (select max(classified_at) from {{ ref('int_webapp__events_classified') }}) as classified_at
from sessions
