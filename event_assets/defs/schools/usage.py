"""Device usage per day (daily-partitioned) and the gap-free `usage_history` built from it.

`schools_device_daily_usage` holds, per device and UTC day, the minutes of completed sessions that
fall on that day: a session spanning midnight counts on each day for its part inside it. A run
covers a range of days in one SQL statement and replaces exactly those days (delete + insert in
one transaction), so materializing a day twice gives the same table.
`schools_stale_days` finds the days whose stored usage differs from what the current `sessions`
imply (a late end, a session made valid or invalid by a later event): those are the partitions
the next run must re-materialize.
"""

from datetime import datetime

import dagster as dg
import duckdb

from event_assets.core.names import asset_key, qualified
from event_assets.core.partitions import daily_partitions, window_bounds
from event_assets.core.stale_days import LastCheck, StaleDays, build_stale_days_asset
from event_assets.core.table_metadata import table_metadata, table_name
from event_assets.core.warehouse import WAREHOUSE_POOL, Warehouse, table_exists

DOMAIN = "schools"
DAILY_TABLE = "schools_device_daily_usage"
# The first day of the domain's data: the bundled sample's (the generator's default start). For
# the original archive (from 2020-01-15) set EVENT_ASSETS_SCHOOLS_FIRST_DAY. Staging rejects
# events before 2020 as `time_out_of_range` (dbt var `schools_min_event_time`); valid days before
# the first day are counted by the stale-days asset's coverage check.
PARTITIONS = daily_partitions(DOMAIN, "2026-01-05")

SESSIONS = qualified(DOMAIN, "sessions")
DAILY_USAGE = qualified(DOMAIN, DAILY_TABLE)
USAGE_HISTORY = qualified(DOMAIN, "usage_history")
CLASSIFIED = qualified(DOMAIN, "int_schools__events_classified")
DEVICES = qualified(DOMAIN, "devices")


def _minutes_per_day(intervals: str) -> str:
    """SQL: (device_id, date, minutes) of each interval of `intervals` (a CTE with device_id,
    started_at, ended_at) on each UTC day in [$start, $end) it overlaps."""
    return f"""
    select
        device_id,
        cast(day_start as date) as date,
        date_diff(
            'millisecond',
            greatest(started_at, day_start),
            least(ended_at, day_start + interval 1 day)
        ) / 60000.0 as minutes
    from (
        select
            *,
            unnest(generate_series(
                date_trunc('day', started_at), date_trunc('day', ended_at), interval 1 day
            )) as day_start
        from {intervals}
    )
    where day_start >= $start and day_start < $end
    """


# Per device and day, for completed sessions overlapping [$start, $end): the minutes the device
# was in a session (time covered by overlapping sessions of one device counts once, so a day has
# at most 1,440), rounded to the microminute so that two runs store the same doubles, and the
# sessions that fall on that day.
DAILY_USAGE_SQL = f"""
with completed as (
    select device_id, started_at, ended_at
    from {SESSIONS}
    where ended_at is not null and started_at < $end and ended_at > $start
),
ordered as (
    select
        *,
        max(ended_at) over (
            partition by device_id order by started_at, ended_at
            rows between unbounded preceding and 1 preceding
        ) as earlier_end
    from completed
),
islands as (
    -- a session that starts after every earlier one of its device ended opens a new stretch
    select
        *,
        count(*) filter (where earlier_end is null or started_at > earlier_end) over (
            partition by device_id order by started_at, ended_at rows unbounded preceding
        ) as stretch
    from ordered
),
covered as (
    select device_id, min(started_at) as started_at, max(ended_at) as ended_at
    from islands
    group by device_id, stretch
),
usage as (
    select device_id, date, round(sum(minutes), 6) as usage_minutes
    from ({_minutes_per_day("covered")})
    where minutes > 0
    group by device_id, date
),
session_counts as (
    select device_id, date, count(*) as sessions
    from ({_minutes_per_day("completed")})
    where minutes > 0
    group by device_id, date
)
select device_id, date, usage_minutes, sessions
from usage
join session_counts using (device_id, date)
"""

