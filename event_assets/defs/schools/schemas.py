"""Pandera schemas of the `schools` output tables; each one runs as an asset check on its table."""

import pandera.polars as pa
import polars as pl
from pandera.polars import Check, Column

from event_assets.core.checks import in_order_check
from event_assets.core.names import qualified

UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
MINUTES_PER_DAY = 24 * 60


def _uuid(nullable: bool = False, unique: bool = False) -> Column:
    return Column(pl.Utf8, Check.str_matches(UUID_PATTERN), nullable=nullable, unique=unique)


sessions = pa.DataFrameSchema(
    {
        "session_id": _uuid(unique=True),
        "device_id": _uuid(),
        "started_at": Column(pl.Datetime),
        "ended_at": Column(pl.Datetime, nullable=True),
        "duration_minutes": Column(pl.Float64, Check.ge(0), nullable=True),
        "school_id": _uuid(nullable=True),
        "school_name": Column(pl.Utf8, nullable=True),
    },
    checks=[
        in_order_check("started_at", "ended_at", "ended_at is before started_at"),
        Check(
            lambda data: data.lazyframe.select(
                pl.col("ended_at").is_null() == pl.col("duration_minutes").is_null()
            ),
            error="duration_minutes is null exactly when the session is abandoned",
        ),
    ],
    description="sessions: unique session ids, an end never before its start, "
    "duration only for completed sessions.",
)

devices = pa.DataFrameSchema(
    {
        "device_id": _uuid(unique=True),
        "school_id": _uuid(nullable=True),
        "first_session_started_at": Column(pl.Datetime, nullable=True),
    },
    description="devices: one row per device.",
)

schools = pa.DataFrameSchema(
    {
        "school_id": _uuid(unique=True),
        "name": Column(pl.Utf8, nullable=True),
        "device_count": Column(pl.Int64, Check.ge(0)),
        "median_session_length": Column(pl.Float64, Check.ge(0), nullable=True),
        "mean_session_length": Column(pl.Float64, Check.ge(0), nullable=True),
    },
    description="schools: one row per school, non-negative counts and lengths.",
)

usage_history = pa.DataFrameSchema(
    {
        "device_id": _uuid(),
        "date": Column(pl.Date),
        "usage_minutes": Column(pl.Float64, Check.in_range(0, MINUTES_PER_DAY)),
        "avg_usage_minutes_7d": Column(pl.Float64, Check.in_range(0, MINUTES_PER_DAY)),
    },
    unique=["device_id", "date"],
    description="usage_history: one row per device and day, minutes within a day.",
)

device_daily_usage = pa.DataFrameSchema(
    {
        "device_id": _uuid(),
        "date": Column(pl.Date),
        "usage_minutes": Column(pl.Float64, Check.in_range(0, MINUTES_PER_DAY, include_min=False)),
        "sessions": Column(pl.Int64, Check.ge(1)),
    },
    unique=["device_id", "date"],
    description="schools_device_daily_usage: one row per device and day, 0 < minutes <= 1440.",
)

# table name -> schema; `definitions.py` turns each into an asset check on that table (the
# rejected-events table's schema is the quarantine contract's, `core.checks`).
SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "sessions": sessions,
    "devices": devices,
    "schools": schools,
    "usage_history": usage_history,
    "schools_device_daily_usage": device_daily_usage,
}

# The rows a check validates, where not the whole table: `sessions` (millions of rows, rewritten
# only where a build changed them) is validated on the sessions the last dbt build wrote, so that
# the check of a new day costs what the day changed. dbt's tests on `sessions` (unique, not null,
# relationships) still cover the whole table.
SESSIONS, INT_SESSIONS = (
    qualified("schools", "sessions"),
    qualified("schools", "int_schools__sessions"),
)
ROWS_TO_VALIDATE: dict[str, str] = {
    "sessions": f"""
        select * from {SESSIONS}
        where session_id in (
            select session_id from {INT_SESSIONS}
            where classified_at = (select max(classified_at) from {INT_SESSIONS})
        )""",
}
