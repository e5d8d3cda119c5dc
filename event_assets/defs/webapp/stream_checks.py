"""Checks of the stream processor: no stream written twice (nor both written and open), every
valid heartbeat of a processed file counted once: accepted, late or of a closed stream, and
every received heartbeat once in the end: in a stream, waiting, in the quarantine
(`webapp_rejected_events`) or a duplicate."""

import dagster as dg

from event_assets.core.names import asset_key, qualified
from event_assets.core.warehouse import WAREHOUSE_POOL, Warehouse
from event_assets.defs.webapp.names import DOMAIN
from event_assets.defs.webapp.stream_processor import (
    BATCHES,
    CLASSIFIED,
    HEARTBEATS,
    OPEN_STREAMS,
    RAW_TABLE,
    REJECTED,
    STREAMS,
)

QUARANTINE = qualified(DOMAIN, "webapp_rejected_events")


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


@dg.asset_check(
    asset=asset_key(DOMAIN, "webapp_rejected_events"),
    name="playback_heartbeats_reconcile",
    description="Every received heartbeat once: received = accepted (in a stream) + waiting "
    "(its file not processed yet) + rejected (in webapp_rejected_events: its text, late_event "
    "or stream_closed) + duplicates; the quarantine's heartbeats = dbt's rejects + the "
    "processor's.",
    pool=WAREHOUSE_POOL,
)
def playback_heartbeats_reconcile(warehouse: Warehouse) -> dg.AssetCheckResult:
    # runs after webapp_rejected_events, which the run builds after the processor: the late and
    # closed-stream heartbeats of this run's files are in it
    with warehouse.connect(read_only=True) as conn:
        received, accepted, waiting, rejected, syntax, judged, duplicates = conn.execute(
            f"""select
                    (select count(*) from {RAW_TABLE}),
                    (select count(*) from {HEARTBEATS}),
                    (select count(*) from {CLASSIFIED}
                     where status = 'valid' and (source_file, file_hash) not in (
                         select source_file, unnest(file_hashes) from {BATCHES})),
                    (select count(*) from {QUARANTINE} where source_file like 'playback/%'),
                    (select count(*) from {CLASSIFIED} where status = 'rejected'),
                    (select count(*) from {REJECTED}),
                    (select count(*) from {CLASSIFIED} where status = 'duplicate')"""
        ).fetchone()
    return dg.AssetCheckResult(
        passed=received == accepted + waiting + rejected + duplicates
        and rejected == syntax + judged,
        metadata={
            "received": received,
            "accepted": accepted,
            "waiting": waiting,
            "rejected": rejected,
            "rejected_by_dbt": syntax,
            "late_or_closed": judged,
            "duplicates": duplicates,
        },
    )


STREAM_CHECKS = [
    no_stream_written_twice,
    processed_heartbeats_reconcile,
    playback_heartbeats_reconcile,
]
