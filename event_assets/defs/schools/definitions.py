"""The `schools` pipeline: the shared wiring (`core.pipeline`) around this domain's assets."""

import dagster as dg

from event_assets.core.checks import build_pandera_check, build_reconciliation_check
from event_assets.core.dbt import build_dbt_assets
from event_assets.core.pipeline import DomainPipeline
from event_assets.defs.schools.schemas import ROWS_TO_VALIDATE, SCHEMAS
from event_assets.defs.schools.stats import schools_stats
from event_assets.defs.schools.usage import (
    schools_device_daily_usage,
    schools_stale_days,
    usage_history,
)

defs = DomainPipeline(
    domain="schools",
    dbt_assets=build_dbt_assets("schools"),
    stale_days_asset=schools_stale_days,
    daily_assets=[schools_device_daily_usage],
    downstream_assets=[usage_history, schools_stats],
    asset_checks=[
        *(
            build_pandera_check(table, schema, rows_sql=ROWS_TO_VALIDATE.get(table))
            for table, schema in SCHEMAS.items()
        ),
        build_reconciliation_check(
            asset_key=dg.AssetKey("int_schools__events_classified"),
            raw_table="raw_schools_events",
            classified_table="int_schools__events_classified",
            row_key=("raw_id",),
        ),
    ],
).definitions()