DAILY_COLUMNS = """
    device_id VARCHAR NOT NULL,
    date DATE NOT NULL,
    usage_minutes DOUBLE NOT NULL,
    sessions BIGINT NOT NULL
"""

_ALL_TIME = (datetime(1970, 1, 1), datetime(9999, 1, 1))
STAGED = qualified(DOMAIN, "stg_schools__events")

# The earliest event time of the sessions whose events were classified after $since: a session
# changes only when one of its events is (re)classified, and both its stored and its new version
# lie between its events' times. Events that failed the syntax checks never count.
CHANGED_SINCE_SQL = f"""
with reclassified as (
    select raw_id from {CLASSIFIED} where classified_at > $since
),
changed_sessions as (
    select distinct session_id
    from {STAGED}
    where raw_id in (select raw_id from reclassified) and session_id is not null
)
select min(event_at)
from {STAGED}
where session_id in (select session_id from changed_sessions) and syntax_reason is null
"""


def find_stale_days(conn: duckdb.DuckDBPyConnection, last: LastCheck | None = None) -> StaleDays:
    """Days whose stored usage differs from the usage the current sessions imply: every day, or,
    after a `last` look at this warehouse, the days from the earliest that sessions changed since
    (or that was stale then) onwards. The watermark is the newest `classified_at`."""
    if not table_exists(conn, "sessions", schema=DOMAIN):
        return StaleDays([])
    watermark = _newest_classification(conn)
    start = _first_time_that_may_differ(conn, last, watermark)
    if start is None:
        return StaleDays([], watermark)
    stored = (
        DAILY_USAGE
        if table_exists(conn, DAILY_TABLE, schema=DOMAIN)
        else (
            "(select null::varchar as device_id, null::date as date, null::double as usage_minutes "
            "where false)"
        )
    )
    start = datetime.combine(start.date(), datetime.min.time())  # whole days
    rows = conn.execute(
        f"""
        with fresh as ({DAILY_USAGE_SQL}),
        stored as (
            select device_id, date, usage_minutes from {stored} where date >= cast($start as date)
        )
        select distinct coalesce(fresh.date, stored.date) as date
        from fresh full outer join stored using (device_id, date)
        where fresh.usage_minutes is null
           or stored.usage_minutes is null
           or abs(fresh.usage_minutes - stored.usage_minutes) > 1e-6
        order by date
        """,
        {"start": start, "end": _ALL_TIME[1]},
    ).fetchall()
    return StaleDays([row[0] for row in rows], watermark)


def _newest_classification(conn: duckdb.DuckDBPyConnection) -> str | None:
    if not table_exists(conn, "int_schools__events_classified", schema=DOMAIN):
        return None
    (newest,) = conn.execute(f"select max(classified_at) from {CLASSIFIED}").fetchone()
    return newest.isoformat() if newest is not None else None


def _first_time_that_may_differ(
    conn: duckdb.DuckDBPyConnection, last: LastCheck | None, watermark: str | None
) -> datetime | None:
    """The earliest time whose day may be stale (None: no day may be): all time without a usable
    `last` look (none, or one whose watermark this warehouse has not reached: not its history)."""
    if last is None or watermark is None:
        return _ALL_TIME[0]
    since = datetime.fromisoformat(last.checked_through)
    if since > datetime.fromisoformat(watermark):
        return _ALL_TIME[0]
    (changed_from,) = conn.execute(CHANGED_SINCE_SQL, {"since": since}).fetchone()
    stale_from = last.earliest_stale and datetime.combine(last.earliest_stale, datetime.min.time())
    return min((time for time in (changed_from, stale_from) if time is not None), default=None)


schools_stale_days = build_stale_days_asset(
    DOMAIN,
    deps=["sessions"],
    find_stale_days=find_stale_days,
    description=(
        "Days of `schools_device_daily_usage` that no longer match `sessions` (new sessions, late "
        "ends, sessions whose validity changed). Its metadata lists them as ranges; the "
        "`schools_stale_days_sensor` re-materializes exactly those partitions."
    ),
    partitions=PARTITIONS,
    daily_table=DAILY_TABLE,
)


