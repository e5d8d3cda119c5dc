"""`engagement_stats`: descriptive statistics of the domain, as markdown tables and a plot."""

import dagster as dg
import duckdb
import pandas as pd

from event_assets.core.plots import plot_daily_series, stats_metadata
from event_assets.core.warehouse import WAREHOUSE_POOL, Warehouse


def compute_stats(conn: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """Named tables of statistics, read from the warehouse."""
    overview = conn.execute(
        """
        select 'plays' as measure, coalesce(sum(plays), 0)::varchar as value
            from main.engagement_daily
        union all select 'completion rate',
            coalesce(round(sum(completed_plays) / nullif(sum(plays), 0), 3), 0)::varchar
            from main.engagement_daily
        union all select 'hours played',
            round(coalesce(sum(duration_seconds), 0) / 3600, 1)::varchar
            from main.engagement_daily
        union all select 'users with a record', count(*)::varchar from main.dim_user_subscription
        union all select 'activities', count(*)::varchar from main.dim_activity
        union all select 'first day', min(date)::varchar from main.engagement_daily
        union all select 'last day', max(date)::varchar from main.engagement_daily
        """
    ).df()
    records = conn.execute(
        """select status, count(*) as records from main.int_engagement__events_classified
           group by status order by status"""
    ).df()
    plays_by_status = conn.execute(
        """select subscription_status, sum(plays) as plays,
                  round(sum(completed_plays) / sum(plays), 3) as completion_rate
           from main.engagement_daily group by 1 order by plays desc"""
    ).df()
    top_activities = conn.execute(
        """select activity_id, any_value(activity_type) as activity_type, sum(plays) as plays,
                  round(sum(duration_seconds) / 3600, 1) as hours
           from main.engagement_daily group by activity_id order by plays desc limit 10"""
    ).df()
    rejected_by_reason = conn.execute(
        """select reason, count(*) as events from main.engagement_rejected_events
           group by reason order by events desc"""
    ).df()
    return {
        "overview": overview,
        "records": records,
        "plays_by_status": plays_by_status,
        "top_activities": top_activities,
        "rejected_by_reason": rejected_by_reason,
    }


@dg.asset(
    group_name="engagement",
    deps=[
        "engagement_daily",
        "dim_user_subscription",
        "dim_activity",
        "engagement_rejected_events",
    ],
    pool=WAREHOUSE_POOL,
)
def engagement_stats(warehouse: Warehouse) -> dg.MaterializeResult:
    """Plays, completion rate, plays by subscription status, top activities, rejected events by
    reason, and a plot of daily plays by subscription status."""
    with warehouse.connect(read_only=True) as conn:
        tables = compute_stats(conn)
        daily = conn.execute(
            """select date, subscription_status, sum(plays) as plays from main.engagement_daily
               group by all order by all"""
        ).df()
    plot_path = plot_daily_series(
        daily,
        x="date",
        y="plays",
        by="subscription_status",
        title="engagement: daily plays by subscription status",
        path=warehouse.settings.plots_dir / "engagement_daily_plays.png",
    )
    return dg.MaterializeResult(metadata=stats_metadata(tables, plot_path, "daily plays"))
