"""The `engagement` domain as it describes itself: three raw inputs, its models and checks."""

from event_assets.core.catalog import DAILY_FILES
from event_assets.core.checks import (
    build_pandera_check,
    build_reconciliation_check,
    rejected_records_schema,
)
from event_assets.core.dbt import build_dbt_assets
from event_assets.core.names import raw_table
from event_assets.core.pipeline import DailyPart, Domain
from event_assets.core.quarantine import rejected_table
from event_assets.defs.engagement.daily import DOMAIN, engagement_daily, engagement_stale_days
from event_assets.defs.engagement.schemas import SCHEMAS
from event_assets.defs.engagement.stats import engagement_stats

domain = Domain(
    name=DOMAIN,
    owner="team:engagement",
    # the tables analysts query (those with a Pandera contract) are fed by daily files
    freshness=dict.fromkeys([*SCHEMAS, rejected_table(DOMAIN)], DAILY_FILES),
    sources={"events": "events", "users": "users", "activities": "activities"},
    dbt_assets=build_dbt_assets(DOMAIN),
    assets=[engagement_stats],
    daily=DailyPart(stale_days=engagement_stale_days, assets=[engagement_daily]),
    asset_checks=[
        *(build_pandera_check(DOMAIN, table, schema) for table, schema in SCHEMAS.items()),
        build_pandera_check(DOMAIN, rejected_table(DOMAIN), rejected_records_schema(DOMAIN)),
        *(
            build_reconciliation_check(
                DOMAIN, raw_table(DOMAIN, source), f"int_engagement__{source}_classified"
            )
            for source in ("events", "users", "activities")
        ),
    ],
)

defs = domain.definitions()
