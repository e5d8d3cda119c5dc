"""The sensors core builds for every domain, and the decision they share with the headless run.

- The landing sensor asks the warehouse's ingestion ledger which ready files hold content not
  loaded yet (`pending_files`): a restarted UI, or one started after a headless run, requests
  nothing until a new file lands. Its cursor remembers the contents it has requested and the
  run key of each request, so the same content under another name is not requested twice, and a
  content whose run ended without loading it (failed, cancelled) is requested again at the next
  tick, up to `MAX_ATTEMPTS` times. While any run is queued or in progress it does not open the
  warehouse (that would lock a run's writer out); when the warehouse is locked by another
  process, it looks again at the next tick. Its skip reason names the entries it will not read
  (links, and pipes or folders with a landing file's name: `skipped_entries`), with why.
- A follow-up sensor turns each materialization of its trigger asset into the runs the domain's
  `FollowUp.decide` names (e.g. one run per range of stale days), leaving out those a run since
  the materialization already did (the headless run follows up itself).
"""

import contextlib
import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import dagster as dg

from event_assets.core.landing import LandedFile, list_landed_files, scan_landing, split_ready
from event_assets.core.ledger import unloaded_files
from event_assets.core.names import landing_sensor, qualified
from event_assets.core.warehouse import ConfigError, Settings, Warehouse

if TYPE_CHECKING:
    from dagster._core.definitions.unresolved_asset_job_definition import (
        UnresolvedAssetJobDefinition,
    )

    from event_assets.core.pipeline import FollowUp

# A file whose ingestion run ended without loading it is requested again, this many times in all.
MAX_ATTEMPTS = 3
# The tag Dagster gives a run launched for a sensor's run request.
RUN_KEY_TAG = "dagster/run_key"

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


def skipped_entries(domain: str, folders: Mapping[str, str], settings: Settings) -> list[str]:
    """The entries of the domain's landing folders that are not read, with why (links,
    folders and pipes with a landing file's name), over every source."""
    skipped = []
    for folder in sorted(set(folders.values())):
        landing_dir = settings.landing_dir(domain) / folder
        if landing_dir.is_dir():
            prefix = f"{folder}/" if folder else ""
            skipped += [prefix + entry for entry in scan_landing(landing_dir).skipped]
    return skipped


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
    opened = warehouse.connect(read_only=True, wait=False) if exists else contextlib.nullcontext()
    with opened as conn:
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
        # What was requested and is still not loaded (loaded contents the ledger remembers).
        pending_contents = {content for _, content in pending}
        requested = {
            content: request
            for content, request in _requests_in(context.cursor).items()
            if content in pending_contents
        }
        wanted: list[tuple[LandedFile, str | None, int]] = []  # (file, content, attempt)
        given_up: list[LandedFile] = []
        for landed, content in pending:
            request = requested.get(content) if content else None
            if request is None:
                wanted.append((landed, content, 1))
            elif not _run_ended(context.instance, request["run_key"]):
                continue  # its run is yet to start
            elif request["attempt"] >= MAX_ATTEMPTS:
                given_up.append(landed)
            else:  # its run ended without loading it: once more
                wanted.append((landed, content, request["attempt"] + 1))
        if not wanted:
            skipped = skipped_entries(domain, folders, warehouse.settings)
            return dg.SkipReason(_idle_reason(domain, settling, given_up, skipped))
        hashes = sorted({h or f"{f.name}:{f.size}:{f.mtime_ns}" for f, h, _ in wanted})
        attempt = max(n for _, _, n in wanted)
        digest = hashlib.sha256("\n".join(hashes).encode()).hexdigest()[:16]
        run_key = f"{domain}-{digest}" + (f"-attempt-{attempt}" if attempt > 1 else "")
        for _, content, n in wanted:
            if content:
                requested[content] = {"run_key": run_key, "attempt": n}
        context.update_cursor(json.dumps(requested, sort_keys=True))
        return dg.RunRequest(
            run_key=run_key,
            tags={"event_assets/new_files": ", ".join(f.name for f, _, _ in wanted)[:1000]},
        )

    return _sensor


def _requests_in(cursor: str | None) -> dict[str, dict]:
    """content hash -> {"run_key", "attempt"} of its last request (an older cursor held only
    the hashes: their runs count as ended)."""
    stored = json.loads(cursor or "{}")
    if isinstance(stored, list):
        return {content: {"run_key": None, "attempt": 1} for content in stored}
    return stored


def _run_ended(instance: dg.DagsterInstance, run_key: str | None) -> bool:
    """Whether the run launched for `run_key` has finished (so a file it did not load failed)."""
    if run_key is None:
        return True
    runs = instance.get_runs(filters=dg.RunsFilter(tags={RUN_KEY_TAG: run_key}), limit=1)
    return bool(runs) and runs[0].is_finished


def _idle_reason(domain: str, settling: int, given_up: list[LandedFile], skipped: list[str]) -> str:
    reason = f"no new files in landing/{domain}/"
    if settling:
        reason += f"; {settling} file(s) still being written"
    if given_up:
        names = ", ".join(sorted(f.name for f in given_up))[:500]
        reason += (
            f"; {len(given_up)} file(s) failed to load {MAX_ATTEMPTS} times, see the failed "
            f"runs and launch the ingestion by hand once fixed: {names}"
        )
    if skipped:
        reason += f"; {len(skipped)} entries not read: " + "; ".join(skipped)[:1000]
    return reason


def build_follow_up_sensor(
    follow_up: "FollowUp", jobs: list["UnresolvedAssetJobDefinition"]
) -> dg.SensorDefinition:
    """An asset sensor on the follow-up's trigger that requests what `decide` names (`jobs`:
    the jobs it may request), except what a run since the trigger already did: the headless
    run does the same follow-ups itself, so a UI started after it requests nothing."""

    @dg.asset_sensor(
        asset_key=follow_up.trigger,
        name=follow_up.name,
        jobs=jobs,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=follow_up.description,
    )
    def _sensor(context: dg.SensorEvaluationContext, asset_event: dg.EventLogEntry):
        materialization = asset_event.asset_materialization
        requests = follow_up.decide(dict(materialization.metadata), asset_event.run_id)
        to_do = [r for r in requests if not _done_since(context.instance, r, asset_event)]
        if requests and not to_do:
            return dg.SkipReason(
                f"runs since {follow_up.trigger.to_user_string()} was materialized (run "
                f"{asset_event.run_id}) already did what it asks for"
            )
        return to_do

    return _sensor


def _done_since(
    instance: dg.DagsterInstance, request: dg.RunRequest, trigger: dg.EventLogEntry
) -> bool:
    """Whether a run of the request's job with its tags (e.g. its range of days) was created
    after the trigger and succeeded or is still going."""
    runs = instance.get_runs(
        filters=dg.RunsFilter(
            job_name=request.job_name,
            tags=dict(request.tags),
            created_after=datetime.fromtimestamp(trigger.timestamp, UTC),
            statuses=[dg.DagsterRunStatus.SUCCESS, *ACTIVE_RUN_STATUSES],
        ),
        limit=1,
    )
    return bool(runs)
