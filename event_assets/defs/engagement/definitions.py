"""The `engagement` pipeline: three raw inputs, the shared wiring (`core.pipeline`) around them."""

import dagster as dg

from event_assets.core.checks import build_pandera_check, build_reconciliation_check
from event_assets.core.dbt import build_dbt_assets
from event_assets.core.pipeline import DomainPipeline
from event_assets.defs.engagement.daily import engagement_daily, engagement_stale_days
from event_assets.defs.engagement.schemas import SCHEMAS
from event_assets.defs.engagement.stats import engagement_stats

defs = DomainPipeline(
    domain="engagement",
    sources={"events": "events", "users": "users", "activities": "activities"},
    dbt_assets=build_dbt_assets("engagement"),
    stale_days_asset=engagement_stale_days,
    daily_assets=[engagement_daily],
    downstream_assets=[engagement_stats],
    asset_checks=[
        *(build_pandera_check(table, schema) for table, schema in SCHEMAS.items()),
        build_reconciliation_check(
            asset_key=dg.AssetKey("int_engagement__events_classified"),
            raw_table="raw_engagement_events",
            classified_table="int_engagement__events_classified",
        ),
    ],
).definitions()