@dg.asset(
    key=asset_key(DOMAIN, DAILY_TABLE),
    group_name=DOMAIN,
    deps=[asset_key(DOMAIN, "sessions")],
    partitions_def=PARTITIONS.definition,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=WAREHOUSE_POOL,
    kinds={"duckdb"},
    metadata={"partition_expr": "date", **table_name(DOMAIN, DAILY_TABLE)},
)
def schools_device_daily_usage(
    context: dg.AssetExecutionContext, warehouse: Warehouse
) -> dg.MaterializeResult:
    """Minutes of completed sessions per device and UTC day; a multi-day session is split across
    the days it covers. One row per device and day with usage; partitioned by `date`."""
    start, end = window_bounds(context)
    with warehouse.connect() as conn:
        conn.execute(f"create table if not exists {DAILY_USAGE} ({DAILY_COLUMNS})")
        conn.execute("begin transaction")
        conn.execute(
            f"delete from {DAILY_USAGE} where date >= $start and date < $end",
            {"start": start.date(), "end": end.date()},
        )
        conn.execute(
            f"insert into {DAILY_USAGE} by name {DAILY_USAGE_SQL}",
            {"start": start, "end": end},
        )
        conn.execute("commit")
        rows, minutes = conn.execute(
            f"""select count(*), coalesce(sum(usage_minutes), 0) from {DAILY_USAGE}
                where date >= $start and date < $end""",
            {"start": start.date(), "end": end.date()},
        ).fetchone()
        described = table_metadata(conn, DOMAIN, DAILY_TABLE, partition_rows=rows)
    return dg.MaterializeResult(
        metadata={
            "first_day": start.date().isoformat(),
            "days": (end - start).days,
            "rows": rows,
            "usage_minutes": float(minutes),
            **described,
        }
    )


_USAGE_HISTORY_SQL = f"""
create or replace table {USAGE_HISTORY} as
with as_of as (
    -- the classification stores the time; the valid-events view would join staging for it
    select cast(max(event_at) as date) as as_of_day
    from {CLASSIFIED}
    where status = 'valid'
),
first_days as (
    select device_id, cast(first_session_started_at as date) as first_day
    from {DEVICES}
    where first_session_started_at is not null
),
spine as (
    select
        device_id,
        cast(unnest(generate_series(first_day, as_of_day, interval 1 day)) as date) as date
    from first_days cross join as_of
),
daily as (
    select spine.device_id, spine.date, coalesce(usage.usage_minutes, 0) as usage_minutes
    from spine
    left join {DAILY_USAGE} as usage using (device_id, date)
)
select
    device_id,
    date,
    usage_minutes,
    -- rounded where stored: a window's sum of doubles may differ in the last bits between runs
    round(avg(usage_minutes) over (
        partition by device_id order by date rows between 6 preceding and current row
    ), 6) as avg_usage_minutes_7d
from daily
order by device_id, date
"""


@dg.asset(
    key=asset_key(DOMAIN, "usage_history"),
    group_name=DOMAIN,
    deps=[
        schools_device_daily_usage,
        asset_key(DOMAIN, "devices"),
        asset_key(DOMAIN, "int_schools__events_classified"),
    ],
    pool=WAREHOUSE_POOL,
    kinds={"duckdb"},
    metadata=table_name(DOMAIN, "usage_history"),
)
def usage_history(warehouse: Warehouse) -> dg.MaterializeResult:
    """One row per device and day, from the day of the device's first started session through the
    as-of day (the latest day with a valid event), with no gaps: `usage_minutes` (0 on days
    without completed sessions) and `avg_usage_minutes_7d`, the mean over the seven days ending
    at `date` (days before the device's first day are not counted)."""
    with warehouse.connect() as conn:
        conn.execute(f"create table if not exists {DAILY_USAGE} ({DAILY_COLUMNS})")
        conn.execute(_USAGE_HISTORY_SQL)
        rows, devices, first, last = conn.execute(
            f"select count(*), count(distinct device_id), min(date), max(date) from {USAGE_HISTORY}"
        ).fetchone()
        described = table_metadata(conn, DOMAIN, "usage_history")
    return dg.MaterializeResult(
        metadata={
            "rows": rows,
            "devices": devices,
            "first_day": str(first),
            "as_of_day": str(last),
            **described,
        }
    )
