"""Pandera schemas of the `webapp` output tables; each one runs as an asset check."""

import pandera.polars as pa
import polars as pl
from pandera.polars import Check, Column

from event_assets.defs.webapp.names import DOMAIN


def _in_order(first: str, then: str) -> Check:
    """`first` <= `then` on every row (a session ends at or after it starts)."""
    return Check(lambda data: data.lazyframe.select(pl.col(first) <= pl.col(then)),
                 error=f"{first} <= {then}")  # fmt: skip


SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "webapp_sessions": pa.DataFrameSchema(
        {
            "session_id": Column(pl.Utf8, unique=True),
            "user_id": Column(pl.Utf8),
            "device_id": Column(pl.Utf8),
            "started_at": Column(pl.Datetime),
            "ended_at": Column(pl.Datetime),
            "duration_seconds": Column(pl.Float64, Check.ge(0)),
            "event_count": Column(pl.Int64, Check.ge(1)),
            "app_version": Column(pl.Utf8, nullable=True),
        },
        checks=[_in_order("started_at", "ended_at")],
        description=f"{DOMAIN}.webapp_sessions: one row per session, ids unique, durations >= 0.",
    ),
    "webapp_daily_activity": pa.DataFrameSchema(
        {
            "date": Column(pl.Date, unique=True),
            "events": Column(pl.Int64, Check.ge(1)),
            "users": Column(pl.Int64, Check.ge(1)),
            "sessions": Column(pl.Int64, Check.ge(1)),
        },
        checks=[_in_order("users", "sessions"), _in_order("sessions", "events")],
        description=f"{DOMAIN}.webapp_daily_activity: one row per UTC day, users <= sessions "
        "<= events.",
    ),
    "webapp_insights": pa.DataFrameSchema(
        {
            "most_active_day": Column(pl.Date, nullable=True),
            "most_active_day_events": Column(pl.Int64, nullable=True),
            "max_events_in_session": Column(pl.Int64, nullable=True),
            "avg_session_duration_seconds": Column(pl.Float64, Check.ge(0), nullable=True),
        },
        checks=[Check(lambda data: data.lazyframe.select(pl.len() == 1), error="one row")],
        description=f"{DOMAIN}.webapp_insights: exactly one row of answers.",
    ),
    "playback_streams": pa.DataFrameSchema(
        {
            "user_id": Column(pl.Utf8),
            "program_id": Column(pl.Utf8),
            "start_time": Column(pl.Datetime),
            "session_id": Column(pl.Utf8),
            "device": Column(pl.Utf8, nullable=True),
            # a heartbeat may come before the start the player claims: negative is possible
            "stream_duration_seconds": Column(pl.Float64),
            "event_count": Column(pl.Int64, Check.ge(1)),
        },
        unique=["session_id", "program_id"],
        description=f"{DOMAIN}.playback_streams: every stream once.",
    ),
    "playback_open_streams": pa.DataFrameSchema(
        {
            "user_id": Column(pl.Utf8),
            "program_id": Column(pl.Utf8),
            "start_time": Column(pl.Datetime),
            "session_id": Column(pl.Utf8),
            "device": Column(pl.Utf8, nullable=True),
            "first_event_at": Column(pl.Datetime),
            "last_event_at": Column(pl.Datetime),
            "event_count": Column(pl.Int64, Check.ge(1)),
        },
        unique=["session_id", "program_id"],
        checks=[_in_order("first_event_at", "last_event_at")],
        description=f"{DOMAIN}.playback_open_streams: the open streams, each once.",
    ),
}
