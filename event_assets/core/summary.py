"""Run every domain headlessly and print what happened: the body of `python -m event_assets run`."""

import dagster as dg

from event_assets.core.dbt import prepare_dbt_project
from event_assets.core.dead_runs import private_scratch, release_dead_runs, remove_dead_scratch
from event_assets.core.instance import ensure_dagster_home
from event_assets.core.runner import DomainOutcome, domains_of, run_domain
from event_assets.core.snapshot import refresh_snapshot
from event_assets.core.warehouse import ConfigError, Settings

# Printed when dbt fails: the usual cause after an upgrade is an incremental model whose SQL or
# columns changed since the warehouse was built (dbt refuses to mix the two).
UPGRADE_HINT = (
    "if this warehouse was built by an older version of event_assets, rebuild its incremental "
    "models: python -m event_assets run --full-refresh"
)


def run_and_summarize(
    settings: Settings, only_domain: str | None = None, full_refresh: bool = False
) -> int:
    prepare_dbt_project()
    from event_assets.definitions import build_definitions

    defs = build_definitions(settings)
    known = domains_of(defs)
    if only_domain and only_domain not in known:
        raise ConfigError(f"unknown domain {only_domain!r}; known domains: {', '.join(known)}")
    candidates = [only_domain] if only_domain else list(known)
    domains = [domain for domain in candidates if settings.landing_dir(domain).is_dir()]
    if not domains:
        expected = ", ".join(str(settings.landing_dir(domain)) for domain in candidates)
        raise ConfigError(
            f"landing folder {expected} does not exist: create it, or set "
            "EVENT_ASSETS_DATA_DIR to the folder that holds landing/<domain>/"
        )
    home = ensure_dagster_home(settings)  # after the checks above: a mistake creates nothing
    print(f"warehouse: {settings.duckdb_path}")
    for domain in sorted(set(candidates) - set(domains)):
        print(f"[{domain}] skipped: no folder {settings.landing_dir(domain)}")
    instance = dg.DagsterInstance.from_config(str(home))
    cleaned = release_dead_runs(instance) + remove_dead_scratch()
    if cleaned:
        print(f"cleaned up after a run that was killed: {'; '.join(cleaned)}")
    log_path = home / "headless_run.log"
    log_path.write_text("")
    with private_scratch():
        outcomes = [
            run_domain(defs, name, instance, log_path, full_refresh=full_refresh)
            for name in domains
        ]
    for outcome in outcomes:
        print_summary(outcome)
    _refresh_snapshot(defs, outcomes)
    return 0 if all(outcome.ok for outcome in outcomes) else 1


def _refresh_snapshot(defs: dg.Definitions, outcomes: list[DomainOutcome]) -> None:
    """After runs that wrote the warehouse (or when the analysts' copy is missing)."""
    warehouse = defs.resources["warehouse"]
    ran = any(outcome.runs for outcome in outcomes)
    if not ran and warehouse.settings.snapshot_path.exists():
        return
    try:
        copied = refresh_snapshot(warehouse)
    except ConfigError as error:
        print(f"warning: the analysts' copy of the warehouse was not refreshed: {error}")
        return
    if copied:
        print(f"\nanalysts' copy (open it read-only; replaced after each run): {copied}")


def print_summary(outcome: DomainOutcome) -> None:
    print(f"\n=== {outcome.domain} ===")
    if outcome.idle:
        print(f"{outcome.idle}: no run started (the tables and statistics are as last built)")
    ingestion = outcome.ingestion
    if "files_loaded" in ingestion:  # an ingestion ran (an idle run only names what it found)
        print(
            f"ingested {ingestion.get('files_loaded', 0)} new file(s), "
            f"{ingestion.get('records_loaded', 0)} record(s) "
            f"({ingestion.get('unparseable_lines', 0)} unparseable); "
            f"{ingestion.get('files_unchanged', 0)} file(s) already ingested, "
            f"{ingestion.get('files_redelivered', 0)} re-delivered, "
            f"{ingestion.get('files_still_being_written', 0)} still being written"
        )
        if ingestion.get("files_loaded", 0) == 0:
            print("nothing new to ingest")
    for problem in ingestion.get("unreadable") or []:
        print(f"warning: could not read {problem}")
    for entry in ingestion.get("skipped") or []:  # links, pipes, folders: never read
        print(f"note: not read: {entry}")
    if not outcome.idle:
        days = sum((last - first).days + 1 for first, last in outcome.stale_ranges)
        print(f"days re-materialized: {days} in {len(outcome.stale_ranges)} range(s)")
    for name, success in outcome.runs:
        print(f"{'ok    ' if success else 'FAILED'} {name}")
    for error in outcome.dbt_errors:
        print(f"  dbt: {error}")
    if outcome.dbt_errors:
        print(f"hint: {UPGRADE_HINT}")
    if outcome.failed_runs:
        print(f"dbt's output is in {outcome.log_path}")
    if not outcome.idle:
        passed = sum(check.passed for check in outcome.checks)
        print(f"checks: {passed} passed, {len(outcome.checks) - passed} failed")
    for check in outcome.checks:
        if not check.passed:
            print(f"  {check.severity:5} failed: {check.asset} / {check.check}")
    for name, table in outcome.stats.items():
        if name == "plot":
            print(f"\nplot: {table}")
        else:
            print(f"\n{name}\n{table}")
