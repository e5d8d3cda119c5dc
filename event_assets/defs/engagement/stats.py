"""`engagement_stats`: descriptive statistics of the domain, as markdown tables and a plot."""

import duckdb
import pandas as pd

from event_assets.core.names import qualified
from event_assets.core.stats import DailyPlot, build_stats_asset

DOMAIN = "engagement"
DAILY, USERS, ACTIVITIES = (
    qualified(DOMAIN, table)
    for table in ("engagement_daily", "dim_user_subscription", "dim_activity")
)


def compute_stats(conn: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """Named tables of statistics, read from the warehouse."""
    overview = conn.execute(
        f"""
        select 'plays' as measure, coalesce(sum(plays), 0)::varchar as value
            from {DAILY}
        union all select 'completion rate',
            coalesce(round(sum(completed_plays) / nullif(sum(plays), 0), 3), 0)::varchar
            from {DAILY}
        union all select 'hours played',
            round(coalesce(sum(duration_seconds), 0) / 3600, 1)::varchar
            from {DAILY}
        union all select 'users with a record', count(*)::varchar from {USERS}
        union all select 'activities', count(*)::varchar from {ACTIVITIES}
        union all select 'first day', min(date)::varchar from {DAILY}
        union all select 'last day', max(date)::varchar from {DAILY}
        """
    ).df()
    plays_by_status = conn.execute(
        f"""select subscription_status, sum(plays) as plays,
                  round(sum(completed_plays) / sum(plays), 3) as completion_rate
           from {DAILY} group by 1 order by plays desc"""
    ).df()
    top_activities = conn.execute(
        f"""select activity_id, any_value(activity_type) as activity_type, sum(plays) as plays,
                  round(sum(duration_seconds) / 3600, 1) as hours
           from {DAILY} group by activity_id order by plays desc limit 10"""
    ).df()
    return {
        "overview": overview,
        "plays_by_status": plays_by_status,
        "top_activities": top_activities,
    }


def daily_plays(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return conn.execute(
        f"""select date, subscription_status, sum(plays) as plays from {DAILY}
           group by all order by all"""
    ).df()


engagement_stats = build_stats_asset(
    DOMAIN,
    deps=[
        "engagement_daily",
        "dim_user_subscription",
        "dim_activity",
        "engagement_rejected_events",
    ],
    classified_table="int_engagement__events_classified",
    compute=compute_stats,
    plot=DailyPlot(
        query=daily_plays,
        x="date",
        y="plays",
        by="subscription_status",
        title="engagement: daily plays by subscription status",
        file_name="engagement_daily_plays.png",
        caption="daily plays",
    ),
    description="Plays, completion rate, plays by subscription status, top activities, rejected "
    "events by reason, and a plot of daily plays by subscription status.",
)
