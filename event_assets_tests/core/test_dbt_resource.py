"""The dbt CLI resource skips dagster-dbt's `dbt --version` subprocess and in-process adapter;
a domain's build folder is held by one build at a time and starts from the partial-parse state
of another domain's build on the same warehouse."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from dagster_dbt import DbtCliResource

from event_assets.core.dbt import PARTIAL_PARSE_FILE, EventAssetsDbtCli, build_folder, dbt_resource
from event_assets.core.warehouse import ConfigError, Settings


def test_the_hooks_we_override_still_exist_in_dagster_dbt():
    # renamed hooks would silently bring the 2.3 s per build back
    assert isinstance(DbtCliResource.__dict__["_cli_version"], type(EventAssetsDbtCli._cli_version))
    assert callable(DbtCliResource.__dict__["_initialize_dbt_core_adapter"])


def test_the_version_is_the_one_the_dbt_executable_reports():
    dbt = Path(sys.executable).parent / "dbt"
    reported = subprocess.run([dbt, "--version"], capture_output=True, text=True).stdout
    resource = dbt_resource()
    assert isinstance(resource, EventAssetsDbtCli)
    assert f"installed: {resource._cli_version}" in reported
    assert resource._initialize_dbt_core_adapter(["build"]) is None


def test_a_second_build_of_a_domain_waits_for_the_first_s_folder(tmp_path):
    settings = Settings(tmp_path, tmp_path / "warehouse.duckdb", 0, lock_timeout_seconds=0.6)
    with build_folder(settings, "schools") as target:
        assert target == tmp_path / "dbt" / "schools"
        # another process's build: a second open file description of the same lock file
        with pytest.raises(ConfigError, match=f"running dbt in {target} for 0.6 s"):
            with build_folder(settings, "schools"):
                pass
        with build_folder(settings, "engagement"):  # another domain does not wait
            pass
    with build_folder(settings, "schools"):  # released: the next build goes on
        pass


def test_a_domain_s_first_build_starts_from_the_newest_partial_parse_state_of_its_warehouse(
    tmp_path,
):
    settings = Settings(tmp_path, tmp_path / "warehouse.duckdb", 0)
    dbt_dir = tmp_path / "dbt"
    for domain, state, mtime in (("schools", b"older", 1_000), ("telemetry", b"newer", 2_000)):
        (dbt_dir / domain).mkdir(parents=True)
        (dbt_dir / domain / PARTIAL_PARSE_FILE).write_bytes(state)
        os.utime(dbt_dir / domain / PARTIAL_PARSE_FILE, (mtime, mtime))
    (dbt_dir / "webapp").mkdir()  # a domain whose builds never got as far

    with build_folder(settings, "engagement") as target:
        assert (target / PARTIAL_PARSE_FILE).read_bytes() == b"newer"
    with build_folder(settings, "schools") as target:  # its own state is kept
        assert (target / PARTIAL_PARSE_FILE).read_bytes() == b"older"
    with build_folder(
        Settings(tmp_path / "other", tmp_path / "other" / "warehouse.duckdb", 0), "engagement"
    ) as target:  # another warehouse's state is not taken (dbt would refuse it)
        assert not (target / PARTIAL_PARSE_FILE).exists()
