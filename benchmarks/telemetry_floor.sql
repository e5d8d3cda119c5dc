-- The `telemetry` contract tables as one plain DuckDB script: the benchmark's lower bound.
--
-- No orchestration, no ledger, no quarantine table, no checks: read_json over the landing files,
-- then the spec's rules in CTEs, into `stg_commands`, `stg_command_actives`,
-- `stg_command_results`, `stg_readings`, `stg_users`, `dim_users`, `fct_command_statuses`,
-- `met_daily_command_count_by_username` and `fct_command_readings`. Set the landing folder
-- first, e.g. in the duckdb CLI:
--     SET VARIABLE landing_dir = 'data/landing/telemetry';
--     .read benchmarks/telemetry_floor.sql
-- (benchmarks/bench.py runs it with the duckdb Python package in a subprocess).
--
-- Rules (docs: the spec's `telemetry` domain and issue 13, item 3): an event needs DateCreated
-- (an ISO date and time; no offset: UTC), MapUniqueName, a known ItemKey and ItemData holding a
-- JSON object (sent as an object or as a string of JSON); a command's id is `command_id`, else
-- `uuid`; a Command needs desired_state[0]; a CommandActive/Result whose Command never arrived
-- (in any file) is an orphan and left out; copies of an item (id and ItemKey) after the one with
-- the earliest DateCreated are duplicates. Users: the newest `last_modified` per uid wins.
-- Ties (the same DateCreated or last_modified) are broken by file name only, then arbitrarily:
-- read_json has no line numbers, and the generator makes no such ties.

SET TimeZone = 'UTC';

-- ISO-8601 text -> naive UTC timestamp, NULL when it is no ISO date and time (as our models).
CREATE OR REPLACE TEMP MACRO utc_time(text) AS CASE
    WHEN regexp_full_match(
        upper(text), '\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?'
    ) THEN try_cast(upper(text) AS TIMESTAMPTZ) AT TIME ZONE 'UTC'
END;

-- The valid, first copy of every item: one row per (item_id, item_key).
CREATE OR REPLACE TEMP TABLE items AS
WITH raw AS (
    SELECT *
    FROM read_json(
        getvariable('landing_dir') || '/raw_sync_events/*.jsonl',
        format = 'newline_delimited',
        records = true,
        ignore_errors = true,  -- a line that is no JSON object (or no UTF-8) reads as all NULL
        filename = true,
        columns = {
            DateCreated: 'VARCHAR', MapUniqueName: 'VARCHAR', ItemKey: 'VARCHAR',
            ItemData: 'JSON', _source_file: 'VARCHAR'
        }
    )
),
parsed AS (
    SELECT
        utc_time(nullif(trim(DateCreated), '')) AS update_timestamp,
        nullif(trim(MapUniqueName), '') AS device_id,
        nullif(trim(ItemKey), '') AS item_key,
        -- ItemData as an object, or as a string holding an object's JSON
        CASE json_type(ItemData)
            WHEN 'OBJECT' THEN ItemData
            WHEN 'VARCHAR' THEN try_cast(ItemData ->> '$' AS JSON)
        END AS item_data,
        coalesce(_source_file, 'raw_sync_events/' || parse_filename(filename)) AS _source_file,
        filename
    FROM raw
),
valid AS (
    SELECT
        * EXCLUDE (item_data),
        item_data,
        CASE WHEN item_key IN ('Command', 'CommandActive', 'CommandResult') THEN coalesce(
            nullif(trim(item_data ->> 'command_id'), ''), nullif(trim(item_data ->> 'uuid'), '')
        ) ELSE nullif(trim(item_data ->> 'uuid'), '') END AS item_id
    FROM parsed
    WHERE update_timestamp IS NOT NULL
        AND device_id IS NOT NULL
        AND item_key IN (
            'Command', 'CommandActive', 'CommandResult', 'DoorLocked', 'Switch', 'Dimmer',
            'ThermostatMode', 'ThermostatOperatingState', 'ThermostatCoolSetpoint',
            'ThermostatHeatSetpoint', 'Temperature', 'Humidity', 'BatteryLevel'
        )
        AND json_type(item_data) = 'OBJECT'
),
checked AS (
    SELECT * FROM valid
    WHERE item_id IS NOT NULL
        AND (item_key <> 'Command' OR item_data ->> '$.desired_state[0]' IS NOT NULL)
),
known_commands AS (
    SELECT DISTINCT item_id FROM checked WHERE item_key = 'Command'
)
SELECT *
FROM checked
WHERE item_key NOT IN ('CommandActive', 'CommandResult')
    OR item_id IN (SELECT item_id FROM known_commands)  -- orphans left out
QUALIFY row_number() OVER (
    PARTITION BY item_id, item_key ORDER BY update_timestamp, filename
) = 1;

CREATE OR REPLACE TABLE stg_commands AS
WITH commands AS (
    SELECT
        *,
        item_data ->> '$.desired_state[0]' AS command,
        item_data ->> '$.desired_state[1]' AS first_argument,
        item_data ->> '$.desired_state[2]' AS second_argument
    FROM items
    WHERE item_key = 'Command'
)
SELECT
    item_id AS command_uuid,
    device_id,
    command,
    nullif(trim(item_data ->> 'client'), '') AS command_client,
    nullif(trim(item_data ->> 'user'), '') AS user_id,  -- a number or a string: the same text
    item_data ->> 'origin' AS command_origin,
    item_data ->> 'origin_id' AS command_origin_id,
    CASE WHEN command = 'ThermostatMode' THEN first_argument END AS thermostat_mode,
    CASE WHEN command = 'ThermostatHeatSetPoint' THEN try_cast(trim(first_argument) AS DOUBLE) END
        AS thermostat_heat_set_point,
    CASE WHEN command = 'ThermostatCoolSetPoint' THEN try_cast(trim(first_argument) AS DOUBLE) END
        AS thermostat_cool_set_point,
    CASE WHEN command = 'PinAssignment' AND first_argument <> 'None' THEN first_argument END
        AS slot,
    CASE WHEN command = 'PinAssignment' AND second_argument <> 'None' THEN second_argument END
        AS pin,
    CASE WHEN command = 'SwitchState' THEN first_argument END AS switch_state,
    CASE WHEN command = 'LockedState' THEN first_argument END AS lock_state,
    CASE WHEN command = 'DimmerState' THEN first_argument END AS dimmer_state,
    CASE WHEN command = 'DimmerState' THEN try_cast(trim(second_argument) AS DOUBLE) END
        AS dimmer_level,
    item_data ->> 'desired_state' AS _raw_command_desired_state,
    update_timestamp,
    utc_time(nullif(trim(item_data ->> 'timestamp'), '')) AS event_timestamp,
    _source_file
FROM commands;

CREATE OR REPLACE TABLE stg_command_actives AS
SELECT
    item_id AS command_uuid,
    device_id,
    nullif(trim(item_data ->> 'node_id'), '') AS command_node_id,
    update_timestamp,
    utc_time(nullif(trim(item_data ->> 'timestamp'), '')) AS event_timestamp
FROM items
WHERE item_key = 'CommandActive';

CREATE OR REPLACE TABLE stg_command_results AS
SELECT
    item_id AS command_uuid,
    device_id,
    nullif(trim(item_data ->> 'node_id'), '') AS command_node_id,
    update_timestamp,
    utc_time(nullif(trim(item_data ->> 'timestamp'), '')) AS event_timestamp,
    coalesce(lower(trim(item_data ->> 'result')) IN ('success', 'true'), false) AS is_hub_success,
    item_data ->> 'failure_string' AS command_failure_string
FROM items
WHERE item_key = 'CommandResult';

CREATE OR REPLACE TABLE stg_readings AS
WITH readings AS (
    SELECT
        *,
        lower(trim(item_data ->> 'state')) AS top_state,
        trim(item_data ->> '$.state.value') AS value_text
    FROM items
    WHERE item_key NOT IN ('Command', 'CommandActive', 'CommandResult')
)
SELECT
    item_id AS reading_uuid,
    device_id,
    item_key,
    CASE
        WHEN item_key = 'DoorLocked' THEN CASE top_state
            WHEN 'true' THEN 'locked' WHEN 'false' THEN 'unlocked'
        END
        WHEN item_key IN ('ThermostatMode', 'ThermostatOperatingState') THEN top_state
        WHEN item_key IN ('Switch', 'Dimmer') THEN lower(value_text)
        ELSE value_text
    END AS state,
    CASE
        WHEN item_key = 'Dimmer' THEN try_cast(trim(item_data ->> '$.state.percent') AS DOUBLE)
        WHEN item_key IN (
            'ThermostatCoolSetpoint', 'ThermostatHeatSetpoint', 'Temperature', 'Humidity',
            'BatteryLevel'
        ) THEN try_cast(value_text AS DOUBLE)
    END AS state_value,
    nullif(trim(item_data ->> '$.state.unit'), '') AS state_unit,
    update_timestamp,
    utc_time(nullif(trim(item_data ->> 'timestamp'), '')) AS event_timestamp
FROM readings;

-- Users: `uid` a number or a string (the same text), the newest last_modified wins.
CREATE OR REPLACE TABLE stg_users AS
WITH raw AS (
    SELECT *
    FROM read_json(
        getvariable('landing_dir') || '/raw_users/*.jsonl',
        format = 'newline_delimited',
        records = true,
        ignore_errors = true,
        filename = true,
        columns = {
            uid: 'JSON', username: 'VARCHAR', dateRegistered: 'VARCHAR', last_modified: 'VARCHAR'
        }
    )
),
parsed AS (
    SELECT
        nullif(trim(uid ->> '$'), '') AS user_id,
        nullif(trim(username), '') AS username,
        utc_time(nullif(trim(dateRegistered), '')) AS date_registered,
        utc_time(nullif(trim(last_modified), '')) AS last_modified,
        filename
    FROM raw
    WHERE json_type(uid) NOT IN ('OBJECT', 'ARRAY')  -- an object or a list is no id
)
SELECT user_id, username, date_registered, last_modified
FROM parsed
WHERE user_id IS NOT NULL AND last_modified IS NOT NULL
QUALIFY row_number() OVER (
    PARTITION BY user_id ORDER BY last_modified DESC, filename DESC
) = 1;

CREATE OR REPLACE TABLE dim_users AS SELECT * FROM stg_users;

CREATE OR REPLACE TABLE fct_command_statuses AS
SELECT
    c.*,
    u.username,
    c.event_timestamp AS command_timestamp,
    a.event_timestamp AS active_timestamp,
    a.command_node_id AS command_active_node_id,
    r.command_node_id AS command_result_node_id,
    r.command_uuid IS NOT NULL AS has_hub_response,
    coalesce(r.is_hub_success, false) AS is_hub_success,
    r.command_failure_string AS failure_string,
    c.update_timestamp AS command_update_timestamp,
    a.update_timestamp AS active_update_timestamp,
    r.update_timestamp AS result_update_timestamp,
    -- fractional seconds, exact to the microsecond
    round((epoch_us(r.update_timestamp) - epoch_us(c.update_timestamp)) / 1e6, 6)
        AS seconds_to_result
FROM stg_commands AS c
LEFT JOIN stg_command_actives AS a USING (command_uuid)
LEFT JOIN stg_command_results AS r USING (command_uuid)
LEFT JOIN dim_users AS u ON c.user_id = u.user_id;

-- Per username and UTC day, every day from the user's first to last command day.
CREATE OR REPLACE TABLE met_daily_command_count_by_username AS
WITH daily AS (
    SELECT
        coalesce(username, 'unknown') AS username,
        CAST(command_update_timestamp AS DATE) AS timestamp_date,
        count(*) AS number_of_commands,
        count(*) FILTER (WHERE is_hub_success) AS number_of_successful_commands,
        count(*) FILTER (WHERE has_hub_response AND NOT is_hub_success)
            AS number_of_failed_commands,
        count(*) FILTER (WHERE NOT has_hub_response) AS number_without_response
    FROM fct_command_statuses
    GROUP BY ALL
),
days AS (
    SELECT
        username,
        CAST(unnest(generate_series(min(timestamp_date), max(timestamp_date), INTERVAL 1 DAY))
            AS DATE) AS timestamp_date
    FROM daily
    GROUP BY username
)
SELECT
    username,
    timestamp_date,
    coalesce(number_of_commands, 0) AS number_of_commands,
    coalesce(number_of_successful_commands, 0) AS number_of_successful_commands,
    coalesce(number_of_failed_commands, 0) AS number_of_failed_commands,
    coalesce(number_without_response, 0) AS number_without_response
FROM days
LEFT JOIN daily USING (username, timestamp_date);

-- Each command with its device's readings of the next 15 s (0 < delta <= 15 s): a range join.
CREATE OR REPLACE TABLE fct_command_readings AS
WITH commands AS (
    SELECT
        *,
        CASE command
            WHEN 'SwitchState' THEN 'Switch'
            WHEN 'LockedState' THEN 'DoorLocked'
            WHEN 'DimmerState' THEN 'Dimmer'
            WHEN 'ThermostatMode' THEN 'ThermostatMode'
            WHEN 'ThermostatHeatSetPoint' THEN 'ThermostatHeatSetpoint'
            WHEN 'ThermostatCoolSetPoint' THEN 'ThermostatCoolSetpoint'
        END AS matching_item_key,
        CASE command
            WHEN 'SwitchState' THEN lower(switch_state)
            WHEN 'LockedState' THEN lower(lock_state)
            WHEN 'DimmerState' THEN CASE lower(dimmer_state)
                WHEN 'multilevel on' THEN 'on' WHEN 'multilevel off' THEN 'off'
            END
            WHEN 'ThermostatMode' THEN CASE lower(thermostat_mode)
                WHEN 'settocool' THEN 'cool' WHEN 'settoheat' THEN 'heat'
                ELSE lower(thermostat_mode)
            END
        END AS desired_state,
        coalesce(thermostat_heat_set_point, thermostat_cool_set_point) AS desired_set_point,
        lag(command_update_timestamp) OVER device_order AS previous_at,
        lead(command_update_timestamp) OVER device_order AS next_at
    FROM fct_command_statuses
    WINDOW device_order AS (
        PARTITION BY device_id ORDER BY command_update_timestamp, command_uuid
    )
),
windows AS (
    SELECT
        c.command_uuid,
        list(
            {'item_key': r.item_key, 'state': r.state, 'update_timestamp': r.update_timestamp}
            ORDER BY r.update_timestamp, r.item_key, r.reading_uuid
        ) AS readings,
        min(r.update_timestamp) FILTER (
            WHERE r.item_key = c.matching_item_key
                AND (r.state = c.desired_state OR abs(r.state_value - c.desired_set_point) <= 0.5)
        ) AS matching_at
    FROM commands AS c
    JOIN stg_readings AS r
        ON r.device_id = c.device_id
        AND r.update_timestamp > c.command_update_timestamp
        AND r.update_timestamp <= c.command_update_timestamp + INTERVAL 15 SECOND
    GROUP BY c.command_uuid
)
SELECT
    c.* EXCLUDE (matching_item_key, desired_state, desired_set_point, previous_at, next_at),
    coalesce(w.readings, []) AS readings,
    coalesce(c.previous_at >= c.command_update_timestamp - INTERVAL 15 SECOND, false)
        AS previous_command_within_15s,
    coalesce(c.next_at <= c.command_update_timestamp + INTERVAL 15 SECOND, false)
        AS next_command_within_15s,
    c.matching_item_key,
    w.matching_at IS NOT NULL AS has_matching_reading,
    round((epoch_us(w.matching_at) - epoch_us(c.command_update_timestamp)) / 1e6, 6)
        AS seconds_to_matching_reading
FROM commands AS c
LEFT JOIN windows AS w USING (command_uuid);
