"""`schools_stats`: descriptive statistics of the domain, as markdown tables and a plot in the UI.

The same figures are printed by the headless CLI (`python -m event_assets run`).
"""

import duckdb
import pandas as pd

from event_assets.core.names import qualified
from event_assets.core.stats import DailyPlot, build_stats_asset

DOMAIN = "schools"
SCHOOLS, DEVICES, SESSIONS, USAGE_HISTORY, CLASSIFIED = (
    qualified(DOMAIN, table)
    for table in (
        "schools",
        "devices",
        "sessions",
        "usage_history",
        "int_schools__events_classified",
    )
)


def compute_stats(conn: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """Named tables of statistics, read from the warehouse.

    Type and time of the valid events are read from the classification (`status = 'valid'`),
    which stores them: `int_schools__valid_events` would join every row back to staging."""
    overview = conn.execute(
        f"""
        select 'schools' as measure, (select count(*) from {SCHOOLS})::varchar as value
        union all select 'devices', (select count(*) from {DEVICES})::varchar
        union all select 'sessions complete',
            (select count(*) from {SESSIONS} where ended_at is not null)::varchar
        union all select 'sessions abandoned',
            (select count(*) from {SESSIONS} where ended_at is null)::varchar
        union all select 'first event',
            (select min(event_at) from {CLASSIFIED}
             where status = 'valid')::varchar
        union all select 'last event',
            (select max(event_at) from {CLASSIFIED}
             where status = 'valid')::varchar
        union all select 'total usage hours',
            (select round(coalesce(sum(usage_minutes), 0) / 60, 1) from {USAGE_HISTORY})::varchar
        """
    ).df()
    events_by_type = conn.execute(
        f"""select event_type, count(*) as events from {CLASSIFIED}
           where status = 'valid' group by event_type order by events desc"""
    ).df()
    return {
        "overview": overview,
        "events_by_type": events_by_type,
    }


def daily_usage_hours(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return conn.execute(
        f"""select date, sum(usage_minutes) / 60 as usage_hours from {USAGE_HISTORY}
           group by date order by date"""
    ).df()


schools_stats = build_stats_asset(
    DOMAIN,
    deps=[
        "usage_history",
        "sessions",
        "devices",
        "schools",
        "schools_rejected_events",
    ],
    classified_table="int_schools__events_classified",
    compute=compute_stats,
    plot=DailyPlot(
        query=daily_usage_hours,
        x="date",
        y="usage_hours",
        title="schools: total daily usage (hours)",
        file_name="schools_daily_usage.png",
        caption="daily usage",
    ),
    description="Counts of schools, devices, sessions (complete and abandoned), events by type, "
    "rejected events by reason, the date range, total usage, and a plot of total daily usage.",
)
