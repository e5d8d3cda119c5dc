"""A domain built headless in a folder of its own, and what the fault suite compares after it.

Everything here asks the domain (its raw tables, its schema, its rejected table), so every
domain, today's and each new one, is covered without a line of its own.
"""

import os
import sys
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from event_assets.core.instance import INSTANCE_YAML
from event_assets.core.ledger import LEDGER_TABLE
from event_assets.core.quarantine import rejected_table
from event_assets.core.runner import DomainOutcome, domains_of, run_domain
from event_assets.core.warehouse import (
    DATA_DIR_VAR,
    DUCKDB_PATH_VAR,
    SETTLE_SECONDS_VAR,
    Settings,
    load_settings,
)
from event_assets_tests.conftest import DOMAINS

REPO = Path(__file__).resolve().parents[2]
# Not served: the raw rows, dbt's staging and intermediate models.
INTERNAL_PREFIXES = ("raw_", "stg_", "int_")


@dataclass
class Build:
    """One domain's data folder, Dagster instance and definitions, run in this process."""

    domain: str
    root: Path
    settings: Settings
    defs: dg.Definitions
    instance: dg.DagsterInstance
    outcomes: list[DomainOutcome] = field(default_factory=list)

    @property
    def landing(self) -> Path:
        return self.settings.landing_dir(self.domain)

    def source_folders(self) -> dict[str, Path]:
        """source -> its landing folder."""
        domain = domains_of(self.defs)[self.domain]
        return {source: self.landing / folder for source, folder in domain.sources.items()}

    def raw_tables(self) -> dict[str, str]:
        return domains_of(self.defs)[self.domain].raw_tables

    def folder_of(self, raw_table: str) -> str:
        """The raw table's folder under the domain's landing folder ("" = that folder)."""
        domain = domains_of(self.defs)[self.domain]
        (source,) = [source for source, table in domain.raw_tables.items() if table == raw_table]
        return domain.sources[source]

    def ledger(self, conn: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, str | None]]:
        """Each file of the domain in the ingestion ledger (its latest row), by its path under
        the landing folder: (records, error)."""
        rows = conn.execute(
            f"""select raw_table, source_file, records, error from main.{LEDGER_TABLE}
                where raw_table in (select unnest(?)) order by ingested_at""",
            [[f"{self.domain}.{table}" for table in self.raw_tables().values()]],
        ).fetchall()
        return {
            under_landing(self.folder_of(table.split(".")[-1]), name): (records, error)
            for table, name, records, error in rows
        }

    def run(self) -> DomainOutcome:
        outcome = run_domain(
            self.defs, self.domain, self.instance, self.root / "run.log", echo=lambda _: None
        )
        self.outcomes.append(outcome)
        return outcome

    def connect(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.settings.duckdb_path), read_only=True)


def new_build(root: Path, domain: str, stack: ExitStack) -> Build:
    """An empty data folder for every domain, the environment pointing at it while `stack` is
    open, and the definitions built from it."""
    from event_assets.definitions import build_definitions

    data_dir = root / "data"
    for each in DOMAINS:
        (data_dir / "landing" / each).mkdir(parents=True, exist_ok=True)
    env = stack.enter_context(pytest.MonkeyPatch.context())
    env.setenv(DATA_DIR_VAR, str(data_dir))
    env.setenv(DUCKDB_PATH_VAR, str(data_dir / "warehouse.duckdb"))
    env.setenv(SETTLE_SECONDS_VAR, "0")
    env.setenv("EVENT_ASSETS_SNAPSHOT", "0")
    # In memory: these builds check the warehouse, and Dagster's SQLite event log (an engine,
    # a connection and a commit per event) is a third of a small run's time. The runs of the
    # command line (`cli_env`) keep the instance on disk, as `make run` does.
    instance = stack.enter_context(dg.DagsterInstance.ephemeral())
    settings = load_settings()
    return Build(domain, root, settings, build_definitions(settings), instance)


