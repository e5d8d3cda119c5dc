"""The dbt CLI resource skips dagster-dbt's `dbt --version` subprocess and in-process adapter."""

import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource

from event_assets.core.dbt import EventAssetsDbtCli, dbt_resource


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
