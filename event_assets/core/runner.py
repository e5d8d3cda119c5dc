"""The headless run: what `python -m event_assets run` does, with the same jobs as the UI.

Per domain: nothing at all when nothing is new (`why_idle`: no file with new content, no change
to the dbt project since the models were built, and the domain's last runs succeeded). Otherwise
the `<domain>_ingest` job, then whatever the domain's follow-ups request after it (e.g. one
`<domain>_days` run per contiguous range of stale days, or one `<domain>_refresh` run): the same
decisions its sensors take in the UI. All in this process, one step at a time, recorded in the
Dagster instance so the UI shows them. Returns what happened for the summary; the caller decides
the exit code.
"""

import contextlib
import sys
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import dagster as dg

from event_assets.core import names
from event_assets.core.dbt import FINGERPRINT_KEY, failed_dbt_nodes, project_fingerprint
from event_assets.core.ledger import recorded_errors, unseen_files
from event_assets.core.partitions import RANGE_END_TAG, RANGE_START_TAG
from event_assets.core.pipeline import Domain, registered_domains
from event_assets.core.sensors import ready_files, skipped_entries
from event_assets.core.signals import Interrupted, PoolWatch
from event_assets.core.warehouse import Warehouse, table_exists

QUIET_LOGS = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


@dataclass
class CheckOutcome:
    asset: str
    check: str
    passed: bool
    severity: str  # "ERROR" or "WARN"


@dataclass
class DomainOutcome:
    domain: str
    log_path: Path
    idle: str = ""  # why nothing ran, when nothing did
    runs: list[tuple[str, bool]] = field(default_factory=list)  # (description, success)
    ingestion: dict = field(default_factory=dict)
    stale_ranges: list[tuple[date, date]] = field(default_factory=list)  # days re-materialized
    checks: list[CheckOutcome] = field(default_factory=list)
    stats: dict[str, str] = field(default_factory=dict)  # `<domain>_stats` metadata, markdown
    dbt_errors: list[str] = field(default_factory=list)  # models and tests dbt could not run

    @property
    def failed_runs(self) -> list[str]:
        return [name for name, success in self.runs if not success]

    @property
    def failed_error_checks(self) -> list[CheckOutcome]:
        return [c for c in self.checks if not c.passed and c.severity == "ERROR"]

    @property
    def ok(self) -> bool:
        return not self.failed_runs and not self.failed_error_checks


def domains_of(defs: dg.Definitions) -> dict[str, Domain]:
    """The domains whose jobs these definitions hold, by name."""
    jobs = {job.name for job in defs.resolve_all_job_defs()}
    return {
        name: domain
        for name, domain in sorted(registered_domains().items())
        if names.ingest_job(name) in jobs
    }


def why_idle(domain: Domain, instance: dg.DagsterInstance, warehouse: Warehouse) -> str:
    """Why the domain has nothing to do, or "" when it has: a ready file the ledger has not
    seen under its name, size and modification time, a raw table not created yet, a dbt project
    changed since its models were built, a last run of one of its jobs that did not succeed, or
    a warehouse written to since the last run ended."""
    if not warehouse.settings.duckdb_path.exists():
        return ""
    # Any file the ingestion would look at (unread: hashing is the ingestion's to do).
    ready_by_table, _ = ready_files(
        domain.name, domain.raw_tables, domain.sources, warehouse.settings
    )
    with warehouse.connect(read_only=True) as conn:
        tables = [table_exists(conn, t, schema=domain.name) for t in domain.raw_tables.values()]
        unseen = [f for t, ready in ready_by_table.items() for f in unseen_files(conn, t, ready)]
    if not all(tables) or unseen:
        return ""
    fingerprint = project_fingerprint()
    keys = domain.dbt_assets.keys if domain.dbt_assets else ()
    for event in instance.get_latest_materialization_events(keys).values():
        metadata = event.asset_materialization.metadata if event else {}
        if getattr(metadata.get(FINGERPRINT_KEY), "value", None) != fingerprint:
            return ""
    for job_name in _job_names(domain):
        last = instance.get_runs(filters=dg.RunsFilter(job_name=job_name), limit=1)
        if last and last[0].status != dg.DagsterRunStatus.SUCCESS:
            return ""
    # Written since the last run ended, or since the analysts' copy was made after it (which
    # checkpoints the warehouse first): a table dropped or altered by hand. Build again.
    (last_run,) = instance.get_run_records(limit=1) or (None,)
    if last_run is None or last_run.end_time is None:
        return ""
    settled_at = last_run.end_time
    if warehouse.settings.snapshot_path.exists():
        settled_at = max(settled_at, warehouse.settings.snapshot_path.stat().st_mtime)
    if warehouse.settings.duckdb_path.stat().st_mtime > settled_at:
        return ""
    return "nothing new: no new file, no change to the dbt project, the last runs succeeded"


