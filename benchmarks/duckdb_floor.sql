-- The `schools` contract tables as one plain DuckDB script: the benchmark's lower bound.
--
-- No orchestration, no ledger, no quarantine table, no checks: read_json over the landing files,
-- then the spec's rules in CTEs, into `sessions`, `devices`, `schools` and `usage_history`.
-- Set the files to read first, e.g. in the duckdb CLI:
--     SET VARIABLE landing_glob = 'data/landing/schools/*.jsonl';
--     .read benchmarks/duckdb_floor.sql
-- (benchmarks/schools.py runs it with the duckdb Python package in a subprocess).
--
-- Rules (docs: the spec's `schools` domain): an event needs type, time, logId and its type's
-- payload field (blank = missing); `...Event` is the same type; ids compare lower-cased and must
-- be canonical UUIDs; ISO-8601 times honour their offset, text without one is UTC; times before
-- 2020-01-01 or more than a day after now are out of range; exact duplicates count once; a log
-- needs exactly one log type; SetName only on School logs, the others only on Device logs; an
-- assignment must point at a School log; the earliest start of a session id counts; the earliest
-- end on the same device at or after it closes the session. Ties between events with the same
-- time are broken by file name only (then arbitrarily): the generator never makes such ties.

SET TimeZone = 'UTC';

-- Syntactically valid events, normalised, exact duplicates kept once (the first file's copy).
CREATE OR REPLACE TEMP TABLE events AS
WITH raw AS (
    SELECT *
    FROM read_json(
        getvariable('landing_glob'),
        format = 'newline_delimited',
        records = true,
        ignore_errors = true,  -- a line that is not a JSON object reads as all NULL: rejected
        filename = true,
        columns = {
            type: 'VARCHAR', time: 'VARCHAR', logId: 'VARCHAR', logType: 'VARCHAR',
            name: 'VARCHAR', schoolId: 'VARCHAR', sessionId: 'VARCHAR'
        }
    )
),
cleaned AS (
    SELECT
        filename AS source_file,
        nullif(trim(type), '') AS type_text,
        upper(nullif(trim(time), '')) AS time_text,
        lower(nullif(trim(logId), '')) AS log_id,
        nullif(trim(logType), '') AS log_type,
        CASE WHEN trim(name) <> '' THEN name END AS name,
        lower(nullif(trim(schoolId), '')) AS school_id,
        lower(nullif(trim(sessionId), '')) AS session_id
    FROM raw
),
typed AS (
    SELECT
        * EXCLUDE (type_text, time_text),
        CASE
            WHEN suffix(type_text, 'Event') THEN left(type_text, length(type_text) - 5)
            ELSE type_text
        END AS event_type,
        CASE
            WHEN regexp_full_match(
                time_text,
                '\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?'
            )
                THEN try_cast(time_text AS TIMESTAMPTZ) AT TIME ZONE 'UTC'
        END AS event_at
    FROM cleaned
),
valid AS (
    SELECT *
    FROM typed
    WHERE regexp_full_match(log_id, '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}')
        AND event_at >= TIMESTAMP '2020-01-01'
        AND event_at <= (now() AT TIME ZONE 'UTC') + INTERVAL 1 DAY
        AND CASE event_type
            WHEN 'SetLogType' THEN log_type IN ('School', 'Device')
            WHEN 'SetName' THEN name IS NOT NULL
            WHEN 'AssignToSchool' THEN regexp_full_match(
                school_id, '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
            )
            WHEN 'StartSession' THEN regexp_full_match(
                session_id, '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
            )
            WHEN 'EndSession' THEN regexp_full_match(
                session_id, '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
            )
            ELSE false
        END
)
SELECT event_type, event_at, log_id, log_type, name, school_id, session_id,
    min(source_file) AS source_file
FROM valid
GROUP BY ALL;

-- Logs with exactly one log type.
CREATE OR REPLACE TEMP TABLE log_types AS
SELECT log_id, min(log_type) AS log_type
FROM events
WHERE event_type = 'SetLogType'
GROUP BY log_id
HAVING count(DISTINCT log_type) = 1;

-- Events on a typed log of the right type; assignments only to School logs.
CREATE OR REPLACE TEMP TABLE log_events AS
SELECT events.*
FROM events
JOIN log_types USING (log_id)
WHERE CASE events.event_type
        WHEN 'SetLogType' THEN true
        WHEN 'SetName' THEN log_types.log_type = 'School'
        ELSE log_types.log_type = 'Device'
    END
    AND (
        events.event_type <> 'AssignToSchool'
        OR events.school_id IN (SELECT log_id FROM log_types WHERE log_type = 'School')
    );

-- Per session id its earliest start.
CREATE OR REPLACE TEMP TABLE starts AS
SELECT DISTINCT ON (session_id) session_id, log_id AS device_id, event_at AS started_at
FROM log_events
WHERE event_type = 'StartSession'
ORDER BY session_id, event_at, source_file;

-- Per session the earliest end on the same device at or after its start.
CREATE OR REPLACE TEMP TABLE ends AS
SELECT starts.session_id, min(log_events.event_at) AS ended_at
FROM log_events
JOIN starts
    ON log_events.session_id = starts.session_id
    AND log_events.log_id = starts.device_id
    AND log_events.event_at >= starts.started_at
WHERE log_events.event_type = 'EndSession'
GROUP BY starts.session_id;

CREATE OR REPLACE TEMP TABLE assignments AS
SELECT log_id AS device_id, school_id, event_at AS assigned_at, source_file
FROM log_events
WHERE event_type = 'AssignToSchool';

CREATE OR REPLACE TEMP TABLE school_names AS
SELECT log_types.log_id AS school_id, names.name
FROM log_types
LEFT JOIN (
    SELECT log_id, arg_max(name, (event_at, source_file)) AS name
    FROM log_events
    WHERE event_type = 'SetName'
    GROUP BY log_id
) AS names USING (log_id)
WHERE log_types.log_type = 'School';

-- A session belongs to the school of its device's latest assignment at or before its start.
CREATE OR REPLACE TABLE sessions AS
SELECT
    starts.session_id,
    starts.device_id,
    starts.started_at,
    ends.ended_at,
    date_diff('millisecond', starts.started_at, ends.ended_at)::DOUBLE / 60000 AS duration_minutes,
    assignments.school_id,
    school_names.name AS school_name
FROM starts
LEFT JOIN ends USING (session_id)
ASOF LEFT JOIN assignments
    ON starts.device_id = assignments.device_id
    AND starts.started_at >= assignments.assigned_at
LEFT JOIN school_names ON assignments.school_id = school_names.school_id;

CREATE OR REPLACE TABLE devices AS
WITH current_schools AS (
    SELECT device_id, arg_max(school_id, (assigned_at, source_file)) AS school_id
    FROM assignments
    GROUP BY device_id
),
started AS (
    SELECT device_id, min(started_at) AS first_session_started_at, count(*) AS session_count
    FROM starts
    GROUP BY device_id
)
SELECT
    log_types.log_id AS device_id,
    current_schools.school_id,
    started.first_session_started_at,
    coalesce(started.session_count, 0) AS session_count
FROM log_types
LEFT JOIN current_schools ON log_types.log_id = current_schools.device_id
LEFT JOIN started ON log_types.log_id = started.device_id
WHERE log_types.log_type = 'Device';

CREATE OR REPLACE TABLE schools AS
WITH device_counts AS (
    SELECT school_id, count(*) AS device_count
    FROM devices
    WHERE school_id IS NOT NULL
    GROUP BY school_id
),
lengths AS (
    SELECT
        school_id,
        median(duration_minutes) AS median_session_length,
        avg(duration_minutes) AS mean_session_length,
        count(*) AS session_count,
        count(duration_minutes) AS completed_session_count
    FROM sessions
    WHERE school_id IS NOT NULL
    GROUP BY school_id
)
SELECT
    school_names.school_id,
    school_names.name,
    coalesce(device_counts.device_count, 0) AS device_count,
    lengths.median_session_length,
    lengths.mean_session_length,
    coalesce(lengths.session_count, 0) AS session_count,
    coalesce(lengths.completed_session_count, 0) AS completed_session_count
FROM school_names
LEFT JOIN device_counts USING (school_id)
LEFT JOIN lengths USING (school_id);

-- Usage per device and UTC day (a session split across the days it covers), on a gap-free
-- spine from each device's first session day through the as-of day (latest valid event).
CREATE OR REPLACE TABLE usage_history AS
WITH as_of AS (
    SELECT max(latest)::DATE AS as_of_day
    FROM (
        SELECT max(event_at) AS latest FROM log_events
        WHERE event_type NOT IN ('StartSession', 'EndSession')
        UNION ALL SELECT max(started_at) FROM starts
        UNION ALL SELECT max(ended_at) FROM ends
    )
),
session_days AS (
    SELECT
        device_id,
        started_at,
        ended_at,
        unnest(generate_series(
            date_trunc('day', started_at), date_trunc('day', ended_at), INTERVAL 1 DAY
        )) AS day_start
    FROM sessions
    WHERE ended_at IS NOT NULL
),
daily AS (
    SELECT
        device_id,
        day_start::DATE AS date,
        sum(date_diff(
            'millisecond',
            greatest(started_at, day_start),
            least(ended_at, day_start + INTERVAL 1 DAY)
        ) / 60000.0) AS usage_minutes
    FROM session_days
    GROUP BY ALL
),
spine AS (
    SELECT
        device_id,
        unnest(generate_series(
            first_session_started_at::DATE::TIMESTAMP, as_of_day::TIMESTAMP, INTERVAL 1 DAY
        ))::DATE AS date
    FROM devices, as_of
    WHERE first_session_started_at IS NOT NULL
)
SELECT
    spine.device_id,
    spine.date,
    coalesce(daily.usage_minutes, 0) AS usage_minutes,
    avg(coalesce(daily.usage_minutes, 0)) OVER (
        PARTITION BY spine.device_id ORDER BY spine.date ROWS BETWEEN 6 PRECEDING AND CURRENT ROW
    ) AS avg_usage_minutes_7d
FROM spine
LEFT JOIN daily USING (device_id, date);
