"""Checks of the stream processor: no stream written twice (nor both written and open), and
every valid heartbeat of a processed file counted once: accepted, late or of a closed stream."""

import dagster as dg

from event_assets.core.names import asset_key
from event_assets.core.warehouse import WAREHOUSE_POOL, Warehouse
from event_assets.defs.webapp.names import DOMAIN
from event_assets.defs.webapp.stream_processor import (
    BATCHES,
    CLASSIFIED,
    HEARTBEATS,
    OPEN_STREAMS,
    REJECTED,
    STREAMS,
)


@dg.asset_check(
    asset=asset_key(DOMAIN, "playback_streams"),
    name="no_stream_written_twice",
    description="Each (session_id, program_id) is written at most once, and a written stream "
    "is not open any more.",
    pool=WAREHOUSE_POOL,
)
def no_stream_written_twice(warehouse: Warehouse) -> dg.AssetCheckResult:
    with warehouse.connect(read_only=True) as conn:
        written, distinct, both = conn.execute(
            f"""select count(*), count(distinct (session_id, program_id)),
                       (select count(*) from {OPEN_STREAMS}
                        where (session_id, program_id) in (
                            select session_id, program_id from {STREAMS}))
                from {STREAMS}"""
        ).fetchone()
    return dg.AssetCheckResult(
        passed=written == distinct and both == 0,
        metadata={"streams": written, "distinct_streams": distinct, "written_and_open": both},
    )


@dg.asset_check(
    asset=asset_key(DOMAIN, "playback_streams"),
    name="processed_heartbeats_reconcile",
    description="Valid heartbeats of the processed files = accepted + late_event + "
    "stream_closed, and the accepted ones add up to the streams' event counts.",
    pool=WAREHOUSE_POOL,
)
def processed_heartbeats_reconcile(warehouse: Warehouse) -> dg.AssetCheckResult:
    with warehouse.connect(read_only=True) as conn:
        valid, accepted, judged, counted = conn.execute(
            f"""select
                    (select count(*) from {CLASSIFIED}
                     where status = 'valid' and (source_file, file_hash) in (
                         select source_file, unnest(file_hashes) from {BATCHES})),
                    (select count(*) from {HEARTBEATS}),
                    (select count(*) from {REJECTED}),
                    (select coalesce(sum(event_count), 0) from {STREAMS})
                    + (select coalesce(sum(event_count), 0) from {OPEN_STREAMS})"""
        ).fetchone()
    return dg.AssetCheckResult(
        passed=valid == accepted + judged and accepted == counted,
        metadata={
            "valid_heartbeats": valid,
            "accepted": accepted,
            "late_or_closed": judged,
            "in_streams": int(counted),
        },
    )


STREAM_CHECKS = [no_stream_written_twice, processed_heartbeats_reconcile]