def _landing_notes(domain: Domain, warehouse: Warehouse) -> dict[str, list[str]]:
    """What a run with nothing new still names, as an ingestion would: the files the ledger
    records as unreadable (still there, unchanged) and the entries that are not read."""
    ready_by_table, _ = ready_files(
        domain.name, domain.raw_tables, domain.sources, warehouse.settings
    )
    unreadable = []
    with warehouse.connect(read_only=True) as conn:
        for table, ready in ready_by_table.items():
            errors = recorded_errors(conn, table)
            unreadable += [
                f"{f.name}: {errors[key]} (as recorded before)"
                for f in ready
                if (key := (f.name, f.size, f.mtime_ns)) in errors
            ]
    skipped = skipped_entries(domain.name, domain.sources, warehouse.settings)
    notes = {"unreadable": unreadable, "skipped": skipped}
    return {name: entries for name, entries in notes.items() if entries}


def _job_names(domain: Domain) -> list[str]:
    jobs = [names.ingest_job(domain.name)]
    for follow_up in domain.all_follow_ups():
        jobs += [name for name in follow_up.job_names if name not in jobs]
    return jobs


def run_domain(
    defs: dg.Definitions,
    name: str,
    instance: dg.DagsterInstance,
    log_path: Path,
    echo=print,
    full_refresh: bool = False,
) -> DomainOutcome:
    """Run one domain's jobs in order; dbt's output is appended to `log_path`.

    `full_refresh` rebuilds the domain's incremental dbt models from scratch (and runs even
    when nothing is new)."""
    domain = domains_of(defs)[name]
    warehouse: Warehouse = defs.resources["warehouse"]
    outcome = DomainOutcome(domain.name, log_path)
    outcome.idle = "" if full_refresh else why_idle(domain, instance, warehouse)
    if outcome.idle:
        echo(f"[{domain.name}] {outcome.idle}; dbt and the checks not run")
        outcome.ingestion = _landing_notes(domain, warehouse)
        event = instance.get_latest_materialization_event(
            names.asset_key(domain.name, names.stats_table(domain.name))
        )
        if event:
            outcome.stats = _stats_from(event.asset_materialization)
        return outcome
    echo(f"[{domain.name}] ingesting new files and building the dbt models ...")
    dbt_op = {names.dbt_op(domain.name): {"config": {"full_refresh": full_refresh}}}
    dbt_config = {"ops": dbt_op} if domain.dbt_assets else {}
    queue = deque([(names.ingest_job(domain.name), {}, "ingest", dbt_config)])
    while queue:
        job_name, tags, label, run_config = queue.popleft()
        if label != "ingest":
            echo(f"[{domain.name}] {job_name} ({label}) ...")
        result = _execute(defs, job_name, instance, tags, outcome, label, run_config)
        for event in result.get_asset_materialization_events():
            materialization = event.event_specific_data.materialization
            if materialization.asset_key in _raw_keys(domain):
                _add_ingestion(outcome.ingestion, materialization.metadata)
            for follow_up in domain.all_follow_ups():
                if follow_up.trigger != materialization.asset_key:
                    continue
                for request in follow_up.decide(dict(materialization.metadata), result.run_id):
                    queue.append((request.job_name, request.tags, _label(request, outcome), {}))
    return outcome


