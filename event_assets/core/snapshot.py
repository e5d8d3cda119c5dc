"""A copy of the warehouse for analysts, replaced after each successful run.

DuckDB lets one process hold a database file for writing, and a reader blocks the writer too: an
analyst's open connection to the warehouse makes runs wait (see `warehouse.connect`). So
analysts open `<data dir>/snapshot/warehouse.duckdb` instead, read-only. It is written as a whole
new file while this process holds the warehouse (no run can write meanwhile), after a checkpoint
(so the file holds every committed change), then renamed over the old copy: a reader sees either
the old or the new copy, never half of one, and a connection open on the old copy keeps reading
it. `EVENT_ASSETS_SNAPSHOT=0` turns it off (it costs a copy of the file per run).
"""

import os
import shutil
from pathlib import Path

import dagster as dg

from event_assets.core.warehouse import ConfigError, Warehouse

SNAPSHOT_SENSOR = "warehouse_snapshot_sensor"


def refresh_snapshot(warehouse: Warehouse, wait: bool = True) -> Path | None:
    """Copy the warehouse to its snapshot path; None when snapshots are off or there is no
    warehouse yet. Raises `ConfigError` when the warehouse stays held by another process."""
    settings = warehouse.settings
    if not settings.snapshot_enabled or not settings.duckdb_path.exists():
        return None
    target = settings.snapshot_path
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    with warehouse.connect(wait=wait) as conn:
        conn.execute("checkpoint")
        shutil.copyfile(settings.duckdb_path, partial)
    os.replace(partial, target)
    return target


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    name=SNAPSHOT_SENSOR,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="After each successful run, replaces the analysts' copy of the warehouse "
    "(snapshot/warehouse.duckdb in the data folder), so that reading it never blocks a run.",
)
def warehouse_snapshot_sensor(context: dg.RunStatusSensorContext, warehouse: Warehouse):
    # A sensor tick must not wait: when another run holds the warehouse, the copy is left to
    # the success of that run.
    try:
        copied = refresh_snapshot(warehouse, wait=False)
    except ConfigError as error:
        return dg.SkipReason(f"warehouse busy, the next successful run refreshes it: {error}")
    if copied is None:
        return dg.SkipReason("snapshots are off (EVENT_ASSETS_SNAPSHOT=0) or no warehouse yet")
    context.log.info(f"analysts' copy refreshed: {copied}")
    return None