def cli_env(root: Path, home: str = "home") -> dict[str, str]:
    """The environment of `python -m event_assets run` on `root`'s data folder, with its own
    Dagster instance folder `root/<home>` (as `make run` prepares it)."""
    (root / home).mkdir(parents=True, exist_ok=True)
    (root / home / "dagster.yaml").write_text(INSTANCE_YAML)
    (root / "tmp").mkdir(exist_ok=True)
    return {
        **os.environ,
        "PYTHONPATH": str(REPO),
        DATA_DIR_VAR: str(root / "data"),
        DUCKDB_PATH_VAR: str(root / "data" / "warehouse.duckdb"),
        SETTLE_SECONDS_VAR: "0",
        "EVENT_ASSETS_SNAPSHOT": "0",
        "DAGSTER_HOME": str(root / home),
        "TMPDIR": str(root / "tmp"),
    }


CLI = (sys.executable, "-m", "event_assets", "run", "--domain")


# --- what is compared ------------------------------------------------------------------------


def served_tables(conn: duckdb.DuckDBPyConnection, domain: str) -> dict[str, list[tuple]]:
    """Every table the domain serves but its rejected table, as sorted rows."""
    tables = [
        name
        for (name,) in conn.execute(
            "select table_name from information_schema.tables where table_schema = ?", [domain]
        ).fetchall()
        if not name.startswith(INTERNAL_PREFIXES) and name != rejected_table(domain)
    ]
    assert tables, f"{domain} serves no table"
    return {
        name: conn.execute(f'select * from {domain}."{name}" order by all').fetchall()
        for name in sorted(tables)
    }


def rejected_rows(conn: duckdb.DuckDBPyConnection, domain: str) -> list[tuple]:
    """The quarantine as (source_file, line_number, reason, raw_record), sorted: the contract's
    leading columns without those of the load (its hash and time)."""
    return conn.execute(
        f"""select source_file, line_number, reason, raw_record
            from {domain}.{rejected_table(domain)} order by all"""
    ).fetchall()


def under_landing(folder: str, name: str) -> str:
    """A file's path under the domain's landing folder, as its rejected table names it: the
    source's folder, then the name the ingestion recorded (relative to that folder)."""
    return f"{folder}/{name}" if folder else name


def raw_counts(build: Build, conn: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """A file's path under the landing folder -> its raw records."""
    counts: dict[str, int] = {}
    for table in build.raw_tables().values():
        for name, records in conn.execute(
            f"select source_file, count(*) from {build.domain}.{table} group by 1"
        ).fetchall():
            counts[under_landing(build.folder_of(table), name)] = records
    return counts


def reconciliations(outcome: DomainOutcome) -> dict[str, bool]:
    """check -> passed, for the reconciliation checks (received = valid + rejected +
    duplicates) of the run."""
    return {c.check: c.passed for c in outcome.checks if c.check.endswith("_reconciles")}


def reconcile_now(settings: Settings, domain: str) -> dict[str, dict]:
    """check -> {passed, received, valid, rejected, duplicates}: the domain's reconciliation
    checks, run now on the warehouse."""
    from event_assets.definitions import build_definitions

    defs = build_definitions(settings)
    results = {}
    for check in defs.asset_checks:
        for key in check.check_keys:
            if key.asset_key.path[0] == domain and key.name.endswith("_reconciles"):
                result = check(warehouse=defs.resources["warehouse"])
                figures = {name: entry.value for name, entry in result.metadata.items()}
                results[key.name] = {"passed": result.passed, **figures}
    return results


def assert_reconciled_and_quarantined(settings: Settings, domain: str) -> None:
    """Every raw table reconciles, and every record called rejected is in the domain's
    rejected table (which lists nothing else)."""
    checks = reconcile_now(settings, domain)
    assert checks and all(check["passed"] for check in checks.values()), checks
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as conn:
        listed = len(rejected_rows(conn, domain))
    assert listed == sum(check["rejected"] for check in checks.values()), checks


def assert_clean_outcome(build: Build, outcome: DomainOutcome) -> None:
    """The run succeeded, no error-severity check failed, every raw table reconciles and every
    rejected record is in the quarantine."""
    assert outcome.ok, (outcome.failed_runs, outcome.failed_error_checks, outcome.dbt_errors)
    checks = reconciliations(outcome)
    assert set(checks) == {f"{table}_reconciles" for table in build.raw_tables().values()}
    assert all(checks.values()), checks
    assert_reconciled_and_quarantined(build.settings, build.domain)
