"""The code location: every module under `event_assets/defs/` (one folder per domain)."""

from pathlib import Path

import dagster as dg

from event_assets.core.warehouse import export_settings, load_settings


@dg.definitions
def defs() -> dg.Definitions:
    # Resolve the configured paths once, absolute, for the resources (EnvVar) and for dbt.
    export_settings(load_settings())
    return dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
