"""The headless run: what `python -m event_assets run` does, with the same jobs as the UI.

Per domain: the `<domain>_ingest` job (new files -> raw table -> dbt models -> stale days), then one
`<domain>_days` run per contiguous range of stale days (or one `<domain>_refresh` run when no day
is stale), all in this process, one step at a time, recorded in the Dagster instance so the UI
shows them. Returns what happened for the summary; the caller decides the exit code.
"""

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from event_assets.core.dbt import failed_dbt_nodes
from event_assets.core.partitions import range_tags
from event_assets.core.pipeline import (
    STALE_RANGES_KEY,
    daily_job_name,
    ingest_job_name,
    refresh_job_name,
    stale_ranges_from_metadata,
)

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
    runs: list[tuple[str, bool]] = field(default_factory=list)  # (description, success)
    ingestion: dict = field(default_factory=dict)
    stale_ranges: list = field(default_factory=list)
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


def domains_of(defs: dg.Definitions) -> list[str]:
    """Domains are the prefixes of the `<domain>_ingest` jobs."""
    suffix = ingest_job_name("")
    return sorted(
        job.name[: -len(suffix)] for job in defs.resolve_all_job_defs() if job.name.endswith(suffix)
    )


def run_domain(
    defs: dg.Definitions,
    domain: str,
    instance: dg.DagsterInstance,
    log_path: Path,
    echo=print,
    full_refresh: bool = False,
) -> DomainOutcome:
    """Run one domain's jobs in order; dbt's output is appended to `log_path`.

    `full_refresh` rebuilds the domain's incremental dbt models from scratch."""
    outcome = DomainOutcome(domain, log_path)
    echo(f"[{domain}] ingesting new files and building the dbt models ...")
    dbt_config = {"ops": {f"{domain}_dbt_models": {"config": {"full_refresh": full_refresh}}}}
    ingest = _execute(defs, ingest_job_name(domain), instance, {}, outcome, "ingest", dbt_config)
    for event in ingest.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        metadata = {k: getattr(v, "value", v) for k, v in materialization.metadata.items()}
        if materialization.asset_key.to_user_string().startswith(f"raw_{domain}_"):
            _add_ingestion(outcome.ingestion, metadata)
        if STALE_RANGES_KEY in metadata:
            outcome.stale_ranges = stale_ranges_from_metadata(dict(materialization.metadata))
    if not ingest.success:
        return outcome
    if not outcome.stale_ranges:
        echo(f"[{domain}] no day changed; refreshing the downstream tables ...")
        _execute(defs, refresh_job_name(domain), instance, {}, outcome, "refresh")
    for first, last in outcome.stale_ranges:
        echo(f"[{domain}] materializing days {first} .. {last} ...")
        _execute(
            defs,
            daily_job_name(domain),
            instance,
            range_tags(first, last),
            outcome,
            f"days {first}..{last}",
        )
    return outcome


def _add_ingestion(total: dict, metadata: dict) -> None:
    """Sum the ingestion figures of a domain's raw tables (one per input kind)."""
    for name, value in metadata.items():
        if isinstance(value, int):
            total[name] = total.get(name, 0) + value
        elif isinstance(value, list):
            total[name] = [*total.get(name, []), *value]


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
    # dbt's own log lines go to stdout: keep them in a file, not in the summary.
    with outcome.log_path.open("a") as log, contextlib.redirect_stdout(log):
        result = job.execute_in_process(
            instance=instance,
            tags=tags,
            raise_on_error=False,
            run_config={**QUIET_LOGS, **(run_config or {})},
        )
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
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        if materialization.asset_key == dg.AssetKey(f"{outcome.domain}_stats"):
            outcome.stats = {
                name: value.value
                for name, value in materialization.metadata.items()
                if isinstance(value, dg.MarkdownMetadataValue) and "base64" not in value.value
            }
            plot = materialization.metadata.get("plot")
            if plot is not None:
                outcome.stats["plot"] = str(plot.value)
    for failure in result.get_step_failure_events():
        error = failure.step_failure_data.error
        while error is not None and error.cause is not None:  # the user's error, not Dagster's
            error = error.cause
        message = error.message.strip().splitlines()[0] if error else "unknown error"
        outcome.runs.append((f"  step {failure.step_key} failed: {message}", False))
        if failure.step_key == f"{outcome.domain}_dbt_models":
            outcome.dbt_errors.extend(failed_dbt_nodes(outcome.domain))
    return result
