-- Contract table: the product owner's answers in one row: the most active day by events (a tie
-- goes to the earliest day) and its events, the most events in one session, and the average
-- session duration over all sessions (one-event sessions, 0 s, included).

with

ranked_days as (
    select
        date,
        events,
        row_number() over (order by events desc, date) as day_rank
    from {{ ref('webapp_daily_activity') }}
),

session_measures as (
    select
        max(event_count) as max_events_in_session,
        avg(duration_seconds) as avg_duration_seconds
    from {{ ref('webapp_sessions') }}
)

select
    ranked_days.date as most_active_day,
    ranked_days.events as most_active_day_events,
    session_measures.max_events_in_session,
    {{ round_measure('session_measures.avg_duration_seconds') }} as avg_session_duration_seconds
from session_measures
left join ranked_days
    on ranked_days.day_rank = 1
