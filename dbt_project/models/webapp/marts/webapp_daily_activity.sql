-- Contract table: one row per UTC day on which a session starts, with that day's sessions and
-- all their events and users (a session across midnight counts wholly on its start day).

select
    cast(started_at as date) as date,
    -- bigint: a sum of integers is a 128-bit integer in DuckDB
    cast(sum(event_count) as {{ dbt.type_bigint() }}) as events,
    cast(count(distinct user_id) as {{ dbt.type_bigint() }}) as users,
    cast(count(*) as {{ dbt.type_bigint() }}) as sessions
from {{ ref('webapp_sessions') }}
group by cast(started_at as date)
