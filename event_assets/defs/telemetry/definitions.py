"""The `telemetry` domain as it describes itself: two raw inputs, its models and checks."""

from event_assets.core.catalog import DAILY_FILES
from event_assets.core.checks import (
    build_pandera_check,
    build_reconciliation_check,
    rejected_records_schema,
)
from event_assets.core.dbt import build_dbt_assets
from event_assets.core.names import raw_table
from event_assets.core.pipeline import Domain
from event_assets.core.quarantine import rejected_table
from event_assets.defs.telemetry.quality import QUALITY_CHECKS
from event_assets.defs.telemetry.schemas import ROWS_TO_VALIDATE, SCHEMAS
from event_assets.defs.telemetry.stats import DOMAIN, telemetry_stats

# source -> folder under landing/telemetry/ (raw table raw_telemetry_<source>)
SOURCES = {"sync_events": "raw_sync_events", "users": "raw_users"}

domain = Domain(
    name=DOMAIN,
    owner="team:telemetry",
    # the tables analysts query (those with a Pandera contract) are fed by daily files
    freshness=dict.fromkeys([*SCHEMAS, rejected_table(DOMAIN)], DAILY_FILES),
    sources=SOURCES,
    dbt_assets=build_dbt_assets(DOMAIN),
    assets=[telemetry_stats],
    asset_checks=[
        *(
            build_pandera_check(DOMAIN, table, schema, rows_sql=ROWS_TO_VALIDATE.get(table))
            for table, schema in SCHEMAS.items()
        ),
        build_pandera_check(DOMAIN, rejected_table(DOMAIN), rejected_records_schema(DOMAIN)),
        *(
            build_reconciliation_check(
                DOMAIN, raw_table(DOMAIN, source), f"int_telemetry__{source}_classified"
            )
            for source in SOURCES
        ),
        *QUALITY_CHECKS,
    ],
)

defs = domain.definitions()
