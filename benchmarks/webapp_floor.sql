-- The `webapp` batch contract tables as one plain DuckDB script: the benchmark's lower bound.
--
-- No orchestration, no ledger, no quarantine table, no checks, nothing incremental: read_json
-- over the daily files in landing/webapp/events/, then the rules of our models in CTEs, into
-- `webapp_sessions`, `webapp_daily_activity` and `webapp_insights`. Set the landing folder
-- first, e.g. in the duckdb CLI:
--     SET VARIABLE landing_dir = 'data/landing/webapp';
--     .read benchmarks/webapp_floor.sql
-- (benchmarks/bench.py runs it with the duckdb Python package in a subprocess).
--
-- Rules (the spec's `webapp` domain, README "The `webapp` domain"): a valid event has a
-- non-empty user_id and device_id and an ISO event_time (an offset applied, none: UTC); the same
-- record delivered again is a duplicate (every field equal: the generator's copies are whole
-- lines). A session is a run of one user's events on one device with no gap over 1800 s
-- (compared in microseconds); its id is md5(user|device|started_at) as ours.

SET TimeZone = 'UTC';

-- ISO-8601 text -> naive UTC timestamp, NULL when it is no ISO date and time (as our models).
CREATE OR REPLACE TEMP MACRO utc_time(text) AS CASE
    WHEN regexp_full_match(
        upper(text), '\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?'
    ) THEN try_cast(upper(text) AS TIMESTAMPTZ) AT TIME ZONE 'UTC'
END;
CREATE OR REPLACE TEMP MACRO seconds_between(a, b) AS (epoch_us(b) - epoch_us(a)) / 1000000.0;

CREATE OR REPLACE TEMP TABLE valid_events AS
SELECT user_id, device_id, event_at, app_version
FROM (
    SELECT
        nullif(trim(user_id), '') AS user_id,
        nullif(trim(device_id), '') AS device_id,
        utc_time(event_time) AS event_at,
        app_version,
        filename,
        -- every field as delivered: a copy of a record has them all equal
        event_name, client, user_id AS user_text, device_id AS device_text, event_time
    -- ignore_errors: a line that is no JSON object reads as all NULL (no user: left out)
    FROM read_json(
        getvariable('landing_dir') || '/events/*.jsonl',
        format = 'newline_delimited', records = true, ignore_errors = true, filename = true,
        columns = {
            event_name: 'VARCHAR', user_id: 'VARCHAR', app_version: 'VARCHAR',
            event_time: 'VARCHAR', device_id: 'VARCHAR', client: 'VARCHAR'
        }
    )
)
WHERE user_id IS NOT NULL AND device_id IS NOT NULL AND event_at IS NOT NULL
QUALIFY row_number() OVER (
    PARTITION BY event_name, user_text, app_version, event_time, device_text, client
    ORDER BY filename
) = 1;

CREATE OR REPLACE TABLE webapp_sessions AS
WITH gaps AS (
    SELECT
        *,
        seconds_between(
            lag(event_at) OVER (PARTITION BY user_id, device_id ORDER BY event_at), event_at
        ) AS seconds_since_previous
    FROM valid_events
),
numbered AS (
    SELECT
        *,
        sum(CASE WHEN seconds_since_previous <= 1800 THEN 0 ELSE 1 END) OVER (
            PARTITION BY user_id, device_id ORDER BY event_at
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS session_number
    FROM gaps
),
grouped AS (
    SELECT
        user_id, device_id,
        min(event_at) AS started_at,
        max(event_at) AS ended_at,
        count(*) AS event_count,
        arg_min(app_version, event_at) AS app_version
    FROM numbered
    GROUP BY user_id, device_id, session_number
)
SELECT
    md5(user_id || '|' || device_id || '|' || CAST(started_at AS VARCHAR)) AS session_id,
    user_id, device_id, started_at, ended_at,
    round(seconds_between(started_at, ended_at), 6) AS duration_seconds,
    event_count, app_version
FROM grouped;

-- a session across midnight counts wholly on the day it starts
CREATE OR REPLACE TABLE webapp_daily_activity AS
SELECT
    CAST(started_at AS DATE) AS date,
    CAST(sum(event_count) AS BIGINT) AS events,
    count(DISTINCT user_id) AS users,
    count(*) AS sessions
FROM webapp_sessions
GROUP BY ALL;

-- the most active day by events (a tie: the earliest), the longest session in events, the mean
-- duration over all sessions
CREATE OR REPLACE TABLE webapp_insights AS
SELECT
    (SELECT date FROM webapp_daily_activity ORDER BY events DESC, date LIMIT 1)
        AS most_active_day,
    (SELECT events FROM webapp_daily_activity ORDER BY events DESC, date LIMIT 1)
        AS most_active_day_events,
    max(event_count) AS max_events_in_session,
    round(avg(duration_seconds), 6) AS avg_session_duration_seconds
FROM webapp_sessions;

DROP TABLE valid_events;
