-- Contract table: one row per session (see int_webapp__sessions, which computes them
-- incrementally); the contract's columns.

select
    session_id,
    user_id,
    device_id,
    started_at,
    ended_at,
    duration_seconds,
    event_count,
    app_version
from {{ ref('int_webapp__sessions') }}
