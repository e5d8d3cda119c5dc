"""The dbt CLI resource skips dagster-dbt's `dbt --version` subprocess and in-process adapter;
a domain's build folder is held by one build at a time."""

import subprocess
import sys
from pathlib import Path

import pytest
from dagster_dbt import DbtCliResource

from event_assets.core.dbt import EventAssetsDbtCli, build_folder, dbt_resource
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
