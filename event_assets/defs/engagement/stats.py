"""`engagement_stats`: descriptive statistics of the domain, as markdown tables and a plot."""

import dagster as dg
import duckdb
import pandas as pd

from event_assets.core.names import asset_key, qualified, stats_table
from event_assets.core.plots import plot_daily_series, stats_metadata
from event_assets.core.stats import quarantine_stats
from event_assets.core.warehouse import WAREHOUSE_POOL, Warehouse

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
    records, rejected_by_reason = quarantine_stats(
        conn, DOMAIN, "int_engagement__events_classified"
    )
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
        "records": records,
        "plays_by_status": plays_by_status,
        "top_activities": top_activities,
        "rejected_by_reason": rejected_by_reason,
    }


@dg.asset(
    key=asset_key(DOMAIN, stats_table(DOMAIN)),
    group_name=DOMAIN,
    deps=[
        asset_key(DOMAIN, table)
        for table in (
            "engagement_daily",
            "dim_user_subscription",
            "dim_activity",
            "engagement_rejected_events",
        )
    ],
    pool=WAREHOUSE_POOL,
)
def engagement_stats(warehouse: Warehouse) -> dg.MaterializeResult:
    """Plays, completion rate, plays by subscription status, top activities, rejected events by
    reason, and a plot of daily plays by subscription status."""
    with warehouse.connect(read_only=True) as conn:
        tables = compute_stats(conn)
        daily = conn.execute(
            f"""select date, subscription_status, sum(plays) as plays from {DAILY}
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
