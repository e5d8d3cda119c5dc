"""The `webapp` domain as it describes itself: web events and playback heartbeats, its models
and checks."""

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
from event_assets.defs.webapp.names import DOMAIN, SOURCES
from event_assets.defs.webapp.schemas import SCHEMAS
from event_assets.defs.webapp.stats import webapp_stats
from event_assets.defs.webapp.stream_asset import playback_stream_processor
from event_assets.defs.webapp.stream_checks import STREAM_CHECKS

# source -> the model giving each raw record its final status: a heartbeat's is the
# processor's judgement when it refused it (late_event, stream_closed), so the reconciliation
# counts those as rejected, as webapp_rejected_events lists them
STATUS_MODELS = {
    "events": "int_webapp__events_classified",
    "playback": "int_webapp__playback_judged",
}

domain = Domain(
    name=DOMAIN,
    owner="team:webapp",
    # the tables analysts query (those with a Pandera contract) are fed by daily files
    freshness=dict.fromkeys([*SCHEMAS, rejected_table(DOMAIN)], DAILY_FILES),
    sources=SOURCES,
    dbt_assets=build_dbt_assets(DOMAIN),
    assets=[playback_stream_processor, webapp_stats],
    asset_checks=[
        *(build_pandera_check(DOMAIN, table, schema) for table, schema in SCHEMAS.items()),
        # webapp_rejected_events holds the processor's late_event and stream_closed heartbeats
        # too: this check runs after the processor, on every rejected record of the domain
        build_pandera_check(DOMAIN, rejected_table(DOMAIN), rejected_records_schema(DOMAIN)),
        *(
            build_reconciliation_check(DOMAIN, raw_table(DOMAIN, source), statuses)
            for source, statuses in STATUS_MODELS.items()
        ),
        *STREAM_CHECKS,
    ],
)

defs = domain.definitions()