def _raw_keys(domain: Domain) -> set[dg.AssetKey]:
    return {names.asset_key(domain.name, table) for table in domain.raw_tables.values()}


def _label(request: dg.RunRequest, outcome: DomainOutcome) -> str:
    """`days <first>..<last>` for a run over a range of days, else the job's role."""
    if RANGE_START_TAG in request.tags:
        first, last = request.tags[RANGE_START_TAG], request.tags[RANGE_END_TAG]
        outcome.stale_ranges.append((date.fromisoformat(first), date.fromisoformat(last)))
        return f"days {first}..{last}"
    return "refresh" if request.job_name == names.refresh_job(outcome.domain) else "follow-up"


def _add_ingestion(total: dict, metadata: dict) -> None:
    """Sum the ingestion figures of a domain's raw tables (one per input kind)."""
    for name, entry in metadata.items():
        value = getattr(entry, "value", entry)
        if isinstance(value, int):
            total[name] = total.get(name, 0) + value
        elif isinstance(value, list):
            total[name] = [*total.get(name, []), *value]


def _stats_from(materialization: dg.AssetMaterialization) -> dict[str, str]:
    """The markdown tables (not the inline plot) and the plot's path of a stats asset."""
    stats = {
        name: value.value
        for name, value in materialization.metadata.items()
        if isinstance(value, dg.MarkdownMetadataValue) and "base64" not in value.value
    }
    plot = materialization.metadata.get("plot")
    if plot is not None:
        stats["plot"] = str(plot.value)
    return stats


def _execute(
    defs: dg.Definitions,
    job_name: str,
    instance: dg.DagsterInstance,
    tags: dict[str, str],
    outcome: DomainOutcome,
    label: str,
    run_config: dict | None = None,
) -> dg.ExecuteInProcessResult:
    job = defs.resolve_job_def(job_name)
    run_id = str(uuid.uuid4())  # known before the run starts, for the watch
    # dbt's own log lines go to stdout: keep them in a file, not in the summary (the watch
    # speaks to the stdout of before).
    with (
        PoolWatch(instance, run_id, out=sys.stdout) as watch,
        outcome.log_path.open("a") as log,
        contextlib.redirect_stdout(log),
    ):
        result = job.execute_in_process(
            instance=instance,
            run_id=run_id,
            tags=tags,
            raise_on_error=False,
            run_config={**QUIET_LOGS, **(run_config or {})},
        )
    if watch.signal:  # arrived during a step, which Dagster interrupted: stop here
        raise Interrupted(watch.signal)
    outcome.runs.append((f"{job_name} ({label})", result.success))
    for evaluation in result.get_asset_check_evaluations():
        outcome.checks.append(
            CheckOutcome(
                asset=evaluation.asset_key.to_user_string(),
                check=evaluation.check_name,
                passed=evaluation.passed,
                severity=evaluation.severity.value,
            )
        )
    stats_key = names.asset_key(outcome.domain, names.stats_table(outcome.domain))
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        if materialization.asset_key == stats_key:
            outcome.stats = _stats_from(materialization)
    for failure in result.get_step_failure_events():
        error = failure.step_failure_data.error
        while error is not None and error.cause is not None:  # the user's error, not Dagster's
            error = error.cause
        message = error.message.strip().splitlines()[0] if error else "unknown error"
        outcome.runs.append((f"  step {failure.step_key} failed: {message}", False))
        if failure.step_key == names.dbt_op(outcome.domain):
            settings = defs.resources["warehouse"].settings
            outcome.dbt_errors.extend(failed_dbt_nodes(settings, outcome.domain))
    return result
