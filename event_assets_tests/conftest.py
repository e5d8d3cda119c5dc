"""Shared fixtures: a temporary data directory, the environment pointing at it, the definitions."""

import json
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from event_assets.core.dbt import DBT_PROJECT_DIR, prepare_dbt_project
from event_assets.core.ingest import RAW_COLUMNS
from event_assets.core.names import qualified, raw_table
from event_assets.core.warehouse import (
    DATA_DIR_VAR,
    DUCKDB_PATH_VAR,
    SETTLE_SECONDS_VAR,
    Settings,
    load_settings,
)


@pytest.fixture(scope="session")
def dbt_manifest() -> Path:
    return prepare_dbt_project()


# Every domain is a folder of event_assets/defs/ (what `load_from_defs_folder` loads).
DOMAINS = sorted(
    path.name
    for path in (Path(__file__).parents[1] / "event_assets" / "defs").iterdir()
    if path.is_dir() and not path.name.startswith("_")
)


def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """`--dist loadscope` (a module's tests on one worker, its module fixtures built once), with
    one change: a module's tests parametrized by domain are a unit per domain. The fault suite's
    modules take minutes per domain; as one unit each they left a worker busy long after the
    others were done."""
    if config.getoption("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class LoadScopeByDomain(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)
            parameter = nodeid.rsplit("[", 1)[-1][:-1] if nodeid.endswith("]") else ""
            return f"{scope}[{parameter}]" if parameter in DOMAINS else scope

    return LoadScopeByDomain(config, log)


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A fresh data directory with an empty `landing/<domain>/` per domain, files ready at once."""
    data_dir = tmp_path / "data"
    for domain in DOMAINS:
        (data_dir / "landing" / domain).mkdir(parents=True)
    monkeypatch.setenv(DATA_DIR_VAR, str(data_dir))
    monkeypatch.setenv(DUCKDB_PATH_VAR, str(data_dir / "warehouse.duckdb"))
    monkeypatch.setenv(SETTLE_SECONDS_VAR, "0")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    (tmp_path / "dagster_home").mkdir()
    return load_settings()


@pytest.fixture
def defs(settings: Settings, dbt_manifest: Path) -> dg.Definitions:
    from event_assets.definitions import build_definitions

    return build_definitions(settings)


def write_events(path: Path, events: Iterable[dict | str]) -> Path:
    """Write JSON Lines; a `str` item is written as it is (for malformed lines)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [item if isinstance(item, str) else json.dumps(item) for item in events]
    path.write_text("\n".join(lines) + "\n")
    os.utime(path, (0, 1_000_000))  # long settled
    return path


def create_raw_tables(warehouse: Path, domain: str, sources: Iterable[str]) -> None:
    """The domain's schema and an empty raw table per source in `warehouse`, as the ingestion
    creates them (dbt tests on hand-made rows start from these)."""
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(f"create schema if not exists {domain}")
        for source in sources:
            table = qualified(domain, raw_table(domain, source))
            conn.execute(f"create table {table} ({RAW_COLUMNS})")


def run_dbt(work_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The project's dbt with `args`, its target and logs in `work_dir`; the warehouse is the one
    EVENT_ASSETS_DUCKDB_PATH names."""
    command = [
        str(Path(sys.executable).with_name("dbt")), *args,
        "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(work_dir / "target"), "--log-path", str(work_dir / "logs"),
    ]  # fmt: skip
    return subprocess.run(command, env=os.environ.copy(), capture_output=True, text=True)
