"""The stream processor as a Dagster asset: after the playback files are ingested and
classified (the landing sensor's run), it processes every new file as one micro-batch
(`stream_processor.py`) and reports `playback_streams`, `playback_open_streams` and the
heartbeats it judged late or of a closed stream (`int_webapp__playback_rejected_heartbeats`, a
dbt source: dbt builds `int_webapp__playback_judged` and `webapp_rejected_events` from it after
this asset in the same run)."""

import os

import dagster as dg

from event_assets.core.names import asset_key
from event_assets.core.table_metadata import table_metadata, table_name
from event_assets.core.warehouse import WAREHOUSE_POOL, Warehouse
from event_assets.defs.webapp import stream_processor
from event_assets.defs.webapp.names import DOMAIN, SOURCES

# The allowed lateness of the watermark in seconds (the spec's default: 0).
LATENESS_VAR = "EVENT_ASSETS_WEBAPP_LATENESS_SECONDS"
TABLES = ("playback_streams", "playback_open_streams", stream_processor.REJECTED_TABLE)


def lateness_seconds() -> float:
    return float(os.environ.get(LATENESS_VAR, "0"))


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            asset_key(DOMAIN, table),
            group_name=DOMAIN,
            deps=[asset_key(DOMAIN, "int_webapp__playback_classified")],
            kinds={"duckdb"},
            metadata=table_name(DOMAIN, table),
            description=description,
        )
        for table, description in zip(
            TABLES,
            (
                "One row per playback stream, written once when the watermark is past its "
                "last heartbeat + 60 s.",
                "The streams still open: the processor's state between micro-batches.",
                "Heartbeats the processor judged late_event or stream_closed (internal: "
                "webapp_rejected_events serves them with the other rejected records).",
            ),
            strict=True,
        )
    ],
    pool=WAREHOUSE_POOL,
)
def playback_stream_processor(warehouse: Warehouse):
    """Processes every ingested playback file not processed yet, in arrival order, one DuckDB
    transaction per file."""
    with warehouse.connect() as conn:
        done = stream_processor.process_pending(
            conn,
            lateness_seconds(),
            landing=warehouse.settings.landing_dir(DOMAIN) / SOURCES["playback"],
        )
        for table in TABLES:
            yield dg.MaterializeResult(
                asset_key=asset_key(DOMAIN, table),
                metadata={"batches_processed": len(done), **table_metadata(conn, DOMAIN, table)},
            )
