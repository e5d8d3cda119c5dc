"""The sensors core builds for every domain, and the decision they share with the headless run.

- The landing sensor asks the warehouse's ingestion ledger which ready files hold content not
  loaded yet (`pending_files`): a restarted UI, or one started after a headless run, requests
  nothing until a new file lands. Its cursor only remembers the contents it has requested, so
  the same content under another name is not requested twice. While any run is queued or in
  progress it does not open the warehouse (that would lock a run's writer out); when the
  warehouse is locked by another writer, it looks again at the next tick.
- A follow-up sensor turns each materialization of its trigger asset into the runs the domain's
  `FollowUp.decide` names (e.g. one run per range of stale days).
"""

import contextlib
import hashlib
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

import dagster as dg

from event_assets.core.landing import LandedFile, list_landed_files, split_ready
from event_assets.core.ledger import unloaded_files
from event_assets.core.names import landing_sensor, qualified
from event_assets.core.warehouse import ConfigError, Settings, Warehouse

if TYPE_CHECKING:
    from dagster._core.definitions.unresolved_asset_job_definition import (
        UnresolvedAssetJobDefinition,
    )

    from event_assets.core.pipeline import FollowUp

ACTIVE_RUN_STATUSES = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


def ready_files(
    domain: str, raw_tables: Mapping[str, str], folders: Mapping[str, str], settings: Settings
) -> tuple[dict[str, list[LandedFile]], int]:
    """(the ready files of each source, by qualified raw table; how many files are still being
    written)."""
    ready_by_table: dict[str, list[LandedFile]] = {}
    settling = 0
    for source, table in raw_tables.items():
        landing_dir = settings.landing_dir(domain) / folders[source]
        if landing_dir.is_dir():
            ready, waiting = split_ready(list_landed_files(landing_dir), settings.settle_seconds)
            ready_by_table[qualified(domain, table)] = ready
            settling += len(waiting)
    return ready_by_table, settling


def pending_files(
    domain: str,
    raw_tables: Mapping[str, str],
    folders: Mapping[str, str],
    warehouse: Warehouse,
) -> tuple[list[tuple[LandedFile, str | None]], int]:
    """(ready files whose content the ledger does not hold, with their content hash; files still
    being written), over every source of the domain. Raises `ConfigError` when the warehouse
    cannot be opened."""
    ready_by_table, settling = ready_files(domain, raw_tables, folders, warehouse.settings)
    exists = warehouse.settings.duckdb_path.exists()
    with warehouse.connect(read_only=True) if exists else contextlib.nullcontext() as conn:
        pending = [
            item
            for table, ready in ready_by_table.items()
            for item in unloaded_files(conn, table, ready)
        ]
    return pending, settling


def build_landing_sensor(
    domain: str,
    job: "UnresolvedAssetJobDefinition",
    raw_tables: Mapping[str, str],
    folders: Mapping[str, str],
    minimum_interval_seconds: int = 15,
) -> dg.SensorDefinition:
    """Requests `job` when ready files with content not yet ingested are in the landing folder."""

    @dg.sensor(
        name=landing_sensor(domain),
        job=job,
        minimum_interval_seconds=minimum_interval_seconds,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=f"Requests an ingestion run when files with new content land in "
        f"landing/{domain}/ (the ingestion ledger says what is new).",
    )
    def _sensor(context: dg.SensorEvaluationContext, warehouse: Warehouse):
        # Reading the ledger opens the warehouse; DuckDB would then refuse a run's writer, so
        # the sensor waits while any run is queued or in progress (its files stay pending).
        active = context.instance.get_runs(
            filters=dg.RunsFilter(statuses=ACTIVE_RUN_STATUSES), limit=1
        )
        if active:
            return dg.SkipReason(f"run {active[0].run_id} ({active[0].job_name}) is not finished")
        landing_dir = warehouse.settings.landing_dir(domain)
        if not landing_dir.is_dir():
            return dg.SkipReason(f"landing folder {landing_dir} does not exist")
        try:
            pending, settling = pending_files(domain, raw_tables, folders, warehouse)
        except ConfigError as error:
            return dg.SkipReason(f"warehouse busy, will look again: {error}")
        # contents requested before and still not loaded (loaded ones the ledger remembers)
        requested = set(json.loads(context.cursor or "[]")) & {h for _, h in pending}
        new = [
            (landed, content_hash)
            for landed, content_hash in pending
            if content_hash is None or content_hash not in requested
        ]
        if not new:
            waiting = f"; {settling} file(s) still being written" if settling else ""
            return dg.SkipReason(f"no new files in landing/{domain}/{waiting}")
        hashes = sorted({h or f"{f.name}:{f.size}:{f.mtime_ns}" for f, h in new})
        context.update_cursor(json.dumps(sorted(requested | set(hashes))))
        run_key = hashlib.sha256("\n".join(hashes).encode()).hexdigest()
        return dg.RunRequest(
            run_key=f"{domain}-{run_key[:16]}",
            tags={"event_assets/new_files": ", ".join(f.name for f, _ in new)[:1000]},
        )

    return _sensor


def build_follow_up_sensor(
    follow_up: "FollowUp", jobs: list["UnresolvedAssetJobDefinition"]
) -> dg.SensorDefinition:
    """An asset sensor on the follow-up's trigger that requests what `decide` names (`jobs`:
    the jobs it may request)."""

    @dg.asset_sensor(
        asset_key=follow_up.trigger,
        name=follow_up.name,
        jobs=jobs,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=follow_up.description,
    )
    def _sensor(context: dg.SensorEvaluationContext, asset_event: dg.EventLogEntry):
        materialization = asset_event.asset_materialization
        return follow_up.decide(dict(materialization.metadata), asset_event.run_id)

    return _sensor
