"""`webapp_stats`: the product owner's questions answered in the UI, with a histogram of
session durations."""

import duckdb
import pandas as pd

from event_assets.core.names import qualified
from event_assets.core.stats import DailyPlot, build_stats_asset
from event_assets.defs.webapp.names import DOMAIN

SESSIONS, DAILY, INSIGHTS, HEARTBEATS, STREAMS = (
    qualified(DOMAIN, table)
    for table in (
        "webapp_sessions",
        "webapp_daily_activity",
        "webapp_insights",
        "int_webapp__playback_judged",  # final statuses: late and closed-stream are rejected
        "playback_streams",
    )
)
# Histogram bins of session durations: 5 minutes, so the 30-minute gap rule shows its shape.
BIN_MINUTES = 5


def compute_stats(conn: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """Named tables of statistics, read from the warehouse."""
    insights = conn.execute(f"select * from {INSIGHTS}").df()
    daily_activity = conn.execute(f"select * from {DAILY} order by date").df()
    heartbeats = conn.execute(
        f"""select status, count(*) as heartbeats from {HEARTBEATS}
            group by status order by status"""
    ).df()
    return {
        "insights": insights,
        "daily_activity": daily_activity,
        "session_durations": session_durations(conn),
        "heartbeats": heartbeats,
        "stream_durations": stream_durations(conn),
    }


def stream_durations(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Written playback streams per minute of duration (the histogram)."""
    return conn.execute(
        f"""select floor(stream_duration_seconds / 60) as duration_minutes,
                  count(*) as streams
           from {STREAMS} group by all order by all"""
    ).df()


def session_durations(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Sessions per bin of BIN_MINUTES of duration (the histogram)."""
    return conn.execute(
        f"""select floor(duration_seconds / {60 * BIN_MINUTES}) * {BIN_MINUTES}
                      as duration_minutes,
                  count(*) as sessions
           from {SESSIONS} group by all order by all"""
    ).df()


webapp_stats = build_stats_asset(
    DOMAIN,
    deps=[
        "webapp_sessions",
        "webapp_daily_activity",
        "webapp_insights",
        "webapp_rejected_events",
        "playback_streams",
    ],
    classified_table="int_webapp__events_classified",
    compute=compute_stats,
    plot=DailyPlot(
        query=session_durations,
        x="duration_minutes",
        y="sessions",
        title=f"webapp: sessions per {BIN_MINUTES} minutes of duration",
        file_name="webapp_session_durations.png",
        caption="session durations",
    ),
    description="The answers (most active day, most events in a session, average session "
    "duration), daily activity, histograms of session and stream durations, heartbeats by "
    "status, web events by status and rejected records by reason.",
)
