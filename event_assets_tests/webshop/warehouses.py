"""Build the tiny shop's warehouse through the real Definitions: day by day (one run per daily
extract) or all days in one run, in a data folder of its own."""

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from event_assets.core.runner import run_domain
from event_assets.core.warehouse import (
    DATA_DIR_VAR,
    DUCKDB_PATH_VAR,
    SETTLE_SECONDS_VAR,
    export_for_dbt,
    load_settings,
)
from event_assets.defs.webshop.stats import SOURCES
from event_assets_tests.conftest import run_dbt, write_events
from event_assets_tests.webshop.shop import DAY_1, DAY_2, DAYS, INVALID_BYTES

DOMAIN = "webshop"


def write_day(landing: Path, day: str, files: dict[str, list]) -> None:
    """The day's extract, one file per table; day 2 is delivered twice (rows reversed), day 1's
    events end with a line that is no UTF-8."""
    for table, rows in files.items():
        path = write_events(landing / table / f"{day}.jsonl", rows)
        if day == DAY_2:
            write_events(landing / table / f"{day}-redelivered.jsonl", rows[::-1])
        if day == DAY_1 and table == "event":
            path.write_bytes(path.read_bytes() + INVALID_BYTES)
            os.utime(path, (0, 1_000_000))


class ShopWarehouse:
    """A data directory with its own settings and definitions; `run()` is one headless run of
    the domain, `query()` reads the warehouse."""

    def __init__(self, root: Path) -> None:
        from event_assets.definitions import build_definitions

        self.root = root
        self.landing = root / "data" / "landing" / DOMAIN
        for folder in SOURCES:  # the ingestion wants every source's folder
            (self.landing / folder).mkdir(parents=True)
        (root / "dagster_home").mkdir()
        with self.environment():
            self.settings = load_settings()
            self.defs = build_definitions(self.settings)
        self.outcomes = []

    @contextmanager
    def environment(self) -> Iterator[None]:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv(DATA_DIR_VAR, str(self.root / "data"))
            patch.setenv(DUCKDB_PATH_VAR, str(self.root / "data" / "warehouse.duckdb"))
            patch.setenv(SETTLE_SECONDS_VAR, "0")
            patch.setenv("DAGSTER_HOME", str(self.root / "dagster_home"))
            yield

    def run(self, instance: dg.DagsterInstance, full_refresh: bool = False):
        with self.environment():
            outcome = run_domain(
                self.defs, DOMAIN, instance, self.root / "run.log", echo=lambda _: None,
                full_refresh=full_refresh,
            )  # fmt: skip
        assert not outcome.failed_runs, (outcome.runs, (self.root / "run.log").read_text()[-4000:])
        failed = [(check.check, check.severity) for check in outcome.checks if not check.passed]
        assert not failed, failed
        self.outcomes.append(outcome)
        return outcome

    def dbt_unit_tests(self, work_dir: Path) -> subprocess.CompletedProcess[str]:
        """The domain's dbt unit tests on this warehouse (they read their inputs' columns from
        its tables), starting from its builds' parse state: the same profile, so dbt parses
        only what changed instead of the whole project."""
        (work_dir / "target").mkdir(parents=True)
        parsed = self.settings.dbt_target_dir(DOMAIN) / "partial_parse.msgpack"
        shutil.copy(parsed, work_dir / "target" / parsed.name)
        with self.environment():
            export_for_dbt(self.settings)
            return run_dbt(work_dir, "test", "--select", f"path:models/{DOMAIN},test_type:unit")

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.settings.duckdb_path), read_only=True) as conn:
            return conn.execute(sql).fetchall()

    def start_over(self) -> None:
        """An empty warehouse and landing folder at the same paths. The dbt target folder stays:
        the same warehouse path is the same dbt profile, so the next build parses only what
        changed (a new path costs a full parse of the project, about 10 s)."""
        for path in (self.settings.duckdb_path, self.settings.duckdb_path.with_suffix(".wal")):
            path.unlink(missing_ok=True)
        for path in self.landing.rglob("*.jsonl"):
            path.unlink()


def build_day_by_day(shop: ShopWarehouse, after_each_day) -> None:
    """One run per daily extract; `after_each_day(shop, day)` reads the warehouse between."""
    with dg.DagsterInstance.ephemeral() as instance:
        for day, files in DAYS:
            write_day(shop.landing, day, files)
            shop.run(instance)
            after_each_day(shop, day)


def build_in_one_run(shop: ShopWarehouse) -> None:
    """Every day's files, then one run that rebuilds every model from scratch (full refresh)."""
    for day, files in DAYS:
        write_day(shop.landing, day, files)
    with dg.DagsterInstance.ephemeral() as instance:
        shop.run(instance, full_refresh=True)
