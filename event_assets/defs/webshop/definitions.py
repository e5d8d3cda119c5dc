"""The `webshop` domain as it describes itself: six raw inputs, its models and checks."""

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
from event_assets.defs.webshop.quality import QUALITY_CHECKS
from event_assets.defs.webshop.schemas import SCHEMAS
from event_assets.defs.webshop.stats import DOMAIN, SOURCES, webshop_stats

domain = Domain(
    name=DOMAIN,
    owner="team:webshop",
    # the tables analysts query (those with a Pandera contract) are fed by daily files
    freshness=dict.fromkeys([*SCHEMAS, rejected_table(DOMAIN)], DAILY_FILES),
    # source -> folder under landing/webshop/ (raw table raw_webshop_<source>): the operational
    # tables keep their own names; customeraddress is ingested and classified, not modelled
    sources={source: source for source in SOURCES},
    dbt_assets=build_dbt_assets(DOMAIN),
    assets=[webshop_stats],
    asset_checks=[
        *(build_pandera_check(DOMAIN, table, schema) for table, schema in SCHEMAS.items()),
        build_pandera_check(DOMAIN, rejected_table(DOMAIN), rejected_records_schema(DOMAIN)),
        *(
            build_reconciliation_check(
                DOMAIN, raw_table(DOMAIN, source), f"int_webshop__{source}_classified"
            )
            for source in SOURCES
        ),
        *QUALITY_CHECKS,
    ],
)

defs = domain.definitions()
