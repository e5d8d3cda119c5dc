"""`engagement_daily`: the daily fact, partitioned by day, copied from `int_engagement__daily_fact`.

The dbt model computes the grain over every day; this asset keeps one partition per day so a run
replaces exactly the days that changed (new events, or a re-delivered user whose new milestones
change the subscription status of that user's events: their days differ and become stale).
"""

from event_assets.core.daily import build_daily_copy_asset, find_stale_days_by_diff
from event_assets.core.partitions import daily_partitions
from event_assets.core.stale_days import StaleDays, build_stale_days_asset

DOMAIN = "engagement"
FACT_MODEL = "int_engagement__daily_fact"
# The first day of the app's data (the real app's and the bundled sample's start); another with
# EVENT_ASSETS_ENGAGEMENT_FIRST_DAY.
PARTITIONS = daily_partitions(DOMAIN, "2021-01-01")

engagement_daily = build_daily_copy_asset(
    DOMAIN,
    name="engagement_daily",
    source_table=FACT_MODEL,
    partitions_def=PARTITIONS.definition,
    description=(
        "Plays per UTC day and country, OS (name, version), app version, subscription status at "
        "event time, activity (id, type) and collection, with additive measures: plays, "
        "completed_plays, duration_seconds, loading_seconds. Daily-partitioned by `date`; "
        "re-materializing a day replaces that day."
    ),
)

engagement_stale_days = build_stale_days_asset(
    DOMAIN,
    deps=[FACT_MODEL],
    # no watermark: every day is compared on each look
    find_stale_days=lambda conn, _last: StaleDays(
        find_stale_days_by_diff(conn, DOMAIN, FACT_MODEL, "engagement_daily")
    ),
    description=(
        "Days of `engagement_daily` that differ from `int_engagement__daily_fact` (new events, "
        "late events, users whose re-delivered milestones change their events' status). The "
        "`engagement_stale_days_sensor` re-materializes exactly those partitions."
    ),
    partitions=PARTITIONS,
    daily_table="engagement_daily",
)
