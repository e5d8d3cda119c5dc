"""The `schools` domain as it describes itself; `core.pipeline.Domain` builds the wiring."""

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
from event_assets.defs.schools.schemas import ROWS_TO_VALIDATE, SCHEMAS
from event_assets.defs.schools.stats import schools_stats
from event_assets.defs.schools.usage import (
    DOMAIN,
    schools_device_daily_usage,
    schools_stale_days,
    usage_history,
)

domain = Domain(
    name=DOMAIN,
    owner="team:schools",
    # the tables analysts query (those with a Pandera contract) are fed by daily files
    freshness=dict.fromkeys([*SCHEMAS, rejected_table(DOMAIN)], DAILY_FILES),
    dbt_assets=build_dbt_assets(DOMAIN),
    assets=[usage_history, schools_stats],
    daily=DailyPart(stale_days=schools_stale_days, assets=[schools_device_daily_usage]),
    asset_checks=[
        *(
            build_pandera_check(DOMAIN, table, schema, rows_sql=ROWS_TO_VALIDATE.get(table))
            for table, schema in SCHEMAS.items()
        ),
        build_pandera_check(DOMAIN, rejected_table(DOMAIN), rejected_records_schema(DOMAIN)),
        build_reconciliation_check(DOMAIN, raw_table(DOMAIN), "int_schools__events_classified"),
    ],
)

defs = domain.definitions()
